/**
 * Opening hours as people fill them in a form — a few "days, from, to" rows — turned into the OSM
 * `opening_hours` expression the directory stores (see opening-hours.ts). Rows are joined with the
 * additional-rule separator ", " so that a later row adds to the days of an earlier one instead of
 * replacing them (with "; " "Mo-Fr 09:00-12:00; Mo 15:00-18:00" would close Monday morning).
 * Pure: used by the server to validate and by the form to preview.
 */
export const DAY_SETS = ['Mo-Fr', 'Mo-Sa', 'Mo-Su', 'Sa,Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
export type DaySet = (typeof DAY_SETS)[number];

export interface HoursSlot {
	days: DaySet;
	/** "HH:MM", 24-hour. */
	from: string;
	/** "HH:MM"; "00:00" or "24:00" mean midnight at the end of the day. */
	to: string;
}

export type SlotProblem = 'hours_days' | 'hours_time' | 'hours_order';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isDaySet(value: unknown): value is DaySet {
	return typeof value === 'string' && (DAY_SETS as readonly string[]).includes(value);
}

/** Why a row cannot be used, or null. The end may be midnight ("00:00"/"24:00"); it must follow the start. */
export function checkSlot(slot: { days: string; from: string; to: string }): SlotProblem | null {
	if (!isDaySet(slot.days)) return 'hours_days';
	if (!TIME.test(slot.from) || !(TIME.test(slot.to) || slot.to === '24:00')) return 'hours_time';
	const end = slot.to === '00:00' ? '24:00' : slot.to;
	if (end <= slot.from) return 'hours_order';
	return null;
}

/**
 * The OSM expression for checked rows (see {@link checkSlot}), or null for none. Rows with the same
 * days share one rule ("Mo-Fr 09:00-12:00,15:00-18:00", earliest first), rules in the order first given.
 */
export function slotsToExpression(slots: readonly HoursSlot[]): string | null {
	const byDays = new Map<DaySet, string[]>();
	for (const slot of slots) {
		const end = slot.to === '00:00' ? '24:00' : slot.to;
		byDays.set(slot.days, [...(byDays.get(slot.days) ?? []), `${slot.from}-${end}`]);
	}
	if (byDays.size === 0) return null;
	return [...byDays].map(([days, ranges]) => `${days} ${ranges.sort().join(',')}`).join(', ');
}
