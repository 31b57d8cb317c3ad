/** Dates on the plan pages, in the page's language and Lecco's time (the same on server and browser). */
export function formatDay(locale: string, day: string | null | undefined, style: 'short' | 'long' = 'short'): string {
	if (!day) return '';
	const options: Intl.DateTimeFormatOptions =
		style === 'long' ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' } : { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' };
	return new Intl.DateTimeFormat(locale, options).format(new Date(`${day}T12:00:00Z`));
}

export function formatMoment(locale: string, at: string | Date | null | undefined): string {
	if (!at) return '';
	return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Rome' }).format(new Date(at));
}

/** For `<time datetime>`. */
export function isoMoment(at: string | Date): string {
	return new Date(at).toISOString();
}
