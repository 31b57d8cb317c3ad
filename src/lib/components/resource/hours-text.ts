import type { Translate } from '$lib/i18n/translate';
import type { DayHours, NextOpening, RomeMoment, TimeRange } from '$lib/domain/week-table';

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

/** "oggi", "domani", "lunedì" within the week, "lunedì 14 dicembre" further on. */
export function dayWords(t: Translate, locale: string, moment: RomeMoment): string {
	if (moment.inDays === 0) return t('hours.next.today');
	if (moment.inDays === 1) return t('hours.next.tomorrow');
	const options: Intl.DateTimeFormatOptions =
		moment.inDays < 7 ? { weekday: 'long', timeZone: 'UTC' } : { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' };
	return new Intl.DateTimeFormat(locale, options).format(new Date(`${moment.date}T12:00:00Z`));
}

/**
 * The next change of state in a few words: "Chiude alle 18:00", "Chiude domani alle 02:00",
 * "Riapre lunedì alle 15:00", with the expression's comment ("su appuntamento") when it has one.
 * The one wording of {@link nextChange} for the lists, the map popup, "Trova aiuto" and the
 * family's card. Null when there is nothing to say (no hours: the page says so its own way).
 */
export function nextChangeText(t: Translate, locale: string, next: NextOpening | null): string | null {
	if (!next) return null;
	let words: string;
	if (next.open) {
		// An opening the hours do not promise ("su appuntamento") is not "open now": say until when.
		const day = next.until && next.until.inDays > 0 ? dayWords(t, locale, next.until) : 'none';
		words = !next.until ? t('hours.next.noClosing') : t(next.unknown ? 'hours.next.until' : 'hours.next.closes', { day, time: next.until.time });
	} else {
		words = t('hours.next.opens', { day: dayWords(t, locale, next.at), time: next.at.time });
	}
	return next.comment ? `${words} (${next.comment})` : words;
}
