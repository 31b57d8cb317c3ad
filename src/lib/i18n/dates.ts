/**
 * Dates as people read them, in the page's language: the one place that says how. Pure, so the
 * server and the browser render the same text. Instants are read on Lecco's clock (Europe/Rome),
 * whatever the server's or the browser's zone; calendar days (YYYY-MM-DD) are days, with no zone.
 */
export type DateStyle = 'short' | 'medium' | 'long' | 'full';

/** An instant ("24/11/26, 14:05" by default); `timeStyle` null for the day alone. */
export function formatDateTime(locale: string, at: Date | string, dateStyle: DateStyle = 'short', timeStyle: DateStyle | null = 'short'): string {
	return new Intl.DateTimeFormat(locale, { dateStyle, ...(timeStyle ? { timeStyle } : {}), timeZone: 'Europe/Rome' }).format(new Date(at));
}

/** A YYYY-MM-DD calendar day ("24 novembre 2026" by default). Noon UTC is that day everywhere. */
export function formatCalendarDay(locale: string, day: string, dateStyle: DateStyle = 'long'): string {
	return new Intl.DateTimeFormat(locale, { dateStyle, timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
}
