import type { Translate } from '$lib/i18n/translate';
import type { DayHours, TimeRange } from '$lib/domain/week-table';

/**
 * A day's opening hours as readable text ("09:00–12:30, 15:00–18:00", "Chiuso", "dalle 10:00"),
 * shared by the week table of a resource page and the "today" line of the find-help list.
 */
export function rangeText(t: Translate, r: TimeRange): string {
	const time = r.openEnd ? t('resource.hours.openEnd', { from: r.from }) : `${r.from}–${r.to}`;
	if (r.comment) return `${time} (${r.comment})`;
	if (r.unknown && !r.openEnd) return `${time} (${t('resource.hours.unknown')})`;
	return time;
}

export function rangesText(t: Translate, list: TimeRange[]): string {
	return list.length === 0 ? t('resource.hours.closed') : list.map((r) => rangeText(t, r)).join(', ');
}

export function dayText(t: Translate, day: DayHours): string {
	if (day.allDay) return t('resource.hours.allDay');
	const text = rangesText(t, day.ranges);
	return day.ranges.length === 0 && day.closedComment ? `${text} (${day.closedComment})` : text;
}
