import type { StopNear } from '../domain/resource';
import { walkMinutes } from '../domain/walking';
import * as transit from './db/transit';

/**
 * "Come arrivare": the stops near a public place, with the walking minutes of the one walking
 * estimate (domain/walking.ts). Never for a confidential place (db/transit.ts leaves them out).
 */

/** Stops further than this are no help on foot (about 18 minutes at the estimate's pace). */
export const STOP_REACH_M = 1000;

/** The `perResource` nearest stops of each resource within {@link STOP_REACH_M}, nearest first. */
export async function stopsNear(resourceIds: string[], perResource: number): Promise<Map<string, StopNear[]>> {
	const found = await transit.nearestStops(resourceIds, perResource, STOP_REACH_M);
	return new Map(
		[...found].map(([id, stops]) => [id, stops.map((s) => ({ name: s.name, kind: s.kind, distance_m: s.distanceM, walk_min: walkMinutes(s.distanceM) }))])
	);
}
