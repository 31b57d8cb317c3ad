import { z } from 'zod';
import { checkLonLat, type LonLat } from './geometry';
import { checkOpeningHours } from './opening-hours';
import { isProblemCode, type FieldProblems, type ProblemCode } from './problems';
import { AUDIENCE_CODES, CATEGORY_CODES, NEED_CODES } from './taxonomy';
import { isCleanText } from './text';

/**
 * The one set of field rules for the directory's records — organisation, location, service, their
 * hours and contacts — used by every way in: the pact application (server/pact), partner
 * self-service (server/partner), the directory writes (server/db/directory.ts) and the seed loader
 * (server/seed/bundle.ts). Each rule says how a field is normalised (trimmed, `www.x.it` →
 * `https://www.x.it`, empty → null) and what is wrong with it, as a problem code (problems.ts) in
 * the zod issue's message. Pure: the browser may use it too.
 *
 * Adding a field to a record means adding it here (and to the form component and the messages);
 * two validators for one field drift apart, and ours did (a website accepted by one form and
 * refused by the other; 300 characters in one, 500 in the other).
 */

/** Lengths, the same as the CHECKs in db/migrations (0001_init.sql, 0013_location_accessibility.sql). */
export const LIMITS = {
	name: 300,
	address: 300,
	city: 100,
	description: 5000,
	email: 254,
	/** No CHECK on the column: the longer of the two forms' old limits, so no saved address is refused. */
	website: 500,
	phoneDescription: 200,
	phones: 10,
	person: 200,
	hours: 1000,
	closureNote: 500,
	accessibility: 1000,
	ref: 100
} as const;

const PHONE = /^\+?[0-9][0-9 ./-]{4,19}$/;
const POSTAL_CODE = /^[0-9]{5}$/;
const NUMBER = /^[+-]?\d{1,3}(?:[.,]\d{1,12})?$/;
const PASTED_LAT_LON = /^(-?\d{1,2}\.\d{1,12})\s*[,;]\s*(-?\d{1,3}\.\d{1,12})$/;
const emailFormat = z.email();

/* Field rules: each takes a string (as typed, or from a file) and gives the value to store. */

/** Text without NUL, lone surrogates or control characters (domain/text.ts): otherwise `text`. */
export const cleanText = () => z.string().refine(isCleanText, 'text');
export const requiredText = (max: number) => cleanText().trim().min(1, 'required').max(max, 'too_long');
/** Empty → null. */
export const optionalText = (max: number) =>
	cleanText()
		.trim()
		.max(max, 'too_long')
		.transform((v) => v || null);
export const description = () => cleanText().trim().max(LIMITS.description, 'too_long');

/** An email address, lower-cased; empty → null. The database's CHECK is looser, so it never refuses one. */
export const optionalEmail = () =>
	cleanText()
		.trim()
		.toLowerCase()
		.max(LIMITS.email, 'too_long')
		.refine((v) => v === '' || emailFormat.safeParse(v).success, 'email')
		.transform((v) => v || null);

/**
 * A web address; empty → null. People type "www.example.it": that is an address of the web too,
 * stored as https://www.example.it (the database wants a scheme). Anything but http(s) is `url`.
 */
export const optionalWebsite = () =>
	cleanText()
		.trim()
		.max(LIMITS.website, 'too_long')
		.transform((v) => (v && !/^[a-z][a-z0-9+.-]*:/i.test(v) ? `https://${v}` : v))
		.refine((v) => v === '' || isWebAddress(v), 'url')
		.transform((v) => v || null);

export function isWebAddress(value: string): boolean {
	if (!/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(value)) return false;
	try {
		return ['http:', 'https:'].includes(new URL(value).protocol);
	} catch {
		return false;
	}
}

export const phoneNumber = () =>
	z
		.string()
		.trim()
		.min(1, 'phone_missing')
		.refine((v) => PHONE.test(v), 'phone');
export const optionalPhone = () =>
	z
		.string()
		.trim()
		.refine((v) => v === '' || PHONE.test(v), 'phone')
		.transform((v) => v || null);
export const optionalPostalCode = () =>
	z
		.string()
		.trim()
		.refine((v) => v === '' || POSTAL_CODE.test(v), 'postal_code')
		.transform((v) => v || null);

/** An OSM opening_hours expression (validated by the maintained parser); empty → null. */
export const optionalHours = () =>
	cleanText()
		.trim()
		.max(LIMITS.hours, 'too_long')
		.refine((v) => v === '' || checkOpeningHours(v).ok, 'hours_invalid')
		.transform((v) => v || null);

/** A code from a list: '' is `required`, anything else unknown is `unknown_code`. */
export const codeOf = <const T extends readonly [string, ...string[]]>(codes: T) =>
	z.enum(codes, { error: (issue) => (issue.input === '' ? 'required' : 'unknown_code') });

/** The location's accessibility note (HSDS `accessibility.description`); empty → null. */
export const accessibilityNote = () => optionalText(LIMITS.accessibility);

/**
 * A location's free-text notes for the public (HSDS `accessibility.description`): each has its
 * length in LIMITS, a label `location.<note>` and a hint `location.<note>Hint` in the messages, and
 * the forms, the values, the application summary, the resource page and the SQL
 * (server/db/location-notes.ts) go through this list, so a new note is added here (rule and list),
 * in the messages and as a column `location.<note>_description` (a migration).
 */
export const LOCATION_NOTES = ['accessibility'] as const;
export type LocationNote = (typeof LOCATION_NOTES)[number];

/* Points. */

export type PointReading = { ok: true; point: LonLat } | { ok: false; code: Extract<ProblemCode, 'point_required' | 'point_invalid'> };

const coordinate = (value: string): number | null => {
	const trimmed = value.trim();
	return NUMBER.test(trimmed) ? Number(trimmed.replace(',', '.')) : null;
};

/**
 * A point from the two fields as typed: decimal degrees, a comma allowed as the decimal mark, and
 * "45.8555, 9.3905" pasted from a map into either field (latitude first, as maps copy it). Whether
 * it lies in the served area is the server's question (it needs the database).
 */
export function readPoint(lonText: string, latText: string): PointReading {
	const pasted = PASTED_LAT_LON.exec(latText.trim()) ?? PASTED_LAT_LON.exec(lonText.trim());
	const [lat, lon] = pasted ? [pasted[1]!, pasted[2]!] : [latText, lonText];
	if (!lon.trim() && !lat.trim()) return { ok: false, code: 'point_required' };
	const checked = checkLonLat(coordinate(lon), coordinate(lat));
	return checked.ok ? { ok: true, point: checked.value } : { ok: false, code: 'point_invalid' };
}

/* The records' fields as forms send them (strings). Forms add their own parts (pact-application.ts). */

export const organizationFields = z.object({
	name: requiredText(LIMITS.name),
	description: description(),
	email: optionalEmail(),
	website: optionalWebsite()
});

export const phoneRow = z.object({ number: phoneNumber(), description: optionalText(LIMITS.phoneDescription) });

export const locationFields = z.object({
	name: requiredText(LIMITS.name),
	address: optionalText(LIMITS.address),
	postal_code: optionalPostalCode(),
	city: optionalText(LIMITS.city),
	confidential: z.boolean(),
	accessibility: accessibilityNote().default(null)
});

export const serviceFields = z.object({
	name: requiredText(LIMITS.name),
	description: description(),
	needs: z.array(codeOf(NEED_CODES)),
	audiences: z.array(codeOf(AUDIENCE_CODES)),
	email: optionalEmail()
});

/**
 * A location as its form fields hold it (strings as typed, kept when something is wrong); its notes
 * (LOCATION_NOTES) are absent in values built before they existed.
 */
export interface LocationValues extends Partial<Record<LocationNote, string>> {
	name: string;
	address: string;
	postal_code: string;
	city: string;
	lon: string;
	lat: string;
	confidential: boolean;
}

/** The notes as form values: each as stored or typed, '' for none. */
const notesOf = (read: (note: LocationNote) => string | null | undefined) => Object.fromEntries(LOCATION_NOTES.map((note) => [note, read(note) ?? ''])) as Record<LocationNote, string>;

export function blankLocation(): LocationValues {
	return { name: '', address: '', postal_code: '', city: '', lon: '', lat: '', confidential: false, ...notesOf(() => '') };
}

/**
 * A location's fields from a submitted form (LocationFields.svelte names them `<prefix><field>`),
 * each read up to `cap` characters so a huge field cannot fill memory; the rules decide what is too long.
 */
export function locationValuesFromForm(form: FormData, prefix = '', cap = 10_000): LocationValues {
	const text = (name: string) => String(form.get(prefix + name) ?? '').slice(0, cap);
	return {
		name: text('name'),
		address: text('address'),
		postal_code: text('postal_code'),
		city: text('city'),
		lon: text('lon'),
		lat: text('lat'),
		confidential: form.get(prefix + 'confidential') === 'on',
		...notesOf(text)
	};
}

/**
 * A location's fields as stored: what `locationFields` makes of the form's values, and its point
 * (placed by the server, which checks it lies in the served area).
 */
// The point as a type literal, not the LonLat interface: a record's fields are a Fields object
// (record-changes.ts), which only type literals satisfy.
export type LocationFields = z.output<typeof locationFields> & { lon: number; lat: number };

/** A stored location back as form values (an application's payload may leave the notes out). */
export function locationValuesOf(location: Omit<LocationFields, LocationNote> & Partial<Pick<LocationFields, LocationNote>>): LocationValues {
	return {
		name: location.name,
		address: location.address ?? '',
		postal_code: location.postal_code ?? '',
		city: location.city ?? '',
		lon: String(location.lon),
		lat: String(location.lat),
		confidential: location.confidential,
		...notesOf((note) => location[note])
	};
}

/* The records as the directory stores them (seed files, approved applications): the same rules. */

const ref = () => requiredText(LIMITS.ref);
/** A field a file may leave out: absent, or the form's rule. */
const absentOr = <T extends z.ZodType>(rule: T) => rule.optional();

export const phoneRecord = z.object({ number: phoneNumber(), description: absentOr(optionalText(LIMITS.phoneDescription)) });

export const locationRecord = z.object({
	ref: ref(),
	name: requiredText(LIMITS.name),
	lon: z.number('point_invalid').min(-180, 'point_invalid').max(180, 'point_invalid'),
	lat: z.number('point_invalid').min(-90, 'point_invalid').max(90, 'point_invalid'),
	address: absentOr(optionalText(LIMITS.address)),
	postal_code: absentOr(optionalPostalCode()),
	city: absentOr(optionalText(LIMITS.city)),
	confidential: z.boolean().default(false),
	accessibility: absentOr(accessibilityNote())
});

export const serviceRecord = z.object({
	ref: ref(),
	name: requiredText(LIMITS.name),
	description: description().default(''),
	category: codeOf(CATEGORY_CODES),
	needs: z.array(codeOf(NEED_CODES)).default([]),
	audiences: z.array(codeOf(AUDIENCE_CODES)).default([]),
	accepting_new: z.boolean().nullable().default(null),
	email: absentOr(optionalEmail()),
	url: absentOr(optionalWebsite()),
	phones: z.array(phoneRecord).max(LIMITS.phones, 'too_many').default([]),
	/** How many people it serves at once (HSDS service_capacity in the profile's unit, people); absent when unknown. */
	capacity: absentOr(z.number('invalid').int('invalid').min(1, 'invalid').max(1_000_000, 'invalid')),
	/** The rioni it is meant for, by name (HSDS service_area); whether each exists is the server's question. */
	areas: absentOr(z.array(requiredText(LIMITS.city)).max(100, 'too_many')),
	/** Where it is offered, each with its OSM opening_hours (null or absent when unknown). */
	at: z.array(z.object({ location: ref(), opening_hours: optionalHours().nullable().optional() })).min(1, 'at_required')
});

export const organizationRecord = z.object({
	ref: ref(),
	name: requiredText(LIMITS.name),
	kind: codeOf(CATEGORY_CODES),
	description: description().default(''),
	email: absentOr(optionalEmail()),
	website: absentOr(optionalWebsite()),
	phones: z.array(phoneRecord).max(LIMITS.phones, 'too_many').default([]),
	locations: z.array(locationRecord).min(1, 'required'),
	services: z.array(serviceRecord).min(1, 'required')
});

export type OrganizationRecord = z.infer<typeof organizationRecord>;
export type OrganizationRecordInput = z.input<typeof organizationRecord>;

/* From zod's issues to problems. */

/** The rules' messages are problem codes; anything else (a type zod found wrong) is just `invalid`. */
export function issueCode(issue: z.core.$ZodIssue | undefined): ProblemCode {
	return isProblemCode(issue?.message) ? issue.message : 'invalid';
}

// Checkbox groups carry one problem for the group, not one per box.
const GROUPS = new Set(['needs', 'audiences', 'at', 'commitments']);

/**
 * Adds a failed parse's problems to `problems` under `prefix` ("organization", "locations.0", or
 * '' for a form of its own), the first one per field; a group of checkboxes gets one for the group.
 */
export function collectProblems(problems: FieldProblems, prefix: string, error: z.ZodError): void {
	for (const issue of error.issues) {
		const path = [...(prefix ? prefix.split('.') : []), ...issue.path.map(String)];
		const group = path.findIndex((segment) => GROUPS.has(segment));
		const key = (group >= 0 ? path.slice(0, group + 1) : path).join('.');
		problems[key] ??= issueCode(issue);
	}
}

/** A schema's problems with `input`, as a map (empty when it is valid). */
export function problemsOf(schema: z.ZodType, input: unknown, prefix = ''): FieldProblems {
	const parsed = schema.safeParse(input);
	const problems: FieldProblems = {};
	if (!parsed.success) collectProblems(problems, prefix, parsed.error);
	return problems;
}
