/**
 * PostgreSQL errors that input caused, as a 4xx problem: the backstop behind the parse-time rules
 * (src/lib/domain/text.ts, dates.ts and each service's schema). A value that slips past them
 * (a malformed id, a number out of range, a reference to a row that is not there) answers "check
 * what you sent", never a 500. Errors of our own making (syntax, permissions, connections) are
 * not listed and stay 500s.
 */
export interface InputProblem {
	status: 400 | 409;
	message: string;
}

const PROBLEMS: Record<string, InputProblem> = {
	'22P02': { status: 400, message: 'A value has the wrong form (for example an id that is not one): check what you sent.' },
	'22003': { status: 400, message: 'A number is out of range: check what you sent.' },
	'22007': { status: 400, message: 'A date or time is not valid: use a real day like 2026-11-24.' },
	'22008': { status: 400, message: 'A date or time is out of range: use a real day like 2026-11-24.' },
	'22021': { status: 400, message: 'Some text is not valid UTF-8: send plain text.' },
	'22P05': { status: 400, message: 'Some text holds a character that cannot be stored (such as NUL): remove it.' },
	'22001': { status: 400, message: 'A text is too long: shorten it.' },
	'23502': { status: 400, message: 'A required value is missing: check what you sent.' },
	'23503': { status: 400, message: 'A value refers to a record that does not exist (an unknown id): check what you sent.' },
	'23505': { status: 409, message: 'This already exists: reload and check before trying again.' },
	'23514': { status: 400, message: 'A value is not allowed here: check what you sent.' }
};

/** The 4xx problem for a database error caused by input, or null for anything else. */
export function inputProblem(error: unknown): InputProblem | null {
	if (error === null || typeof error !== 'object') return null;
	const code = (error as { code?: unknown }).code;
	return typeof code === 'string' ? (PROBLEMS[code] ?? null) : null;
}

/** A unique violation of `constraint` (an index or a key): a race another request won, which the service answers in its own words. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
	if (error === null || typeof error !== 'object') return false;
	const e = error as { code?: unknown; constraint_name?: unknown };
	return e.code === '23505' && e.constraint_name === constraint;
}

/** SQLSTATEs of a connection the server ended or refused (class 57P: shutdown or termination; class 08: connection exceptions). */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
/** postgres.js's own codes for a connection lost or not made, and Node's for a refused or cut socket. */
const UNAVAILABLE_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOENT']);

/**
 * Whether an error means the database was out of reach (restarted, the connection ended), not
 * that the request was wrong or the code is: the caller may try again in a moment (a 503). The
 * transaction it was in did not commit — PostgreSQL rolls back a transaction whose connection ends.
 */
export function databaseUnavailable(error: unknown): boolean {
	if (error === null || typeof error !== 'object') return false;
	const code = (error as { code?: unknown }).code;
	if (typeof code !== 'string') return false;
	// ENOENT: the embedded store's socket, or a server's Unix socket, is gone; only from a connection attempt.
	if (code === 'ENOENT') return (error as { syscall?: unknown }).syscall === 'connect';
	return UNAVAILABLE_STATES.has(code) || UNAVAILABLE_CODES.has(code);
}
