import { isPlausibleDate } from '../../domain/dates';
import { checkOpeningHours } from '../../domain/opening-hours';
import type { FieldProblems } from '../../domain/problems';
import type { Fields } from '../../domain/record-changes';
import {
	LIMITS,
	codeOf,
	collectProblems,
	issueCode,
	locationFields,
	locationValuesFromForm,
	locationValuesOf,
	type LocationFields,
	type LocationValues,
	optionalHours,
	optionalText,
	optionalWebsite,
	organizationFields,
	phoneRow,
	serviceFields
} from '../../domain/records';
import { CATEGORY_CODES } from '../../domain/taxonomy';
import { weekTable, type WeekTable } from '../../domain/week-table';
import * as accounts from '../db/accounts';
import { HOURS_PREFIX, type Entity, type OrganizationFields, type Phone, type ServiceFields } from '../db/partner';
import { locate } from '../pact/address-lookup';
import { placePoint } from '../records';
import * as changes from './changes';

/**
 * Partner self-service: reading the edit forms, checking them with the directory's field rules
 * (domain/records.ts, the same as the pact application's), and saving them through changes.ts
 * (one transaction per save, history and audit included).
 *
 * Problems are reported per field as codes (domain/problems.ts), which each page says in the
 * person's language; the form's values come back as typed, so nothing the person wrote is lost.
 */

/** The outcome of reading a form: the values as typed (to show again), and the fields or the problems. */
export type Parsed<Values, Result extends Fields> =
	| { ok: true; values: Values; fields: Result }
	| { ok: false; values: Values; errors: FieldProblems };

const text = (form: FormData, name: string) => String(form.get(name) ?? '');

/** A real calendar day written YYYY-MM-DD (what <input type="date"> sends), or null when empty. */
function dayField(errors: FieldProblems, name: string, value: string): string | null {
	const trimmed = value.trim();
	if (trimmed === '') return null;
	if (!isPlausibleDate(trimmed)) {
		errors[name] = 'date';
		return null;
	}
	return trimmed;
}

/* ------------------------------------------------------------------------------------------- */
/* Organisation.                                                                                 */

export interface OrganizationValues {
	name: string;
	description: string;
	email: string;
	website: string;
	phones: { number: string; description: string }[];
}

/** Rows of `phone_number` / `phone_description` pairs; empty rows are dropped (a form has spare ones). */
export function parseOrganizationForm(form: FormData): Parsed<OrganizationValues, OrganizationFields> {
	const numbers = form.getAll('phone_number').map(String);
	const descriptions = form.getAll('phone_description').map(String);
	const values: OrganizationValues = {
		name: text(form, 'name'),
		description: text(form, 'description'),
		email: text(form, 'email'),
		website: text(form, 'website'),
		phones: numbers
			.map((number, i) => ({ number, description: descriptions[i] ?? '' }))
			.filter((phone) => phone.number.trim() !== '' || phone.description.trim() !== '')
	};
	const errors: FieldProblems = {};
	const own = organizationFields.safeParse(values);
	if (!own.success) collectProblems(errors, '', own.error);
	const phones: Phone[] = [];
	values.phones.forEach((phone, i) => {
		const row = phoneRow.safeParse(phone);
		if (!row.success) collectProblems(errors, `phone.${i}`, row.error);
		else phones.push(row.data);
	});
	// One problem per row, on the row.
	for (const key of Object.keys(errors).filter((k) => /^phone\.\d+\./.test(k))) {
		errors[key.split('.').slice(0, 2).join('.')] ??= errors[key]!;
		delete errors[key];
	}
	if (values.phones.length > LIMITS.phones) errors.phones = 'too_many';
	if (!own.success || Object.keys(errors).length > 0) return { ok: false, values, errors };
	// The same order the database gives, so an unchanged list is seen as unchanged.
	phones.sort((a, b) => a.number.localeCompare(b.number) || (a.description ?? '').localeCompare(b.description ?? ''));
	return { ok: true, values, fields: { ...own.data, phones } };
}

export function organizationValues(fields: OrganizationFields): OrganizationValues {
	return {
		name: fields.name,
		description: fields.description,
		email: fields.email ?? '',
		website: fields.website ?? '',
		phones: fields.phones.map((p) => ({ number: p.number, description: p.description ?? '' }))
	};
}

/* ------------------------------------------------------------------------------------------- */
/* Location.                                                                                     */

/** Reads a location form: the directory's field rules, and the point placed as server/records.ts says. */
export async function parseLocationForm(form: FormData, servedMarginM: number): Promise<Parsed<LocationValues, LocationFields>> {
	const values = locationValuesFromForm(form);
	const errors: FieldProblems = {};
	const own = locationFields.safeParse(values);
	if (!own.success) collectProblems(errors, '', own.error);
	const placed = await placePoint(values.lon, values.lat, values.confidential, servedMarginM);
	if (!placed.ok) errors.point = placed.code;
	if (!own.success || !placed.ok || Object.keys(errors).length > 0) return { ok: false, values, errors };
	return { ok: true, values, fields: { ...own.data, ...placed.point } };
}

export const locationValues = (fields: LocationFields): LocationValues => locationValuesOf(fields);

/**
 * The place forms' "find": places the typed address with the offline gazetteer, filling the
 * coordinates (the pact form's lookup). The values as typed come back either way.
 */
export async function locateForm(
	form: FormData,
	servedMarginM: number
): Promise<
	| { ok: false; values: LocationValues; errors: FieldProblems }
	| { ok: true; values: LocationValues; errors: FieldProblems; located: { name: string; kind: string; neighbourhood: string | null } }
> {
	const values = locationValuesFromForm(form);
	if (!values.address.trim()) return { ok: false, values, errors: { address: 'required' } };
	const found = await locate(values.address, servedMarginM);
	if (!found) return { ok: false, values, errors: { address: 'not_found' } };
	return { ok: true, values: { ...values, lon: String(found.lon), lat: String(found.lat) }, errors: {}, located: { name: found.name, kind: found.kind, neighbourhood: found.neighbourhood } };
}

/* ------------------------------------------------------------------------------------------- */
/* Service.                                                                                      */

export interface ServiceValues {
	name: string;
	description: string;
	needs: string[];
	audiences: string[];
	accepting_new: 'yes' | 'no' | 'unknown';
	email: string;
	url: string;
	closed_from: string;
	closed_until: string;
	closure_note: string;
	/** Location id → the opening_hours expression as typed ('' = no hours given). */
	hours: Record<string, string>;
}

export const hoursField = (locationId: string) => `${HOURS_PREFIX}${locationId}`;

// The service form's own parts, on top of the directory's service fields.
const partnerService = serviceFields.extend({
	url: optionalWebsite(),
	closure_note: optionalText(LIMITS.closureNote)
});

/** Reads a service form; `locationIds` are the places the service is offered at (hours fields for others are ignored). */
export function parseServiceForm(form: FormData, locationIds: string[]): Parsed<ServiceValues, Fields> {
	const accepting = text(form, 'accepting_new');
	const values: ServiceValues = {
		name: text(form, 'name'),
		description: text(form, 'description'),
		needs: form.getAll('needs').map(String),
		audiences: form.getAll('audiences').map(String),
		accepting_new: accepting === 'yes' || accepting === 'no' ? accepting : 'unknown',
		email: text(form, 'email'),
		url: text(form, 'url'),
		closed_from: text(form, 'closed_from'),
		closed_until: text(form, 'closed_until'),
		closure_note: text(form, 'closure_note'),
		hours: Object.fromEntries(locationIds.filter((id) => form.has(hoursField(id))).map((id) => [id, text(form, hoursField(id))]))
	};
	const errors: FieldProblems = {};
	const own = partnerService.safeParse(values);
	if (!own.success) collectProblems(errors, '', own.error);
	const closedFrom = dayField(errors, 'closed_from', values.closed_from);
	const closedUntil = dayField(errors, 'closed_until', values.closed_until);
	const closureNote = own.success ? own.data.closure_note : values.closure_note.trim() || null;
	if (!errors.closed_from && closedFrom === null && (closedUntil !== null || closureNote !== null)) errors.closed_from = 'closure_from';
	if (closedFrom !== null && closedUntil !== null && closedUntil < closedFrom) errors.closed_until = 'closure_order';
	const hours: Fields = {};
	for (const [locationId, expression] of Object.entries(values.hours)) {
		const checked = optionalHours().safeParse(expression);
		if (!checked.success) errors[hoursField(locationId)] = issueCode(checked.error.issues[0]);
		else hours[hoursField(locationId)] = checked.data;
	}
	if (!own.success || Object.keys(errors).length > 0) return { ok: false, values, errors };
	const s = own.data;
	const fields: ServiceFields = {
		name: s.name,
		description: s.description,
		needs: [...new Set(s.needs)].sort(),
		audiences: [...new Set(s.audiences)].sort(),
		accepting_new: values.accepting_new === 'unknown' ? null : values.accepting_new === 'yes',
		email: s.email,
		url: s.url,
		closed_from: closedFrom,
		closed_until: closedUntil,
		closure_note: s.closure_note
	};
	return { ok: true, values, fields: { ...fields, ...hours } };
}

export function serviceValues(fields: Fields, locationIds: string[]): ServiceValues {
	const s = fields as unknown as ServiceFields & Record<string, string | null>;
	return {
		name: s.name,
		description: s.description,
		needs: [...s.needs],
		audiences: [...s.audiences],
		accepting_new: s.accepting_new === null ? 'unknown' : s.accepting_new ? 'yes' : 'no',
		email: s.email ?? '',
		url: s.url ?? '',
		closed_from: s.closed_from ?? '',
		closed_until: s.closed_until ?? '',
		closure_note: s.closure_note ?? '',
		hours: Object.fromEntries(locationIds.map((id) => [id, s[hoursField(id)] ?? '']))
	};
}

/**
 * A new service: the service form's fields, plus its category and the organisation's places it is
 * offered at (`at`, checkboxes; each place has its hours field beside it, read only when ticked).
 */
export interface NewServiceValues extends ServiceValues {
	category: string;
	at: string[];
}

export type ParsedNewService =
	| { ok: true; values: NewServiceValues; service: changes.NewService }
	| { ok: false; values: NewServiceValues; errors: FieldProblems };

const category = codeOf(CATEGORY_CODES);

/** Reads the new-service form; `placeIds` are the organisation's places (not removed) it may be offered at. */
export function parseNewServiceForm(form: FormData, placeIds: string[]): ParsedNewService {
	const at = [...new Set(form.getAll('at').map(String))];
	const chosen = placeIds.filter((id) => at.includes(id));
	const parsed = parseServiceForm(form, chosen);
	// Every place's hours as typed come back, ticked or not.
	const typed = parseServiceForm(form, placeIds).values.hours;
	const values: NewServiceValues = { ...parsed.values, hours: typed, category: text(form, 'category'), at };
	const errors: FieldProblems = parsed.ok ? {} : { ...parsed.errors };
	const kind = category.safeParse(values.category);
	if (!kind.success) errors.category = issueCode(kind.error.issues[0]);
	if (at.length === 0) errors.at = 'at_required';
	else if (chosen.length !== at.length) errors.at = 'unknown_location';
	if (!parsed.ok || !kind.success || Object.keys(errors).length > 0) return { ok: false, values, errors };
	return { ok: true, values, service: { category: kind.data, fields: parsed.fields, locationIds: chosen } };
}

/** An empty new-service form for these places. */
export function blankService(placeIds: string[]): NewServiceValues {
	return {
		name: '',
		description: '',
		needs: [],
		audiences: [],
		accepting_new: 'unknown',
		email: '',
		url: '',
		closed_from: '',
		closed_until: '',
		closure_note: '',
		hours: Object.fromEntries(placeIds.map((id) => [id, ''])),
		category: '',
		// A one-place organisation offers it there.
		at: placeIds.length === 1 ? [...placeIds] : []
	};
}

/**
 * What the hours preview shows for one expression: its problem (with the parser's own words, in
 * English, for whoever knows the syntax), or its readable week.
 */
export type HoursPreview = { state: 'empty' } | { state: 'invalid'; code: 'hours_invalid'; detail: string } | { state: 'valid'; table: WeekTable | null };

export function previewHours(expression: string, now = new Date()): HoursPreview {
	if (expression.trim() === '') return { state: 'empty' };
	const checked = checkOpeningHours(expression.trim());
	if (!checked.ok) return { state: 'invalid', code: 'hours_invalid', detail: checked.error };
	return { state: 'valid', table: weekTable(expression.trim(), now) };
}

/* ------------------------------------------------------------------------------------------- */
/* Saving.                                                                                       */

export type SaveOutcome<Values> =
	| { ok: true; status: 'saved' | 'unchanged'; changeId: number | null }
	| { ok: false; status: 'invalid' | 'stale'; values: Values; errors: FieldProblems; version?: string }
	| { ok: false; status: 'missing' };

/** Saves already-read fields, turning the database's answer into what the page shows. */
export async function save<Values>(
	entity: Entity,
	organizationId: string,
	entityId: string,
	parsed: Parsed<Values, Fields>,
	actor: changes.Actor,
	expectedVersion: string | null
): Promise<SaveOutcome<Values>> {
	if (!parsed.ok) return { ok: false, status: 'invalid', values: parsed.values, errors: parsed.errors };
	const result = await changes.update(entity, organizationId, entityId, parsed.fields, actor, expectedVersion);
	switch (result.status) {
		case 'saved':
			return { ok: true, status: 'saved', changeId: result.changeId };
		case 'unchanged':
			return { ok: true, status: 'unchanged', changeId: null };
		case 'stale':
			return { ok: false, status: 'stale', values: parsed.values, errors: { form: 'stale' }, version: result.version };
		case 'missing':
			return { ok: false, status: 'missing' };
	}
}

/* ------------------------------------------------------------------------------------------- */
/* For the routes.                                                                               */

/** Who is making a change, for the history and the audit trail. */
export function actorOf(user: accounts.User, address: string): changes.Actor {
	return { id: user.id, email: user.email, address };
}

/** The preview of each location's hours as typed. */
export function hoursPreviews(hours: Record<string, string>, now = new Date()): Record<string, HoursPreview> {
	return Object.fromEntries(Object.entries(hours).map(([locationId, expression]) => [locationId, previewHours(expression, now)]));
}
