/**
 * Opening hours (OSM `opening_hours` expressions, the atlas's one way of writing them) as HSDS 3.1
 * `schedule` objects. HSDS describes a weekly timetable as RRULE-like rows (`freq: WEEKLY`,
 * `byday`, `opens_at`, `closes_at`); an OSM expression says more (weeks of the month, seasons,
 * holidays). So only the plain weekly expressions are translated — rules of weekdays and times
 * (`Mo-Fr 09:00-12:00,15:00-18:00; Sa 09:00-12:00`), plus `PH off` — one schedule per time range
 * with the days it applies to; every other expression becomes one schedule holding it as its
 * `description`. Every schedule carries the whole expression in the Lecco profile's extension
 * `x_opening_hours` (docs/hsds-lecco-profile.md): the exact truth, for clients that read OSM hours.
 */
const DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
const DAY = '(?:Mo|Tu|We|Th|Fr|Sa|Su)';
const DAY_LIST = new RegExp(`^${DAY}(?:-${DAY})?(?:,${DAY}(?:-${DAY})?)*$`);
const TIME = /^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

export interface WeeklyRange {
	/** Two-letter upper-case days, RRULE style: `MO,TU`. */
	byday: string;
	opens_at: string;
	closes_at: string;
}

function daysOf(list: string): number[] {
	return list.split(',').flatMap((part) => {
		const [from, to] = part.split('-') as [string, string | undefined];
		const start = DAYS.indexOf(from as (typeof DAYS)[number]);
		const end = to === undefined ? start : DAYS.indexOf(to as (typeof DAYS)[number]);
		// Mo-Fr, or a range across the week's end (Sa-Mo).
		const days: number[] = [];
		for (let day = start; ; day = (day + 1) % 7) {
			days.push(day);
			if (day === end) break;
		}
		return days;
	});
}

/** The weekly ranges of a plain expression, or null when it says more than a week can. */
export function weeklyRanges(expression: string): WeeklyRange[] | null {
	const byDay = new Map<number, string[]>();
	for (const raw of expression.split(';')) {
		const rule = raw.trim();
		if (rule === '' || rule === 'PH off') continue;
		const match = /^(\S+)\s+(\S+)$/.exec(rule);
		if (!match || !DAY_LIST.test(match[1]!)) return null;
		const times = match[2]!.split(',');
		if (!times.every((time) => TIME.test(time))) return null;
		// A later rule replaces an earlier one for its days (OSM semantics).
		for (const day of daysOf(match[1]!)) byDay.set(day, times);
	}
	if (byDay.size === 0) return null;
	const groups = new Map<string, number[]>();
	for (const [day, times] of [...byDay].sort(([a], [b]) => a - b)) {
		for (const time of times) groups.set(time, [...(groups.get(time) ?? []), day]);
	}
	return [...groups]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([time, days]) => {
			const [opens_at, closes_at] = time.split('-') as [string, string];
			return { byday: days.map((day) => DAYS[day]!.toUpperCase()).join(','), opens_at, closes_at };
		});
}
