/**
 * Calendar days and whole numbers as people and programs send them. Pure: shared by browser and
 * server. The calendar day of the service is Lecco's (Europe/Rome), whatever the server's zone:
 * this is the one function that says which day it is.
 */

/** Today in Lecco as YYYY-MM-DD; `now` is the clock's instant (tests pass their own). */
export function todayInRome(now: Date = new Date()): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A real calendar day written YYYY-MM-DD: `2026-02-31` and `2026-13-01` are not (JavaScript's
 * Date would roll them over to March and next January, PostgreSQL would refuse them with an error).
 */
export function isRealDate(value: string): boolean {
	const match = DAY.exec(value);
	if (!match) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const date = new Date(Date.UTC(year, month - 1, day));
	return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Days earlier than this are typing mistakes in this service (no record of it predates 2000). */
export const EARLIEST_DAY = '2000-01-01';
/** Days later than this are typing mistakes too (due dates, closures): a plan does not run for decades. */
export const LATEST_DAY = '2099-12-31';

/** A real day within EARLIEST_DAY…LATEST_DAY (ISO strings compare in calendar order). */
export const isPlausibleDate = (value: string): boolean => isRealDate(value) && value >= EARLIEST_DAY && value <= LATEST_DAY;

/** PostgreSQL's `integer`: versions, counters and ids sent by clients must fit in it. */
export const INT32_MAX = 2_147_483_647;

export const isInt32 = (value: number): boolean => Number.isInteger(value) && value >= -INT32_MAX - 1 && value <= INT32_MAX;
