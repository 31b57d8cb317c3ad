/**
 * The one list of problems a person can fix in a form, an import or a seed file. A service reports
 * them as data — the field (its path in the form's values, e.g. "locations.0.website") and a code —
 * never as English sentences: the route picks the HTTP status, the page the words, as
 * `problem.<code>` in the person's language (src/lib/i18n/messages/<lang>/problems.json; a unit
 * test checks every code has one message per language).
 */
export const PROBLEM_CODES = [
	// Any field.
	'invalid',
	'required',
	'too_long',
	'too_many',
	/** NUL, lone surrogates, control characters (domain/text.ts). */
	'text',
	'unknown_code',
	/** The same identifier twice in one file (an import's external ids). */
	'duplicate',
	// Formats.
	'email',
	'url',
	'phone',
	'phone_missing',
	'postal_code',
	'date',
	'date_future',
	// Places.
	'point_required',
	'point_invalid',
	'outside_area',
	'confidential_outside_rione',
	'not_found',
	// Services.
	'needs_required',
	'at_required',
	'unknown_location',
	'hours_days',
	'hours_time',
	'hours_order',
	'hours_invalid',
	'hours_both',
	'closure_from',
	'closure_order',
	// The pact application.
	'commitment_required',
	'declaration_required',
	'password_too_short',
	'password_too_long',
	'password_common',
	'password_contextual',
	'password_mismatch',
	// A save that met someone else's.
	'stale'
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** One problem: which field, what is wrong with it. */
export interface Problem {
	field: string;
	code: ProblemCode;
}

/** Problems by field path ("locations.0.lon", "services.1.needs") → code: one per field, the first found. */
export type FieldProblems = Record<string, ProblemCode>;

export function isProblemCode(value: unknown): value is ProblemCode {
	return typeof value === 'string' && (PROBLEM_CODES as readonly string[]).includes(value);
}

/** The message key of a code (the UI's half of the contract). */
export const problemKey = (code: ProblemCode): string => `problem.${code}`;

/** Problems as a list, in the map's order. */
export function problemList(problems: FieldProblems): Problem[] {
	return Object.entries(problems).map(([field, code]) => ({ field, code }));
}
