import { isPlausibleDate } from '../../domain/dates';
import { checkLonLat } from '../../domain/geometry';
import { checkOpeningHours } from '../../domain/opening-hours';
import type { Fields } from '../../domain/record-changes';
import { AUDIENCE_CODES, NEED_CODES } from '../../domain/taxonomy';
import { isCleanText } from '../../domain/text';
import { weekTable, type WeekTable } from '../../domain/week-table';
import * as accounts from '../db/accounts';
import * as partner from '../db/partner';
import { HOURS_PREFIX, type LocationFields, type OrganizationFields, type Phone, type ServiceFields } from '../db/partner';
import { pointFacts } from '../db/match';

/**
 * Partner self-service: reading the edit forms, checking them field by field, and saving them
 * through db/partner.ts (one transaction per save, history and audit included).
 *
 * Problems are reported per field as message keys (`partner.error.<key>` in the i18n files) with
 * their values, so each page says them in the person's language; the form's values come back as
 * typed, so nothing the person wrote is lost.
 */

export interface Problem {
	key: string;
	values?: Record<string, string | number>;
}
export type FieldErrors = Record<string, Problem>;

/** The outcome of reading a form: the values as typed (to show again), and the fields or the problems. */
export type Parsed<Values, Result extends Fields> =
	| { ok: true; values: Values; fields: Result }
	| { ok: false; values: Values; errors: FieldErrors };

// The database checks the same (0001_init.sql); checking first gives a message instead of an error.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const WEB = /^https?:\/\/[^\s]+$/;
const PHONE = /^\+?[0-9][0-9 ./-]{4,19}$/;
const POSTAL_CODE = /^[0-9]{5}$/;

const text = (form: FormData, name: string) => String(form.get(name) ?? '');

/** A trimmed text field: required or optional (empty → null), at most `max` characters. */
function textField(errors: FieldErrors, name: string, value: string, max: number, required: true): string;
function textField(errors: FieldErrors, name: string, value: string, max: number, required: false): string | null;
function textField(errors: FieldErrors, name: string, value: string, max: number, required: boolean): string | null {
	const trimmed = value.trim();
	if (trimmed === '') {
		if (required) errors[name] = { key: 'required' };
		return required ? '' : null;
	}
	if (trimmed.length > max) errors[name] = { key: 'tooLong', values: { max } };
	if (!isCleanText(trimmed)) errors[name] = { key: 'text' };
	return trimmed;
}

function pattern(errors: FieldErrors, name: string, value: string | null, regex: RegExp, key: string): void {
	if (value !== null && !errors[name] && !regex.test(value)) errors[name] = { key };
}

/** A real calendar day written YYYY-MM-DD (what <input type="date"> sends), or null when empty. */
function dayField(errors: FieldErrors, name: string, value: string): string | null {
	const trimmed = value.trim();
	if (trimmed === '') return null;
	if (!isPlausibleDate(trimmed)) {
		errors[name] = { key: 'date' };
		return null;
	}
	return trimmed;
}

/** A decimal number as people write it (a comma is accepted as the decimal mark). */
function numberField(errors: FieldErrors, name: string, value: string): number | null {
	const trimmed = value.trim().replace(',', '.');
	if (trimmed === '') {
		errors[name] = { key: 'required' };
		return null;
	}
	const number = Number(trimmed);
	if (!/^[+-]?\d+(\.\d+)?$/.test(trimmed) || !Number.isFinite(number)) {
		errors[name] = { key: 'number' };
		return null;
	}
	return number;
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
	const errors: FieldErrors = {};
	const name = textField(errors, 'name', values.name, 300, true);
	const description = values.description.trim();
	if (description.length > 5000) errors.description = { key: 'tooLong', values: { max: 5000 } };
	if (!isCleanText(description)) errors.description = { key: 'text' };
	const email = textField(errors, 'email', values.email, 254, false);
	pattern(errors, 'email', email, EMAIL, 'email');
	const website = textField(errors, 'website', values.website, 500, false);
	pattern(errors, 'website', website, WEB, 'url');
	const phones: Phone[] = [];
	values.phones.forEach((phone, i) => {
		const number = phone.number.trim();
		const label = phone.description.trim();
		if (number === '') errors[`phone.${i}`] = { key: 'phoneMissing' };
		else if (!PHONE.test(number)) errors[`phone.${i}`] = { key: 'phone' };
		else if (label.length > 200) errors[`phone.${i}`] = { key: 'tooLong', values: { max: 200 } };
		phones.push({ number, description: label === '' ? null : label });
	});
	if (values.phones.length > 10) errors.phones = { key: 'tooMany', values: { max: 10 } };
	if (Object.keys(errors).length > 0) return { ok: false, values, errors };
	// The same order the database gives, so an unchanged list is seen as unchanged.
	phones.sort((a, b) => a.number.localeCompare(b.number) || (a.description ?? '').localeCompare(b.description ?? ''));
	return { ok: true, values, fields: { name, description, email, website, phones } };
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

export interface LocationValues {
	name: string;
	address: string;
	postal_code: string;
	city: string;
	lon: string;
	lat: string;
	confidential: boolean;
}

/**
 * Reads a location form. The point must be a valid WGS84 pair inside the area this instance serves
 * (its comuni plus `servedMarginM` metres): a typo in a coordinate would otherwise put the place in
 * another town.
 */
export async function parseLocationForm(form: FormData, servedMarginM: number): Promise<Parsed<LocationValues, LocationFields>> {
	const values: LocationValues = {
		name: text(form, 'name'),
		address: text(form, 'address'),
		postal_code: text(form, 'postal_code'),
		city: text(form, 'city'),
		lon: text(form, 'lon'),
		lat: text(form, 'lat'),
		confidential: form.get('confidential') === 'on'
	};
	const errors: FieldErrors = {};
	const name = textField(errors, 'name', values.name, 300, true);
	const address = textField(errors, 'address', values.address, 300, false);
	const postalCode = textField(errors, 'postal_code', values.postal_code, 5, false);
	pattern(errors, 'postal_code', postalCode, POSTAL_CODE, 'postalCode');
	const city = textField(errors, 'city', values.city, 100, false);
	const lon = numberField(errors, 'lon', values.lon);
	const lat = numberField(errors, 'lat', values.lat);
	if (lon !== null && lat !== null) {
		const point = checkLonLat(lon, lat);
		if (!point.ok) errors.point = { key: 'lonLatRange' };
		else if (!(await pointFacts(point.value, servedMarginM)).served) errors.point = { key: 'outsideArea' };
	}
	if (Object.keys(errors).length > 0) return { ok: false, values, errors };
	return {
		ok: true,
		values,
		fields: { name, address, postal_code: postalCode, city, lon: lon!, lat: lat!, confidential: values.confidential }
	};
}

export function locationValues(fields: LocationFields): LocationValues {
	return {
		name: fields.name,
		address: fields.address ?? '',
		postal_code: fields.postal_code ?? '',
		city: fields.city ?? '',
		lon: String(fields.lon),
		lat: String(fields.lat),
		confidential: fields.confidential
	};
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

/** The problem with an opening_hours expression, or null when it reads well (or is empty: no hours). */
export function hoursProblem(expression: string): Problem | null {
	if (expression.trim() === '') return null;
	const checked = checkOpeningHours(expression);
	if (checked.ok) return null;
	return { key: 'hours', values: { detail: checked.error } };
}

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
	const errors: FieldErrors = {};
	const name = textField(errors, 'name', values.name, 300, true);
	const description = values.description.trim();
	if (description.length > 5000) errors.description = { key: 'tooLong', values: { max: 5000 } };
	const needs = [...new Set(values.needs)].sort();
	if (needs.some((need) => !(NEED_CODES as readonly string[]).includes(need))) errors.needs = { key: 'unknownTerm' };
	const audiences = [...new Set(values.audiences)].sort();
	if (audiences.some((a) => !(AUDIENCE_CODES as readonly string[]).includes(a))) errors.audiences = { key: 'unknownTerm' };
	const email = textField(errors, 'email', values.email, 254, false);
	pattern(errors, 'email', email, EMAIL, 'email');
	const url = textField(errors, 'url', values.url, 500, false);
	pattern(errors, 'url', url, WEB, 'url');
	const closedFrom = dayField(errors, 'closed_from', values.closed_from);
	const closedUntil = dayField(errors, 'closed_until', values.closed_until);
	const closureNote = textField(errors, 'closure_note', values.closure_note, 500, false);
	if (!errors.closed_from && closedFrom === null && (closedUntil !== null || closureNote !== null)) errors.closed_from = { key: 'closureFrom' };
	if (closedFrom !== null && closedUntil !== null && closedUntil < closedFrom) errors.closed_until = { key: 'closureOrder' };
	const hours: Fields = {};
	for (const [locationId, expression] of Object.entries(values.hours)) {
		const problem = hoursProblem(expression);
		if (problem) errors[hoursField(locationId)] = problem;
		else hours[hoursField(locationId)] = expression.trim() === '' ? null : expression.trim();
	}
	if (Object.keys(errors).length > 0) return { ok: false, values, errors };
	const fields: ServiceFields = {
		name,
		description,
		needs,
		audiences,
		accepting_new: values.accepting_new === 'unknown' ? null : values.accepting_new === 'yes',
		email,
		url,
		closed_from: closedFrom,
		closed_until: closedUntil,
		closure_note: closureNote
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

/** What the hours preview shows for one expression: its problem, or its readable week. */
export type HoursPreview = { state: 'empty' } | { state: 'invalid'; problem: Problem } | { state: 'valid'; table: WeekTable | null };

export function previewHours(expression: string, now = new Date()): HoursPreview {
	if (expression.trim() === '') return { state: 'empty' };
	const problem = hoursProblem(expression);
	if (problem) return { state: 'invalid', problem };
	return { state: 'valid', table: weekTable(expression.trim(), now) };
}

/* ------------------------------------------------------------------------------------------- */
/* Saving.                                                                                       */

export type SaveOutcome<Values> =
	| { ok: true; status: 'saved' | 'unchanged'; changeId: number | null }
	| { ok: false; status: 'invalid' | 'stale'; values: Values; errors: FieldErrors; version?: string }
	| { ok: false; status: 'missing' };

/** Saves already-read fields, turning the database's answer into what the page shows. */
export async function save<Values>(
	entity: partner.Entity,
	organizationId: string,
	entityId: string,
	parsed: Parsed<Values, Fields>,
	actor: partner.Actor,
	expectedVersion: string | null
): Promise<SaveOutcome<Values>> {
	if (!parsed.ok) return { ok: false, status: 'invalid', values: parsed.values, errors: parsed.errors };
	const result = await partner.update(entity, organizationId, entityId, parsed.fields, actor, expectedVersion);
	switch (result.status) {
		case 'saved':
			return { ok: true, status: 'saved', changeId: result.changeId };
		case 'unchanged':
			return { ok: true, status: 'unchanged', changeId: null };
		case 'stale':
			return { ok: false, status: 'stale', values: parsed.values, errors: { form: { key: 'stale' } }, version: result.version };
		case 'missing':
			return { ok: false, status: 'missing' };
	}
}

/* ------------------------------------------------------------------------------------------- */
/* For the routes.                                                                               */

/** Who is making a change, for the history and the audit trail. */
export function actorOf(user: accounts.User, address: string): partner.Actor {
	return { id: user.id, email: user.email, address };
}

/** Whether the person may change the organisation's records (its editors and administrators). */
export async function canEdit(user: accounts.User, organizationId: string): Promise<boolean> {
	if (user.role === 'admin') return true;
	return user.role === 'partner' && (await accounts.organizationRole(user.id, organizationId)) === 'editor';
}

/** The preview of each location's hours as typed. */
export function hoursPreviews(hours: Record<string, string>, now = new Date()): Record<string, HoursPreview> {
	return Object.fromEntries(Object.entries(hours).map(([locationId, expression]) => [locationId, previewHours(expression, now)]));
}
