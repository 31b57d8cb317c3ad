/**
 * The "Trova aiuto" search as the page's address: the same parameter names as GET /api/match
 * (`needs`, `at`, `audience`, `open_now`, `max_walk_min`) plus `place`, the chosen place's label,
 * and `lang`. The address is the only place the search lives: a link to it reproduces the view,
 * and nothing of it is stored on the server. Shared by the server (to tidy a submitted form into
 * this shape) and the page (to navigate with JavaScript).
 */
export const HELP_PATH = '/trova-aiuto';

/** The walking-time limits the form offers, in minutes ("no limit" besides). */
export const MAX_WALK_CHOICES = [15, 30, 45, 60] as const;

export interface HelpSearch {
	needs: readonly string[];
	place: { lon: number; lat: number; label: string } | null;
	audiences: readonly string[];
	openNow: boolean;
	maxWalkMin: number | null;
	lang?: string | null;
}

/** A coordinate rounded to 3 decimals (about 100 m): enough for walking times, not enough to pinpoint a home. */
export const roundCoordinate = (value: number) => Math.round(value * 1000) / 1000;

// Commas stay readable in the address (`needs=homework,food`, `at=9.41,45.85`).
const encode = (value: string) => encodeURIComponent(value).replace(/%2C/gi, ',');

/** The search as a query string without `?` (empty when nothing is chosen), always in the same order. */
export function helpQuery(search: HelpSearch): string {
	const parts: string[] = [];
	if (search.needs.length) parts.push(`needs=${encode(search.needs.join(','))}`);
	if (search.place) {
		parts.push(`at=${encode(`${search.place.lon},${search.place.lat}`)}`);
		if (search.place.label) parts.push(`place=${encode(search.place.label)}`);
	}
	if (search.audiences.length) parts.push(`audience=${encode(search.audiences.join(','))}`);
	if (search.maxWalkMin !== null) parts.push(`max_walk_min=${search.maxWalkMin}`);
	if (search.openNow) parts.push('open_now=true');
	if (search.lang) parts.push(`lang=${encode(search.lang)}`);
	return parts.join('&');
}

/** The page's path for a search. */
export function helpPath(search: HelpSearch): string {
	const query = helpQuery(search);
	return query ? `${HELP_PATH}?${query}` : HELP_PATH;
}
