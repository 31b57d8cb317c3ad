/**
 * Instants for tests, always relative to the (possibly shifted, see test-clock.mjs) current time,
 * never fixed dates: a test must pass on any day, at any hour, in any time zone.
 */
const ROME = 'Europe/Rome';

const romeParts = new Intl.DateTimeFormat('en-US', {
	timeZone: ROME,
	hourCycle: 'h23',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	weekday: 'short'
});

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The wall-clock reading in Rome at `at`: date parts, and the weekday (0 = Sunday). */
export function inRome(at: Date): { year: number; month: number; day: number; hour: number; minute: number; weekday: number } {
	const parts = Object.fromEntries(romeParts.formatToParts(at).map((p) => [p.type, p.value]));
	return {
		year: Number(parts.year),
		month: Number(parts.month),
		day: Number(parts.day),
		hour: Number(parts.hour),
		minute: Number(parts.minute),
		weekday: WEEKDAYS.indexOf(parts.weekday!)
	};
}

/** The instant at which Rome's clocks read `year-month-day hour:minute` (DST-aware). */
export function romeInstant(year: number, month: number, day: number, hour: number, minute: number): Date {
	const wanted = Date.UTC(year, month - 1, day, hour, minute);
	let guess = wanted;
	// Two corrections settle it: Rome's offset is +1 or +2 hours and changes at most once a day.
	for (let i = 0; i < 2; i++) {
		const seen = inRome(new Date(guess));
		guess += wanted - Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
	}
	return new Date(guess);
}

/**
 * The next time (strictly after `from`) Rome's clocks read `hour:minute` on `weekday`
 * (0 = Sunday … 6 = Saturday): at most 7 days ahead.
 */
export function nextInRome(weekday: number, hour: number, minute: number, from: Date = new Date()): Date {
	const today = inRome(from);
	// Calendar days, not 24-hour steps: a day in Rome lasts 23 or 25 hours when the clocks change.
	for (let days = 0; days <= 7; days++) {
		const date = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
		if (date.getUTCDay() !== weekday) continue;
		const at = romeInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hour, minute);
		if (at.getTime() > from.getTime()) return at;
	}
	throw new Error(`no ${WEEKDAYS[weekday]} ${hour}:${minute} within a week of ${from.toISOString()}`);
}

/** Rome's calendar date `days` from today (negative: before), as YYYY-MM-DD. */
export function romeDate(days = 0, from: Date = new Date()): string {
	const today = inRome(from);
	return new Date(Date.UTC(today.year, today.month - 1, today.day + days)).toISOString().slice(0, 10);
}

/** The next time (strictly after `from`) Rome's clocks read `hour:minute`, on any day. */
export function nextRomeTime(hour: number, minute: number, from: Date = new Date()): Date {
	const today = inRome(from);
	const candidate = romeInstant(today.year, today.month, today.day, hour, minute);
	if (candidate.getTime() > from.getTime()) return candidate;
	const tomorrow = new Date(Date.UTC(today.year, today.month - 1, today.day + 1));
	return romeInstant(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate(), hour, minute);
}

/**
 * TEST_CLOCK for a whole run: an ISO 8601 instant with its offset (`2026-12-01T00:30:00+01:00`), or
 * `HH:MM`, the next time Rome's clocks read that. Returns the offset from the real clock in ms.
 */
export function testClockOffset(spec: string | undefined, realNow: Date = new Date()): number {
	if (!spec) return 0;
	const time = /^(\d{2}):(\d{2})$/.exec(spec);
	const target = time ? nextRomeTime(Number(time[1]), Number(time[2]), realNow) : new Date(spec);
	if (Number.isNaN(target.getTime()) || !/^\d{2}:\d{2}$|[zZ]$|[+-]\d{2}:?\d{2}$/.test(spec)) {
		throw new Error(`TEST_CLOCK=${spec}: give HH:MM (Rome) or an ISO 8601 instant with its offset`);
	}
	return target.getTime() - realNow.getTime();
}
