import { routeReachWithin, straightLineWithin, WALKING_MODEL, type Walk } from '../../domain/walking';
import * as match from '../db/match';
import * as walkNetwork from '../territory/walk-network';
import { badRequest } from './http';
import * as params from './params';
import type { MatchAnswer, MatchedResource } from '../../domain/match';
import { NEED_CODES } from '../../domain/taxonomy';
import { isAfterHours, openNowFirst } from '../../domain/week-table';

/**
 * GET /api/match: for a place and a family's needs, per need the nearest public resources that
 * can help, with an estimated walking time (see PRODUCT.md and the README). Nothing about the
 * search is stored or logged: the answer is computed and forgotten.
 */

/** Reach when the caller sets no `max_walk_min`: the city and its neighbours (straight line). */
export const DEFAULT_REACH_M = 10_000;
export const MAX_WALK_MIN = 180;
export const DEFAULT_LIMIT = 5;
export const MAX_LIMIT = 20;
/**
 * With a walkable network, the nearest by straight line are not always the nearest on foot: the
 * engine takes this many times `limit` candidates per need, and the walking times choose.
 */
export const NETWORK_CANDIDATES = 4;

export interface MatchOptions {
	/** Metres beyond the served comuni that `at` may lie (ATLANTE_SERVED_MARGIN_M). */
	servedMarginM: number;
	now?: Date;
}

export type MatchRequest = match.MatchQuery & { maxWalkMin: number | null };

/** The engine's query for typed choices; what the caller leaves out takes the API's defaults. */
export function matchRequest(choices: {
	at: { lon: number; lat: number };
	needs: string[];
	maxWalkMin: number | null;
	limit?: number;
	categories?: string[];
	audiences?: string[];
	openNow?: boolean;
	accepting?: boolean;
}): MatchRequest {
	return {
		...choices,
		maxDistanceM: choices.maxWalkMin === null ? DEFAULT_REACH_M : straightLineWithin(choices.maxWalkMin),
		limit: choices.limit ?? DEFAULT_LIMIT,
		openNow: choices.openNow ?? false,
		accepting: choices.accepting ?? false
	};
}

/** Reads the `/api/match` query; throws a 400 for a missing or malformed parameter. */
export function matchQuery(query: URLSearchParams): MatchRequest {
	const at = params.lonLat(query, 'at');
	if (!at) badRequest('at is required: the place to search from, e.g. at=9.3905,45.8555 (longitude,latitude)');
	const needs = params.needs(query, 'needs');
	if (!needs) badRequest(`needs is required: one or more of ${NEED_CODES.join(', ')} (e.g. needs=homework,food)`);
	const maxWalkMin = query.has('max_walk_min')
		? params.integer(query, 'max_walk_min', { min: 1, max: MAX_WALK_MIN, fallback: MAX_WALK_MIN })
		: null;
	return matchRequest({
		at,
		needs,
		maxWalkMin,
		limit: params.integer(query, 'limit', { min: 1, max: MAX_LIMIT, fallback: DEFAULT_LIMIT }),
		categories: params.categories(query),
		audiences: params.audiences(query),
		openNow: params.boolean(query, 'open_now') ?? false,
		accepting: params.boolean(query, 'accepting') ?? false
	});
}

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;
/** Not known to be closed now and not known to be full: the engine lists these first. */
const available = (r: { open_now: boolean | null; accepting_new: boolean | null }) => r.open_now !== false && r.accepting_new !== false;

export type { MatchAnswer, MatchedResource } from '../../domain/match';

/**
 * The match engine's nearest per need, with the walk to each from the one walking function: what
 * /api/match and a support plan's suggestions both list. Without a walkable network, the engine's
 * order (available first, then nearest) and the straight-line estimate. With one, the engine gives
 * NETWORK_CANDIDATES × `limit` candidates per need (a route may be shorter than the stretched
 * straight line, never shorter than the line itself), each is routed, those beyond `maxWalkMin` on
 * foot are dropped, and the rest are ordered available first, then by the walk.
 */
export async function nearestOnFoot(query: MatchRequest, now?: Date): Promise<{ network: boolean; byNeed: Map<string, { row: match.MatchRow; walk: Walk }[]> }> {
	const network = await walkNetwork.hasNetwork();
	const engineQuery = network
		? { ...query, limit: query.limit * NETWORK_CANDIDATES, maxDistanceM: query.maxWalkMin === null ? query.maxDistanceM : routeReachWithin(query.maxWalkMin) }
		: query;
	const rows = await match.matchResources({ ...engineQuery, now });
	const walks = await walkNetwork.walks(query.at, rows.map((r) => ({ lon: r.lon, lat: r.lat, straightM: r.distance_m, approximate: r.approximate })));
	const byNeed = new Map<string, { row: match.MatchRow; walk: Walk }[]>(query.needs.map((need) => [need, []]));
	rows.forEach((row, i) => {
		const walk = walks[i]!;
		if (network && query.maxWalkMin !== null && walk.minutes > query.maxWalkMin) return;
		byNeed.get(row.need)?.push({ row, walk });
	});
	for (const [need, list] of byNeed) {
		if (network) {
			list.sort((a, b) => Number(available(b.row)) - Number(available(a.row)) || a.walk.metres - b.walk.metres || a.row.distance_m - b.row.distance_m || (a.row.id < b.row.id ? -1 : 1));
		}
		byNeed.set(need, list.slice(0, query.limit));
	}
	return { network, byNeed };
}

export async function answer(query: MatchRequest, options: MatchOptions): Promise<MatchAnswer> {
	const facts = await match.pointFacts(query.at, options.servedMarginM);
	if (!facts.served) {
		badRequest(
			`at ${query.at.lon},${query.at.lat} is outside the area this atlas serves (Lecco and ${options.servedMarginM} m around it): choose a place in or near Lecco`
		);
	}
	const { network, byNeed } = await nearestOnFoot(query, options.now);
	const lists = new Map<string, MatchedResource[]>();
	for (const [need, list] of byNeed) {
		lists.set(
			need,
			list.map(({ row, walk }) => ({
				id: row.id,
				name: row.name,
				organization: row.organization,
				category: row.category,
				distance_m: Math.round(row.distance_m),
				walk_min: walk.minutes,
				walk_basis: walk.basis,
				open_now: row.open_now,
				accepting: row.accepting_new,
				covers: row.covers,
				approximate: row.approximate,
				demo: row.demo,
				neighbourhood: row.neighbourhood,
				coordinates: [round6(row.lon), round6(row.lat)],
				opening_hours: row.opening_hours
			}))
		);
	}
	// After hours (evenings, weekends, holidays) what can help tonight comes first: those open now
	// and not full, then the rest in the engine's order. The pages and the API answer alike.
	if (isAfterHours(options.now ?? new Date())) {
		for (const [need, list] of lists) lists.set(need, openNowFirst(list, (r) => r.open_now === true && r.accepting !== false));
	}
	return {
		at: [query.at.lon, query.at.lat],
		neighbourhood: facts.neighbourhood,
		walking: { detour_factor: WALKING_MODEL.detourFactor, metres_per_minute: WALKING_MODEL.metresPerMinute, max_walk_min: query.maxWalkMin, network },
		results: [...lists].map(([need, resources]) => ({ need, resources }))
	};
}
