import { helpPath, type HelpSearch } from '../domain/help-search';
import { TIME_ZONE } from '../domain/opening-hours';
import { NEED_CODES } from '../domain/taxonomy';
import { isAfterHours, nextChange, weekTable, type DayHours } from '../domain/week-table';
import { isLocale } from '../i18n';
import { ApiError } from './api/http';
import * as matchApi from './api/match';
import * as params from './api/params';
import * as gazetteer from './db/gazetteer';
import * as arrive from './arrive';
import * as places from './db/places';
import * as resources from './db/resources';
import type { HelpResource } from '../domain/match';

/**
 * The "Trova aiuto" page's state, read from its address (see domain/help-search.ts), and its answer
 * from the match engine. A submitted form (a typed place `where`, a `rione` from the list, empty
 * fields) is resolved here and sent on to the tidy address, which is then the link to share.
 * Nothing about the search is stored or logged.
 */

export interface HelpForm {
	/** Known need codes, as asked. */
	needs: string[];
	audiences: string[];
	openNow: boolean;
	maxWalkMin: number | null;
	/** A typed place that was not found, shown again so it can be corrected. */
	where: string;
}

export type HelpProblem =
	| { kind: 'invalid'; detail: string }
	/** `unplaced`: the typed text names a street whose position is not known (its name). */
	| { kind: 'place-not-found'; text: string; unplaced?: string }
	| { kind: 'bad-place' }
	| { kind: 'outside' };

export type { HelpResource };

export interface HelpAnswer extends Omit<matchApi.MatchAnswer, 'results'> {
	results: { need: string; resources: HelpResource[] }[];
}

export interface HelpView {
	form: HelpForm;
	place: { lon: number; lat: number; label: string } | null;
	rioni: places.NeighbourhoodPoint[];
	answer: HelpAnswer | null;
	problem: HelpProblem | null;
	/** The page's address for this search (path and query): the link to share. */
	path: string;
	/** Today in Rome (YYYY-MM-DD): the day the hours shown are for. */
	today: string;
	/** After hours (evenings, weekends, holidays): the results put those open now first. */
	openFirst: boolean;
}

export type HelpLoad = HelpView | { redirect: string };

export interface HelpOptions {
	servedMarginM: number;
	now?: Date;
}

/** What a submitted form leaves in the address and the tidy address does not have. */
function isFormSubmission(query: URLSearchParams): boolean {
	if (query.has('where') || query.has('rione')) return true;
	for (const [, value] of query) if (value.trim() === '') return true;
	return false;
}

const isNeedCode = (code: string) => (NEED_CODES as readonly string[]).includes(code);

const todayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

export async function load(url: URL, options: HelpOptions): Promise<HelpLoad> {
	const query = url.searchParams;
	const now = options.now ?? new Date();
	const problems: string[] = [];
	let problem: HelpProblem | null = null;

	// Unknown codes are reported and dropped, so the form keeps the rest.
	const asked = query
		.getAll('needs')
		.flatMap((value) => value.split(','))
		.map((value) => value.trim())
		.filter(Boolean);
	const needs = params.tolerant(problems, () => params.needs(query, 'needs') ?? [], [...new Set(asked)].filter(isNeedCode));
	const audiences = params.tolerant(problems, () => params.audiences(query) ?? [], []);
	const openNow = params.tolerant(problems, () => params.boolean(query, 'open_now') ?? false, false);
	const maxWalkMin = params.tolerant(
		problems,
		() => (query.get('max_walk_min')?.trim() ? params.integer(query, 'max_walk_min', { min: 1, max: matchApi.MAX_WALK_MIN, fallback: 0 }) : null),
		null
	);

	const rioni = await places.neighbourhoodPoints();
	let place: HelpView['place'] = null;
	try {
		const at = params.lonLat(query, 'at');
		if (at) place = { ...at, label: query.get('place')?.trim().slice(0, 100) ?? '' };
	} catch (error) {
		if (!(error instanceof ApiError)) throw error;
		problem = { kind: 'bad-place' };
	}
	// A place typed or picked in the form replaces the one the search had.
	const where = query.get('where')?.trim().slice(0, 100) ?? '';
	const rione = query.get('rione')?.trim() ?? '';
	let notFound = '';
	let unplaced: string | null = null;
	if (where) {
		const [best] = await gazetteer.searchAll(where, 1);
		if (best && gazetteer.isPlaced(best)) place = { lon: best.lon, lat: best.lat, label: best.name };
		else {
			notFound = where;
			unplaced = best?.name ?? null;
		}
	} else if (rione) {
		const chosen = rioni.find((r) => r.name === rione);
		if (chosen) place = { lon: chosen.lon, lat: chosen.lat, label: chosen.name };
		else problems.push(`unknown rione "${rione.slice(0, 100)}"`);
	}
	if (place) problem = null;

	const lang = query.get('lang');
	const search: HelpSearch = { needs, place, audiences, openNow, maxWalkMin, lang: isLocale(lang) ? lang : null };
	const path = helpPath(search);

	if (problems.length > 0) problem = { kind: 'invalid', detail: problems.join('; ') };
	else if (notFound) problem = { kind: 'place-not-found', text: notFound, ...(unplaced ? { unplaced } : {}) };
	else if (!problem && isFormSubmission(query) && path !== url.pathname + url.search) return { redirect: path };

	let answer: HelpAnswer | null = null;
	if (!problem && place && needs.length > 0) {
		const request = matchApi.matchRequest({ at: place, needs, maxWalkMin, audiences, openNow });
		try {
			const found = await matchApi.answer(request, { servedMarginM: options.servedMarginM, now });
			answer = await actionable(found, now);
		} catch (error) {
			// The one thing the engine refuses in a well-formed search: a place outside the served area.
			if (!(error instanceof ApiError)) throw error;
			problem = { kind: 'outside' };
		}
	}

	return {
		form: { needs, audiences, openNow, maxWalkMin, where: notFound },
		place,
		rioni,
		answer,
		problem,
		path,
		today: todayFormat.format(now),
		openFirst: isAfterHours(now)
	};
}

/**
 * What a person acts on, added to every resource: today's hours, the next change of state, the
 * address, a number to call and the nearest stop (one reading per distinct expression, one query
 * each for the contacts and the stops). The order is the engine's (after hours, open now first).
 */
async function actionable(found: matchApi.MatchAnswer, now: Date): Promise<HelpAnswer> {
	const byExpression = new Map<string, DayHours | null>();
	const today = (expression: string | null): DayHours | null => {
		if (!expression) return null;
		if (!byExpression.has(expression)) byExpression.set(expression, weekTable(expression, now, { days: 1, exceptionDays: 1 })?.days[0] ?? null);
		return byExpression.get(expression)!;
	};
	const ids = [...new Set(found.results.flatMap(({ resources: list }) => list.map((r) => r.id)))];
	const [contacts, stops] = await Promise.all([resources.forFamilyCard(ids, now), arrive.stopsNear(ids, 1)]);
	return {
		...found,
		results: found.results.map(({ need, resources: list }) => ({
			need,
			resources: list.map((resource) => {
				const contact = contacts.get(resource.id);
				return {
					...resource,
					today: today(resource.opening_hours),
					address: contact?.address ?? null,
					phone: contact?.phones[0]?.number ?? null,
					next_change: contact ? nextChange(contact.opening_hours, contact.closure, now) : null,
					stop: stops.get(resource.id)?.[0] ?? null
				};
			})
		}))
	};
}
