import { z } from 'zod';
import { isRealDate, todayInRome } from '../../domain/dates';
import { checkSlot, slotsToExpression, type HoursSlot } from '../../domain/hours-slots';
import { checkOpeningHours } from '../../domain/opening-hours';
import {
	MAX_LOCATIONS,
	MAX_SERVICES,
	MAX_SLOTS,
	type ApplicationPayload,
	type ApplicationValues,
	type PayloadLocation,
	type PayloadService,
	type ServiceValues
} from '../../domain/pact-application';
import type { FieldProblems, ProblemCode } from '../../domain/problems';
import {
	LIMITS,
	codeOf,
	collectProblems,
	issueCode,
	locationFields,
	locationValuesFromForm,
	optionalEmail,
	optionalPhone,
	optionalText,
	organizationFields,
	requiredText,
	serviceFields
} from '../../domain/records';
import { CATEGORY_CODES, PACT_COMMITMENT_CODES } from '../../domain/taxonomy';
import { checkNewPassword, hashPassword } from '../auth/password';
import { AccountError, prepareAccount } from '../auth/users';
import type { User } from '../db/accounts';
import * as accounts from '../db/accounts';
import { validateOrganization, DirectoryValidationError } from '../db/directory';
import * as gazetteer from '../db/gazetteer';
import { pointFacts } from '../db/match';
import * as pact from '../db/pact';
import { placePoint } from '../records';
import type { BundleOrganization } from '../seed/bundle';

/**
 * Joining the pact: reading and validating an application, submitting it (with a new account when
 * the applicant has none), resubmitting it after the reviewer asked for changes, and the
 * administrator's decisions. Every problem a person can fix comes back as a field path and an
 * problem code (domain/problems.ts, said by the page as `problem.<code>`), with the values kept; nothing is
 * written unless everything is valid, and every write that spans rows is one transaction
 * (db/pact.ts).
 */

/**
 * Sign-ups an address may attempt through the form in an hour, whether they open an account or
 * name an address that has one already: enough for an office, not for a script (nor for probing
 * which addresses have accounts).
 */
export const NEW_ACCOUNTS_PER_ADDRESS_PER_HOUR = 5;

/* Reading the form. */

// Generous caps on what is read from a request, so a huge field cannot fill memory; the schema's
// own limits (smaller) decide what is too long.
const READ_CAP = 10_000;

/** The form's values from a submitted form (any missing field reads as empty). */
export function valuesFromForm(form: FormData): ApplicationValues {
	const text = (name: string) => String(form.get(name) ?? '').slice(0, READ_CAP);
	const list = (name: string) => form.getAll(name).slice(0, 64).map((v) => String(v).slice(0, 100));
	const count = (name: string, max: number) => Math.min(max, Math.max(1, Number.parseInt(text(name), 10) || 1));
	const locations = Array.from({ length: count('location_count', MAX_LOCATIONS) }, (_, i) => locationValuesFromForm(form, `locations.${i}.`, READ_CAP));
	const services: ServiceValues[] = Array.from({ length: count('service_count', MAX_SERVICES) }, (_, i) => {
		const at = `services.${i}.`;
		return {
			name: text(at + 'name'),
			description: text(at + 'description'),
			category: text(at + 'category'),
			needs: list(at + 'needs'),
			audiences: list(at + 'audiences'),
			accepting: text(at + 'accepting'),
			at: list(at + 'at'),
			slots: Array.from({ length: MAX_SLOTS }, (_, j) => ({
				days: text(`${at}slots.${j}.days`),
				from: text(`${at}slots.${j}.from`),
				to: text(`${at}slots.${j}.to`)
			})),
			hours: text(at + 'hours'),
			phone: text(at + 'phone'),
			email: text(at + 'email')
		};
	});
	return {
		organization: {
			name: text('organization.name'),
			kind: text('organization.kind'),
			description: text('organization.description'),
			email: text('organization.email'),
			website: text('organization.website'),
			phone: text('organization.phone')
		},
		contact: { name: text('contact.name'), role: text('contact.role'), phone: text('contact.phone') },
		locations,
		services,
		commitments: list('commitments'),
		free_commitment: text('free_commitment'),
		account: { email: text('account.email') },
		declaration: form.get('declaration') === 'on'
	};
}

/* Validating: the field rules are domain/records.ts, shared with partner self-service, the
   directory writes and the seed loader; the application adds its own parts here. */

// A new application asks for more than the directory needs: an address (the city defaults to Lecco).
const applicationOrganization = organizationFields.extend({ kind: codeOf(CATEGORY_CODES), phone: optionalPhone() });
const contactSchema = z.object({ name: requiredText(LIMITS.person), role: optionalText(LIMITS.person), phone: optionalPhone() });
const applicationLocation = locationFields.extend({
	address: requiredText(LIMITS.address),
	city: optionalText(LIMITS.city).transform((v) => v ?? 'Lecco')
});
const applicationService = serviceFields.extend({
	category: codeOf(CATEGORY_CODES),
	needs: serviceFields.shape.needs.min(1, 'needs_required'),
	accepting: z.enum(['', 'yes', 'no'], { error: 'unknown_code' }),
	phone: optionalPhone()
});
const commitmentsSchema = z.array(codeOf(PACT_COMMITMENT_CODES));

const isBlankSlot = (slot: { days: string; from: string; to: string }) => !slot.days && !slot.from.trim() && !slot.to.trim();

function isBlankLocation(l: ApplicationValues['locations'][number]): boolean {
	return ![l.name, l.address, l.postal_code, l.city, l.lon, l.lat, l.accessibility ?? ''].some((v) => v.trim()) && !l.confidential;
}

function isBlankService(s: ServiceValues): boolean {
	return (
		![s.name, s.description, s.category, s.hours, s.phone, s.email, s.accepting].some((v) => v.trim()) &&
		s.needs.length === 0 &&
		s.audiences.length === 0 &&
		s.slots.every(isBlankSlot)
	);
}

export type Validation = { ok: true; payload: ApplicationPayload } | { ok: false; errors: FieldProblems };

export interface ValidationOptions {
	/** Metres beyond the served comuni a location may lie (ATLANTE_SERVED_MARGIN_M). */
	servedMarginM: number;
}

/**
 * Checks an application's values: every field's format, known codes for types, needs, audiences
 * and commitments, hours that parse, and each location's point in range and inside the served
 * area (a confidential one inside a rione, where the public sees it). Slots left completely empty
 * are dropped (not the first); services follow their locations' new numbers.
 */
export async function validate(values: ApplicationValues, options: ValidationOptions): Promise<Validation> {
	const errors: FieldProblems = {};

	const organization = applicationOrganization.safeParse(values.organization);
	if (!organization.success) collectProblems(errors, 'organization', organization.error);
	const contact = contactSchema.safeParse(values.contact);
	if (!contact.success) collectProblems(errors, 'contact', contact.error);

	// Locations: kept ones, and the new index of each slot (null when dropped as blank).
	// Null marks a location with problems (reported in `errors`): it keeps the numbering.
	const locations: (PayloadLocation | null)[] = [];
	const newIndex: (number | null)[] = [];
	for (const [i, raw] of values.locations.slice(0, MAX_LOCATIONS).entries()) {
		if (i > 0 && isBlankLocation(raw)) {
			newIndex.push(null);
			continue;
		}
		const prefix = `locations.${i}`;
		const parsed = applicationLocation.safeParse(raw);
		if (!parsed.success) collectProblems(errors, prefix, parsed.error);
		const placed = await placePoint(raw.lon, raw.lat, raw.confidential, options.servedMarginM);
		if (!placed.ok) errors[`${prefix}.point`] ??= placed.code;
		newIndex.push(locations.length);
		if (parsed.success && placed.ok) {
			// The note only when there is one: the payload stays as it was before the field existed.
			const { accessibility, ...location } = parsed.data;
			locations.push({ ...location, ...placed.point, neighbourhood: placed.neighbourhood, ...(accessibility ? { accessibility } : {}) });
		} else locations.push(null);
	}

	const services: PayloadService[] = [];
	for (const [i, raw] of values.services.slice(0, MAX_SERVICES).entries()) {
		if (i > 0 && isBlankService(raw)) continue;
		const prefix = `services.${i}`;
		const parsed = applicationService.safeParse(raw);
		if (!parsed.success) collectProblems(errors, prefix, parsed.error);

		const at: number[] = [];
		for (const value of new Set(raw.at)) {
			const index = /^\d$/.test(value) ? newIndex[Number(value)] : undefined;
			if (index === undefined || index === null) errors[`${prefix}.at`] ??= 'unknown_location';
			else at.push(index);
		}
		if (raw.at.length === 0) errors[`${prefix}.at`] ??= 'at_required';

		const slots: HoursSlot[] = [];
		for (const [j, slot] of raw.slots.slice(0, MAX_SLOTS).entries()) {
			if (isBlankSlot(slot)) continue;
			const problem = checkSlot({ days: slot.days, from: slot.from.trim(), to: slot.to.trim() });
			if (problem) errors[`${prefix}.slots.${j}`] ??= problem;
			else slots.push({ days: slot.days as HoursSlot['days'], from: slot.from.trim(), to: slot.to.trim() });
		}
		let openingHours: string | null = null;
		const typed = raw.hours.trim();
		if (typed && raw.slots.some((slot) => !isBlankSlot(slot))) errors[`${prefix}.hours`] ??= 'hours_both';
		else if (typed) {
			const checked = checkOpeningHours(typed);
			if (checked.ok) openingHours = checked.expression;
			else errors[`${prefix}.hours`] ??= 'hours_invalid';
		} else if (slots.length > 0) {
			openingHours = slotsToExpression(slots);
			// The rows always make a valid expression; checked anyway, the directory will parse it.
			if (openingHours && !checkOpeningHours(openingHours).ok) errors[`${prefix}.slots.0`] ??= 'hours_time';
		}

		if (parsed.success) {
			const s = parsed.data;
			services.push({
				name: s.name,
				description: s.description,
				category: s.category,
				needs: [...new Set(s.needs)],
				audiences: [...new Set(s.audiences)],
				accepting_new: s.accepting === '' ? null : s.accepting === 'yes',
				locations: at.sort((a, b) => a - b),
				slots,
				opening_hours: openingHours,
				hours_typed: Boolean(typed),
				phone: s.phone,
				email: s.email
			});
		}
	}

	const commitments = commitmentsSchema.safeParse(values.commitments);
	if (!commitments.success) collectProblems(errors, 'commitments', commitments.error);
	const free = optionalText(2000).safeParse(values.free_commitment);
	if (!free.success) collectProblems(errors, 'free_commitment', free.error);
	if (commitments.success && free.success && commitments.data.length === 0 && !free.data) errors['commitments'] ??= 'commitment_required';
	if (!values.declaration) errors['declaration'] = 'declaration_required';

	const placed = locations.filter((l): l is PayloadLocation => l !== null);
	if (Object.keys(errors).length > 0 || placed.length !== locations.length || !organization.success || !contact.success || !commitments.success || !free.success) {
		return { ok: false, errors };
	}
	return {
		ok: true,
		payload: {
			organization: organization.data,
			contact: contact.data,
			locations: placed,
			services,
			commitments: PACT_COMMITMENT_CODES.filter((code) => commitments.data.includes(code)),
			free_commitment: free.data
		}
	};
}

/** The account part of a new applicant's form: problems keyed like the other fields. */
function checkAccountFields(email: string, password: string, confirm: string): FieldProblems {
	const errors: FieldProblems = {};
	const address = email.trim().toLowerCase();
	if (!address) errors['account.email'] = 'required';
	else if (!optionalEmail().safeParse(address).success) errors['account.email'] = 'email';
	const problem = checkNewPassword(password, address);
	if (problem) errors['account.password'] = `password_${problem}` as const;
	else if (password !== confirm) errors['account.confirm'] = 'password_mismatch';
	return errors;
}

/* Submitting. */

export type SubmitResult =
	| { ok: true; applicationId: string; user: User; newAccount: boolean }
	// A new applicant's email has an account already: nothing was created. The route answers
	// exactly as for a new account, so the form does not tell who has one.
	| { ok: true; applicationId: null; user: null; newAccount: false }
	| { ok: false; errors: FieldProblems; problem?: 'throttled' | 'open_application' | 'not_applicant' };

export interface SubmitContext extends ValidationOptions {
	/** The signed-in person, or null for a new applicant (who gets an account). */
	user: User | null;
	/** The client's address: audited, and limits how many accounts one address opens. */
	address: string;
}

/**
 * A new application. A new applicant's account (role partner, no organisation yet) and the
 * application are written in one transaction: if either fails, neither exists. A signed-in
 * partner applies again only when no application of theirs is open.
 */
export async function submit(
	values: ApplicationValues,
	passwords: { password: string; confirm: string },
	context: SubmitContext
): Promise<SubmitResult> {
	if (context.user && context.user.role !== 'partner') return { ok: false, errors: {}, problem: 'not_applicant' };
	if (context.user && (await pact.openFor(context.user.id))) return { ok: false, errors: {}, problem: 'open_application' };
	const checked = await validate(values, context);
	// In the form's order: the application, the account, the declaration last.
	const { declaration, ...applicationErrors } = checked.ok ? {} : checked.errors;
	const errors: FieldProblems = {
		...applicationErrors,
		...(context.user ? {} : checkAccountFields(values.account.email, passwords.password, passwords.confirm)),
		...(declaration ? { declaration } : {})
	};
	if (Object.keys(errors).length > 0 || !checked.ok) return { ok: false, errors };

	if (context.user) {
		const applicationId = await pact.create({ applicantId: context.user.id, actorEmail: context.user.email, payload: checked.payload, address: context.address });
		if (!applicationId) return { ok: false, errors: {}, problem: 'open_application' };
		return { ok: true, applicationId, user: context.user, newAccount: false };
	}

	if ((await pact.recentSignUps(context.address, 60)) >= NEW_ACCOUNTS_PER_ADDRESS_PER_HOUR) return { ok: false, errors: {}, problem: 'throttled' };
	let prepared;
	try {
		prepared = await prepareAccount({ email: values.account.email, role: 'partner', password: passwords.password });
	} catch (error) {
		if (error instanceof AccountError && error.code === 'exists') {
			// As long as a new account takes (the password hashed), so timing does not tell either.
			await hashPassword(passwords.password);
			return knownAddress(values.account.email, context.address);
		}
		if (error instanceof AccountError) return { ok: false, errors: { [error.code === 'email' ? 'account.email' : 'account.password']: accountErrorCode(error) } };
		throw error;
	}
	const created = await pact.createWithAccount({ account: prepared, payload: checked.payload, address: context.address });
	// Another request took the address between the check and the insert.
	if (!created) return knownAddress(prepared.email, context.address);
	return { ok: true, applicationId: created.applicationId, user: created.user, newAccount: true };
}

/** A sign-up naming an address that has an account: nothing created, the attempt audited (and counted). */
async function knownAddress(email: string, address: string): Promise<SubmitResult> {
	await pact.recordKnownAddressSignUp(email.trim().toLowerCase(), address);
	return { ok: true, applicationId: null, user: null, newAccount: false };
}

function accountErrorCode(error: AccountError): ProblemCode {
	if (error.code === 'email') return 'email';
	// 'exists' never gets here: submit answers it like a new account (see knownAddress).
	if (error.code === 'role' || error.code === 'organization' || error.code === 'exists') return 'invalid';
	return `password_${error.code}`;
}

export type ResubmitResult = { ok: true } | { ok: false; errors: FieldProblems; problem?: 'not_editable' };

/** The applicant's changed application, when the reviewer asked for changes: back to review. */
export async function resubmit(user: User, applicationId: string, values: ApplicationValues, context: ValidationOptions & { address: string }): Promise<ResubmitResult> {
	const current = await pact.getForApplicant(applicationId, user.id);
	if (!current || current.status !== 'changes_requested') return { ok: false, errors: {}, problem: 'not_editable' };
	const checked = await validate(values, context);
	if (!checked.ok) return checked;
	const done = await pact.resubmit({ id: applicationId, applicant: user, payload: checked.payload, address: context.address });
	return done ? { ok: true } : { ok: false, errors: {}, problem: 'not_editable' };
}

/* Placing an address: the form's "find" button, without JavaScript. */

export interface Located {
	lon: number;
	lat: number;
	/** What the address matched in the gazetteer. */
	name: string;
	kind: gazetteer.PlaceMatch['kind'];
	/** The rione the point falls in, if any. */
	neighbourhood: string | null;
}

/**
 * A point for a typed address from the offline gazetteer: the street (placed at the known
 * addresses on it: approximate), else a place or rione, with the rione it falls in. House numbers
 * are not known, so they are left out of the search; the applicant checks and corrects the point.
 */
export async function locate(address: string, servedMarginM: number): Promise<Located | null> {
	const street = address.split(/[,\d]/)[0]!.replace(/\s+/g, ' ').trim();
	if (street.length < 3) return null;
	const matches = (await gazetteer.search(street, 8)).filter((m) => m.kind !== 'resource');
	// Several comuni have a "Via Roma": prefer one in a rione of the city, then one in the served area.
	let best: { located: Located; served: boolean } | null = null;
	for (const match of matches) {
		const facts = await pointFacts(match, servedMarginM);
		const located = { lon: match.lon, lat: match.lat, name: match.name, kind: match.kind, neighbourhood: facts.neighbourhood };
		if (facts.neighbourhood) return located;
		if (!best || (facts.served && !best.served)) best = { located, served: facts.served };
	}
	return best?.located ?? null;
}

/* Reviewing. */

export type ReviewResult = { ok: true } | { ok: false; errors: FieldProblems; problem?: pact.ReviewRefusal };

const reviewNote = requiredText(2000);

/** The directory record an approved application becomes (source `partner`). */
export function organizationFor(applicationId: string, payload: ApplicationPayload): BundleOrganization {
	const phones = (number: string | null) => (number ? [{ number }] : []);
	return {
		ref: `application-${applicationId}`,
		name: payload.organization.name,
		kind: payload.organization.kind,
		description: payload.organization.description,
		email: payload.organization.email ?? undefined,
		website: payload.organization.website ?? undefined,
		phones: phones(payload.organization.phone),
		locations: payload.locations.map((l, i) => ({
			ref: `location-${i + 1}`,
			name: l.name,
			lon: l.lon,
			lat: l.lat,
			address: l.address,
			postal_code: l.postal_code ?? undefined,
			city: l.city,
			confidential: l.confidential,
			accessibility: l.accessibility ?? undefined
		})),
		services: payload.services.map((s, i) => ({
			ref: `service-${i + 1}`,
			name: s.name,
			description: s.description,
			category: s.category,
			needs: s.needs,
			audiences: s.audiences,
			accepting_new: s.accepting_new,
			email: s.email ?? undefined,
			phones: phones(s.phone),
			at: s.locations.map((index) => ({ location: `location-${index + 1}`, opening_hours: s.opening_hours }))
		}))
	};
}

export interface ApproveInput {
	/** The revision the administrator read. */
	revision: number;
	/** ISO date the pact was signed. */
	signedAt: string;
	/** Who signed for the organisation. */
	signedBy: string;
	note: string;
}

/**
 * Approves a submitted application: in one transaction the organisation enters the directory
 * (locations, services, needs, audiences, hours, phones; verified today), its pact membership is
 * signed with its commitments, the applicant becomes its editor and the application is closed.
 */
export async function approve(id: string, reviewer: User, input: ApproveInput, address: string): Promise<ReviewResult> {
	const errors: FieldProblems = {};
	const today = todayInRome();
	if (!isRealDate(input.signedAt)) errors['signed_at'] = 'date';
	else if (input.signedAt > today) errors['signed_at'] = 'date_future';
	else if (input.signedAt < '2000-01-01') errors['signed_at'] = 'date';
	const signedBy = requiredText(LIMITS.person).safeParse(input.signedBy);
	if (!signedBy.success) errors['signed_by'] = issueCode(signedBy.error.issues[0]);
	const note = optionalText(2000).safeParse(input.note);
	if (!note.success) errors['note'] = issueCode(note.error.issues[0]);
	if (Object.keys(errors).length > 0 || !signedBy.success || !note.success) return { ok: false, errors };

	const application = await pact.get(id);
	if (!application) return { ok: false, errors: {}, problem: 'missing' };
	const organization = organizationFor(application.id, application.payload);
	try {
		validateOrganization(organization);
	} catch (error) {
		// A payload validated at submission that no longer passes (the rules changed): ask for changes instead.
		if (error instanceof DirectoryValidationError) return { ok: false, errors: {}, problem: 'invalid_payload' };
		throw error;
	}
	const outcome = await pact.approve({
		id,
		revision: input.revision,
		reviewer,
		signedAt: input.signedAt,
		signedBy: signedBy.data,
		note: note.data,
		organization,
		verifiedAt: today,
		commitments: application.payload.commitments,
		freeCommitment: application.payload.free_commitment,
		address
	});
	return outcome.ok ? { ok: true } : { ok: false, errors: {}, problem: outcome.refusal };
}

/** Rejects a submitted application (a reason is required) or asks the applicant for changes (a message is required). */
export async function decide(
	id: string,
	reviewer: User,
	decision: 'rejected' | 'changes_requested',
	input: { revision: number; note: string },
	address: string
): Promise<ReviewResult> {
	const note = reviewNote.safeParse(input.note);
	if (!note.success) return { ok: false, errors: { note: issueCode(note.error.issues[0]) } };
	const outcome = await pact.decide({ id, revision: input.revision, reviewer, status: decision, note: note.data, address });
	return outcome.ok ? { ok: true } : { ok: false, errors: {}, problem: outcome.refusal };
}

/** For the admin list: whether an organisation with this name is in the directory already. */
export async function sameNameOrganizations(name: string): Promise<{ id: string; name: string }[]> {
	return accounts.findOrganizations(name);
}
