/**
 * Walking times: the one place that knows how they are worked out. Two ways, and every caller
 * says which one a figure came from (`WalkBasis`), so the pages can word it honestly:
 *
 * - `route`: along the walkable street network a deployment imported from OpenStreetMap
 *   (`npm run import:osm`, server/territory/walk-network.ts finds the route): the route's length
 *   walked at the pace below. The pages say "N min a piedi".
 * - `estimate` (the fallback: no network imported, or a point the network does not reach): the
 *   straight line stretched by a detour factor and walked at the same pace. The pages say
 *   "circa N min a piedi".
 *
 * - Detour factor 1.3: real walking routes in a city are typically 1.2–1.4 times the straight
 *   line (route "circuity"); Lecco's lake front and slopes put it at the higher end.
 * - 4.5 km/h (75 m a minute): a relaxed pace for a parent with children or an older person,
 *   below the 5 km/h of a brisk adult; Lecco is hilly.
 */
export const WALKING_MODEL = { detourFactor: 1.3, metresPerMinute: 75 } as const;

/** Along the imported network, or estimated from the straight line. */
export type WalkBasis = 'route' | 'estimate';

export interface Walk {
	minutes: number;
	/** Metres walked: the route's length, or the straight line stretched by the detour factor. */
	metres: number;
	basis: WalkBasis;
}

/**
 * Whole minutes, rounded up, at least 1, to walk `metres` at the model's pace: the metres a walk
 * covers (a route's length, or the estimate's stretched straight line), as {@link Walk.metres}.
 */
export function minutesFor(metres: number): number {
	// A tiny tolerance so a place exactly at the limit of `maxWalkMinutes` does not round over it.
	return Math.max(1, Math.ceil(metres / WALKING_MODEL.metresPerMinute - 1e-9));
}

/** Whole minutes, rounded up, at least 1, to walk to a place `straightLineMetres` away (the estimate). */
export function walkMinutes(straightLineMetres: number): number {
	return minutesFor(straightLineMetres * WALKING_MODEL.detourFactor);
}

/** The straight-line distance (metres) that {@link walkMinutes} turns into `minutes`. */
export function straightLineWithin(minutes: number): number {
	return (minutes * WALKING_MODEL.metresPerMinute) / WALKING_MODEL.detourFactor;
}

/**
 * The farthest straight line that a route of `minutes` can cover: a route is never shorter than the
 * straight line, so with a network the candidates lie within this radius.
 */
export function routeReachWithin(minutes: number): number {
	return minutes * WALKING_MODEL.metresPerMinute;
}

/** The estimate for a place `straightLineMetres` away. */
export function estimatedWalk(straightLineMetres: number): Walk {
	return { minutes: walkMinutes(straightLineMetres), metres: straightLineMetres * WALKING_MODEL.detourFactor, basis: 'estimate' };
}

/** A walk along a route `routeMetres` long. */
export function routeWalk(routeMetres: number): Walk {
	return { minutes: minutesFor(routeMetres), metres: routeMetres, basis: 'route' };
}

const EARTH_RADIUS_M = 6_371_008.8;

/**
 * Great-circle distance in metres between two WGS84 points (haversine on the mean Earth radius).
 * Within a city it differs from PostGIS's spheroid distance by well under 1%; the network's edge
 * lengths and the snapping to it use this one function.
 */
export function metresBetween(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
	const rad = Math.PI / 180;
	const dLat = (b.lat - a.lat) * rad;
	const dLon = (b.lon - a.lon) * rad;
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
	return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
