import opening_hours from 'opening_hours';

/**
 * OSM `opening_hours` expressions (https://wiki.openstreetmap.org/wiki/Key:opening_hours), parsed
 * and evaluated with the maintained `opening_hours` library. All our hours are in Europe/Rome.
 */
export const TIME_ZONE = 'Europe/Rome';

// Public holidays ("PH") are those of Italy, Lombardy; the point is Lecco's centre.
const NOMINATIM = { lat: 45.8555, lon: 9.3905, address: { country_code: 'it', state: 'Lombardia' } };

export type HoursCheck = { ok: true; expression: string } | { ok: false; error: string };

/**
 * The library works in the process's local time zone, so the server runs in Europe/Rome.
 * Node honours a change of TZ at run time; calling this before every evaluation makes it true
 * however the process was started.
 */
export function useRomeTime(): void {
	if (typeof process !== 'undefined' && process.env.TZ !== TIME_ZONE) process.env.TZ = TIME_ZONE;
}

function parse(expression: string): opening_hours {
	return new opening_hours(expression, NOMINATIM);
}

// Answers by expression: parsing costs about a millisecond, and an import checks the same few
// expressions thousands of times. Bounded, so hostile input cannot grow it without end.
const checked = new Map<string, HoursCheck>();
const CHECKED_MAX = 500;

/** Accepts a syntactically valid, unambiguous expression (the library's warnings count as errors). */
export function checkOpeningHours(input: string): HoursCheck {
	const expression = input.trim();
	if (expression === '') return { ok: false, error: 'opening hours are empty' };
	if (expression.length > 1000) return { ok: false, error: 'opening hours are longer than 1000 characters' };
	const known = checked.get(expression);
	if (known) return known;
	let answer: HoursCheck = { ok: true, expression };
	try {
		const warnings = parse(expression).getWarnings();
		if (warnings.length > 0) answer = { ok: false, error: `opening hours are ambiguous: ${warnings[0]}` };
	} catch (error) {
		answer = { ok: false, error: `opening hours are not valid OSM opening_hours syntax: ${String(error).trim()}` };
	}
	if (checked.size >= CHECKED_MAX) checked.clear();
	checked.set(expression, answer);
	return answer;
}

/** The intervals in which an expression is open (not "unknown") between two instants. */
export function openIntervals(expression: string, from: Date, to: Date): [Date, Date][] {
	useRomeTime();
	return parse(expression)
		.getOpenIntervals(from, to)
		.filter(([, , unknown]) => !unknown)
		.map(([start, end]) => [start, end]);
}

/** Whether the expression says open at `at` (false for closed or unknown). */
export function isOpenAt(expression: string, at: Date): boolean {
	useRomeTime();
	return parse(expression).getState(at);
}

/** A stretch of time in which an expression's state and comment stay the same. */
export interface HoursSegment {
	start: Date;
	end: Date;
	/** "unknown" is what the expression says for, e.g., `Mo 17:00-19:00 "su appuntamento"` or an open end. */
	state: 'open' | 'unknown' | 'closed';
	comment: string | null;
}

/**
 * The expression's whole timeline between two instants, closed stretches and comments included
 * (unlike {@link openIntervals}, which keeps only certain openings), for showing hours to people.
 */
export function hoursTimeline(expression: string, from: Date, to: Date): HoursSegment[] {
	useRomeTime();
	const iterator = parse(expression).getIterator(from);
	const segments: HoursSegment[] = [];
	const current = () => {
		const state = iterator.getStateString(undefined, true);
		return { state: state === 'open' || state === 'unknown' ? state : ('closed' as const), comment: iterator.getComment() ?? null };
	};
	let start = from;
	let now = current();
	while (iterator.advance(to)) {
		const at = iterator.getDate();
		if (at.getTime() >= to.getTime()) break;
		if (at.getTime() > start.getTime()) segments.push({ start, end: at, ...now });
		start = at;
		now = current();
	}
	if (to.getTime() > start.getTime()) segments.push({ start, end: to, ...now });
	return segments;
}

/** The public holidays ("PH" in expressions) that begin between two instants, named as the library names them (Italian). */
export function publicHolidays(from: Date, to: Date): { start: Date; name: string }[] {
	useRomeTime();
	return parse('PH')
		.getOpenIntervals(from, to)
		.map(([start, , , comment]) => ({ start, name: comment ?? '' }));
}
