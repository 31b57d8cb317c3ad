import { TIME_ZONE, hoursTimeline, publicHolidays, type HoursSegment } from './opening-hours';

/**
 * The readable week of an OSM opening_hours expression: the next days one by one (today first, in
 * Europe/Rome whatever the machine's time zone), the public holidays and other exceptions coming up,
 * and the comments the expression carries. Plain data (strings and numbers) that the page shows as is.
 */

/** One opening within a day, as local Rome times "HH:MM" ("24:00" for a day's end). */
export interface TimeRange {
	from: string;
	to: string;
	/** The expression does not say for sure (e.g. "by appointment"). */
	unknown: boolean;
	/** Open from `from` with no closing time given (`10:00+`): `to` is only the library's guess. */
	openEnd: boolean;
	/** The expression's own comment for this opening, if any. */
	comment: string | null;
}

export interface DayHours {
	/** The calendar day in Rome, YYYY-MM-DD. */
	date: string;
	/** ISO weekday: 1 = Monday … 7 = Sunday. */
	weekday: number;
	today: boolean;
	/** Empty when closed all day. */
	ranges: TimeRange[];
	/** Open around the clock. */
	allDay: boolean;
	/** A comment the expression gives for a closed stretch of the day (e.g. `PH off "chiuso per festa"`). */
	closedComment: string | null;
	/** The public holiday's name (Italian, as the opening_hours library names it), when the day is one. */
	holiday: string | null;
}

/** A day of the coming fortnight that is a public holiday or does not follow the usual hours of its weekday. */
export interface HoursException {
	day: DayHours;
	/** The usual hours of that weekday, when the day differs from them (null: same as usual, or no usual known). */
	usual: TimeRange[] | null;
}

export interface WeekTable {
	expression: string;
	/** The next `days` days, today first. */
	days: DayHours[];
	/** Within the next `exceptionDays` days, in date order. */
	exceptions: HoursException[];
	/** Every comment written in the expression ("…"), in order, without repeats. */
	comments: string[];
}

export interface WeekTableOptions {
	/** Days in the table (default 7). */
	days?: number;
	/** Days scanned for holidays and exceptions (default 14). */
	exceptionDays?: number;
}

const DAY_MS = 86_400_000;

const partsFormat = new Intl.DateTimeFormat('en-GB', {
	timeZone: TIME_ZONE,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23'
});

/** Wall-clock fields of an instant in Rome. */
function romeParts(at: Date) {
	const parts = Object.fromEntries(partsFormat.formatToParts(at).map((part) => [part.type, part.value]));
	return {
		year: Number(parts.year),
		month: Number(parts.month),
		day: Number(parts.day),
		hour: Number(parts.hour) % 24,
		minute: Number(parts.minute),
		second: Number(parts.second)
	};
}

/** How far Rome's wall clock is ahead of UTC at `at`, in milliseconds. */
function romeOffset(at: Date): number {
	const p = romeParts(at);
	const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
	return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a calendar day begins in Rome (DST changes happen at 02:00/03:00, never at midnight). */
function romeMidnight(year: number, month: number, day: number): Date {
	const wall = Date.UTC(year, month - 1, day);
	let instant = wall - romeOffset(new Date(wall));
	instant = wall - romeOffset(new Date(instant));
	return new Date(instant);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "HH:MM" in Rome; the end of a day is "24:00", not the next day's "00:00". */
function clock(at: Date, dayEnd: Date): string {
	if (at.getTime() >= dayEnd.getTime()) return '24:00';
	const p = romeParts(at);
	return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** The comments written in an expression, in order and without repeats. */
export function expressionComments(expression: string): string[] {
	const found = [...expression.matchAll(/"([^"]*)"/g)].map((match) => match[1]!.trim()).filter((comment) => comment !== '');
	return [...new Set(found)];
}

/** A comparable summary of a day's openings. */
function signature(ranges: TimeRange[]): string {
	return ranges.map((r) => `${r.from}-${r.to}${r.unknown ? '?' : ''}${r.openEnd ? '+' : ''}${r.comment ? `"${r.comment}"` : ''}`).join(',');
}

function dayHours(expression: string, comments: string[], date: { year: number; month: number; day: number }, today: boolean, holiday: string | null): DayHours {
	const start = romeMidnight(date.year, date.month, date.day);
	const end = romeMidnight(date.year, date.month, date.day + 1);
	const segments = hoursTimeline(expression, start, end);
	const ranges: TimeRange[] = [];
	let closedComment: string | null = null;
	for (const segment of segments) {
		// Comments the expression does not contain come from the library (an open end's guessed closing time).
		const own = segment.comment !== null && comments.includes(segment.comment) ? segment.comment : null;
		if (segment.state === 'closed') {
			closedComment ??= own;
			continue;
		}
		const openEnd = segment.state === 'unknown' && segment.comment !== null && own === null;
		const range: TimeRange = {
			from: clock(segment.start, end),
			to: clock(segment.end, end),
			unknown: segment.state === 'unknown',
			openEnd,
			comment: own
		};
		// Join touching stretches that read the same (the library may split where only a hidden detail changes).
		const last = ranges.at(-1);
		if (last && last.to === range.from && last.unknown === range.unknown && last.openEnd === range.openEnd && last.comment === range.comment) {
			last.to = range.to;
		} else {
			ranges.push(range);
		}
	}
	const isoWeekday = ((new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7) + 1;
	const allDay = ranges.length === 1 && ranges[0]!.from === '00:00' && ranges[0]!.to === '24:00' && !ranges[0]!.unknown;
	return {
		date: `${date.year}-${pad(date.month)}-${pad(date.day)}`,
		weekday: isoWeekday,
		today,
		ranges,
		allDay,
		closedComment,
		holiday
	};
}

/**
 * The week table of `expression` seen from `now`. Returns null when the expression cannot be read
 * (it is validated when written, so this is only a safety net: the page then shows the raw text).
 *
 * An exception is a public holiday, or a day whose hours differ from its weekday's usual ones,
 * "usual" being the hours most of that weekday's non-holiday days have within the scanned days
 * (a tie goes to the earliest, so what holds now is the norm and a change ahead is the exception).
 */
export function weekTable(expression: string, now: Date = new Date(), options: WeekTableOptions = {}): WeekTable | null {
	const shown = options.days ?? 7;
	const scanned = Math.max(shown, options.exceptionDays ?? 14);
	const comments = expressionComments(expression);
	const first = romeParts(now);
	const dates = Array.from({ length: scanned }, (_, i) => {
		// Date.UTC normalises day overflow into the next month or year.
		const d = new Date(Date.UTC(first.year, first.month - 1, first.day + i));
		return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
	});
	const from = romeMidnight(first.year, first.month, first.day);
	const last = dates.at(-1)!;
	const to = romeMidnight(last.year, last.month, last.day + 1);

	let days: DayHours[];
	try {
		const holidays = new Map<string, string>();
		for (const holiday of publicHolidays(from, to)) {
			const p = romeParts(new Date(holiday.start.getTime() + DAY_MS / 2));
			const key = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
			if (!holidays.has(key)) holidays.set(key, holiday.name);
		}
		days = dates.map((date, i) => {
			const key = `${date.year}-${pad(date.month)}-${pad(date.day)}`;
			return dayHours(expression, comments, date, i === 0, holidays.get(key) ?? null);
		});
	} catch {
		return null;
	}

	const usual = new Map<number, TimeRange[]>();
	for (let weekday = 1; weekday <= 7; weekday++) {
		const counts = new Map<string, { count: number; ranges: TimeRange[] }>();
		for (const day of days) {
			if (day.weekday !== weekday || day.holiday) continue;
			const key = signature(day.ranges);
			const entry = counts.get(key) ?? { count: 0, ranges: day.ranges };
			entry.count++;
			counts.set(key, entry);
		}
		let best: { count: number; ranges: TimeRange[] } | undefined;
		// Map keeps insertion (date) order, so on a tie the earliest stays.
		for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
		if (best) usual.set(weekday, best.ranges);
	}

	const exceptions: HoursException[] = [];
	for (const day of days) {
		const normal = usual.get(day.weekday);
		const differs = normal !== undefined && signature(normal) !== signature(day.ranges);
		if (day.holiday || differs) exceptions.push({ day, usual: differs ? normal! : null });
	}
	return { expression, days: days.slice(0, shown), exceptions, comments };
}

/** A moment in Rome, as plain data for a page to put in words ("lunedì alle 15:00"). */
export interface RomeMoment {
	/** The calendar day in Rome, YYYY-MM-DD. */
	date: string;
	/** ISO weekday: 1 = Monday … 7 = Sunday. */
	weekday: number;
	/** Calendar days from today in Rome: 0 today, 1 tomorrow. */
	inDays: number;
	/** "HH:MM" in Rome. */
	time: string;
}

/**
 * When a place is next open, seen from `now`: open now (and until when, if it closes within the
 * scanned days), or the next opening. `unknown` and `comment` carry what the expression says for
 * an opening it does not promise (e.g. `"su appuntamento"`). `notBefore` (YYYY-MM-DD in Rome) skips
 * the days before it, for a temporary closure. Null when there is no opening within `withinDays`
 * days, or the expression cannot be read.
 */
export type NextOpening =
	| { open: true; until: RomeMoment | null; unknown: boolean; comment: string | null }
	| { open: false; at: RomeMoment; unknown: boolean; comment: string | null };

export function nextOpening(expression: string, now: Date = new Date(), options: { notBefore?: string | null; withinDays?: number } = {}): NextOpening | null {
	return readNextOpening(expression, now, options).next;
}

/**
 * {@link nextOpening}, and until when that answer holds: the first instant at which any part of it
 * may read differently (the change it announces, the end of the stretch it describes, or Rome's
 * next midnight, when "today" and "tomorrow" move on).
 */
function readNextOpening(
	expression: string,
	now: Date,
	options: { notBefore?: string | null; withinDays?: number }
): { next: NextOpening | null; holdsUntil: Date } {
	const today = romeParts(now);
	const todayUtc = Date.UTC(today.year, today.month - 1, today.day);
	const midnight = romeMidnight(today.year, today.month, today.day + 1);
	const holds = (next: NextOpening | null, change: Date | null = null) => ({
		next,
		holdsUntil: change && change.getTime() < midnight.getTime() ? change : midnight
	});
	let from = now;
	if (options.notBefore) {
		const [year, month, day] = options.notBefore.split('-').map(Number) as [number, number, number];
		const skipTo = romeMidnight(year, month, day);
		if (skipTo.getTime() > from.getTime()) from = skipTo;
	}
	const end = romeMidnight(today.year, today.month, today.day + (options.withinDays ?? 14));
	if (from.getTime() >= end.getTime()) return holds(null);
	const moment = (at: Date): RomeMoment => {
		const p = romeParts(at);
		const dayUtc = Date.UTC(p.year, p.month - 1, p.day);
		return {
			date: `${p.year}-${pad(p.month)}-${pad(p.day)}`,
			weekday: ((new Date(dayUtc).getUTCDay() + 6) % 7) + 1,
			inDays: Math.round((dayUtc - todayUtc) / DAY_MS),
			time: `${pad(p.hour)}:${pad(p.minute)}`
		};
	};
	let segments: HoursSegment[];
	try {
		segments = hoursTimeline(expression, from, end);
	} catch {
		return holds(null);
	}
	const comments = expressionComments(expression);
	const index = segments.findIndex((segment) => segment.state !== 'closed');
	if (index < 0) return holds(null);
	const opening = segments[index]!;
	// The library's own comments (an open end's guessed closing time) are not the expression's words.
	const comment = opening.comment !== null && comments.includes(opening.comment) ? opening.comment : null;
	const unknown = opening.state === 'unknown';
	if (opening.start.getTime() > now.getTime()) return holds({ open: false, at: moment(opening.start), unknown, comment }, opening.start);
	// Open now: it closes where the first closed stretch after it begins (touching open stretches run on).
	const closing = segments.slice(index).find((segment) => segment.state === 'closed');
	return holds({ open: true, until: closing ? moment(closing.start) : null, unknown, comment }, opening.end);
}

/** A temporary closure, days YYYY-MM-DD in Rome, both included (`until` null: until further notice). */
export interface ClosureDays {
	from: string;
	until: string | null;
}

const dayAfter = (date: string): string => {
	const [year, month, day] = date.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
};

/**
 * The next change of state that people act on ("closes at 18:00", "reopens Monday at 15:00"),
 * seen from `now`, with a service's temporary closure (under way or announced) taken into account:
 * no opening is promised inside it, and none at all while it lasts until further notice. The one
 * reading behind the family's card, the lists, the map popup and "Trova aiuto". Null when there
 * are no hours, no opening within the scanned days, or the hours cannot be read.
 */
export function nextChange(expression: string | null, closure: ClosureDays | null, now: Date = new Date()): NextOpening | null {
	if (!expression) return null;
	// A list reads the same few dozen expressions on every request, and the answer holds until the
	// change it announces (or midnight): kept until then, a list costs a lookup per place, not a
	// fortnight's timeline.
	const key = `${closure?.from ?? ''}|${closure?.until ?? ''}|${expression}`;
	const kept = nextChanges.get(key);
	if (kept && kept.from <= now.getTime() && now.getTime() < kept.until) return kept.next;
	const { next, holdsUntil } = readNextChange(expression, closure, now);
	if (nextChanges.size >= 5000) nextChanges.clear();
	nextChanges.set(key, { next, from: now.getTime(), until: holdsUntil.getTime() });
	return next;
}

const nextChanges = new Map<string, { next: NextOpening | null; from: number; until: number }>();

function readNextChange(expression: string, closure: ClosureDays | null, now: Date): { next: NextOpening | null; holdsUntil: Date } {
	const today = romeParts(now);
	const todayDate = `${today.year}-${pad(today.month)}-${pad(today.day)}`;
	const closedOn = (date: string) => closure !== null && date >= closure.from && (closure.until === null || date <= closure.until);
	const afterClosure = () =>
		closure!.until
			? readNextOpening(expression, now, { notBefore: dayAfter(closure!.until) })
			: { next: null, holdsUntil: romeMidnight(today.year, today.month, today.day + 1) };
	// Closed today by the closure: the next opening comes after it (never, without an end).
	if (closedOn(todayDate)) return afterClosure();
	const read = readNextOpening(expression, now, {});
	// An announced closure that begins before the next opening moves it past the closure.
	if (read.next && !read.next.open && closedOn(read.next.at.date)) return afterClosure();
	// Open now and closing into a closure: it still closes when the hours say.
	return read;
}

/**
 * Evenings, nights, weekends and public holidays in Rome (20:00 to 08:00, all of Saturday, Sunday
 * and a holiday): when most offices are shut, so lists put the services open now first.
 */
export function isAfterHours(now: Date = new Date()): boolean {
	const p = romeParts(now);
	if (p.hour >= 20 || p.hour < 8) return true;
	const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
	if (weekday === 0 || weekday === 6) return true;
	const start = romeMidnight(p.year, p.month, p.day);
	const end = romeMidnight(p.year, p.month, p.day + 1);
	try {
		return publicHolidays(start, end).length > 0;
	} catch {
		return false;
	}
}

/**
 * `items` with those open now first, each group in its given order (stable): after hours
 * ({@link isAfterHours}) people need what they can reach tonight, not the nearest closed office.
 */
export function openNowFirst<T>(items: readonly T[], isOpen: (item: T) => boolean | null): T[] {
	return [...items.filter((item) => isOpen(item) === true), ...items.filter((item) => isOpen(item) !== true)];
}
