/**
 * Walking time from a straight-line distance. There is no street network offline yet, so the
 * estimate is the straight line stretched by a detour factor and walked at a relaxed pace. This
 * is the one place that knows how: a router on a street graph can replace it later (the match
 * engine and the pages only call these two functions).
 *
 * - Detour factor 1.3: real walking routes in a city are typically 1.2–1.4 times the straight
 *   line (route "circuity"); Lecco's lake front and slopes put it at the higher end.
 * - 4.5 km/h (75 m a minute): a relaxed pace for a parent with children or an older person,
 *   below the 5 km/h of a brisk adult; Lecco is hilly.
 * The UI says "about": these are estimates, never promises.
 */
export const WALKING_MODEL = { detourFactor: 1.3, metresPerMinute: 75 } as const;

/** Whole minutes, rounded up, at least 1, to walk to a place `straightLineMetres` away. */
export function walkMinutes(straightLineMetres: number): number {
	const minutes = (straightLineMetres * WALKING_MODEL.detourFactor) / WALKING_MODEL.metresPerMinute;
	// A tiny tolerance so a place exactly at the limit of `maxWalkMinutes` does not round over it.
	return Math.max(1, Math.ceil(minutes - 1e-9));
}

/** The straight-line distance (metres) that {@link walkMinutes} turns into `minutes`. */
export function straightLineWithin(minutes: number): number {
	return (minutes * WALKING_MODEL.metresPerMinute) / WALKING_MODEL.detourFactor;
}
