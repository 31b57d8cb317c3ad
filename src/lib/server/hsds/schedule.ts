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

/** An HSDS schedule row as a package's `schedules.csv` holds it (text by column). */
export type ScheduleCells = Partial<Record<string, string>>;

/** The note the export writes when an expression closes on public holidays (`PH off`); read back as that. */
export const HOLIDAYS_CLOSED = 'Chiuso nei giorni festivi';

const HH_MM = /^([01]?\d|2[0-4]):([0-5]\d)(?::[0-5]\d)?$/;
/** Fields whose presence says a schedule is more than a weekly timetable (dates, weeks of the month, counts). */
const BEYOND_WEEKLY = ['valid_from', 'valid_to', 'dtstart', 'until', 'count', 'byweekno', 'bymonthday', 'byyearday'];

const hhmm = (text: string | undefined): string | null => {
	const match = HH_MM.exec((text ?? '').trim());
	return match ? `${match[1]!.padStart(2, '0')}:${match[2]}` : null;
};

/** Days as OSM writes them: a run of three or more as a range (`Mo-Fr`), else a list (`Sa,Su`). */
function dayList(days: number[]): string {
	const runs: number[][] = [];
	for (const day of days) {
		const last = runs.at(-1);
		if (last && last.at(-1) === day - 1) last.push(day);
		else runs.push([day]);
	}
	return runs
		.map((run) => (run.length >= 3 ? `${DAYS[run[0]!]}-${DAYS[run.at(-1)!]}` : run.map((day) => DAYS[day]).join(',')))
		.join(',');
}

/**
 * The OSM opening_hours expression of a place's HSDS schedules: the whole expression when the Lecco
 * profile's `x_opening_hours` carries it (the truth, {@link weeklyRanges} only translates it),
 * else the weekly rows (`freq` WEEKLY or empty, `byday`, `opens_at`, `closes_at`) written back as
 * rules of days and times — days with the same times share a rule, in the week's order — and the
 * profile's holiday note as `PH off`. `null` when there are no schedules; `{ unreadable }` with the
 * schedules' own words when they say more than a week can (dates, weeks of the month, other
 * frequencies), for the import to report rather than drop.
 */
export function openingHoursOf(schedules: readonly ScheduleCells[]): { expression: string } | { unreadable: string } | null {
	if (schedules.length === 0) return null;
	const carried = schedules.map((s) => s.x_opening_hours?.trim()).find(Boolean);
	if (carried) return { expression: carried };
	const byDay = new Map<number, string[]>();
	let holidaysClosed = false;
	for (const schedule of schedules) {
		const freq = (schedule.freq ?? '').trim().toUpperCase();
		const interval = (schedule.interval ?? '').trim();
		const days = (schedule.byday ?? '')
			.split(',')
			.map((day) => day.trim().toUpperCase())
			.filter(Boolean)
			.map((day) => DAYS.findIndex((d) => d.toUpperCase() === day));
		const opens = hhmm(schedule.opens_at);
		const closes = hhmm(schedule.closes_at);
		const beyond = BEYOND_WEEKLY.some((field) => (schedule[field] ?? '').trim() !== '');
		if ((freq !== '' && freq !== 'WEEKLY') || (interval !== '' && interval !== '1') || days.length === 0 || days.includes(-1) || !opens || !closes || beyond) {
			const words = [schedule.description, schedule.notes].map((text) => text?.trim()).filter(Boolean);
			return { unreadable: words.join(' — ') || `${freq || 'WEEKLY'} ${schedule.byday ?? ''} ${schedule.opens_at ?? ''}-${schedule.closes_at ?? ''}`.trim() };
		}
		if ((schedule.notes ?? '').trim() === HOLIDAYS_CLOSED) holidaysClosed = true;
		for (const day of days) byDay.set(day, [...(byDay.get(day) ?? []), `${opens}-${closes}`]);
	}
	const rules = new Map<string, number[]>();
	for (const [day, times] of [...byDay].sort(([a], [b]) => a - b)) {
		const key = [...new Set(times)].sort().join(',');
		rules.set(key, [...(rules.get(key) ?? []), day]);
	}
	const expression = [...rules].map(([times, days]) => `${dayList(days)} ${times}`);
	return { expression: [...expression, ...(holidaysClosed ? ['PH off'] : [])].join('; ') };
}
