import type { StopNear } from '../domain/resource';
import * as transit from './db/transit';
import * as walkNetwork from './territory/walk-network';

/**
 * "Come arrivare": the stops near a public place, with the walking minutes of the one walking
 * function (territory/walk-network.ts: along the imported network where it reaches, else the
 * estimate of domain/walking.ts). Never for a confidential place (db/transit.ts leaves them out).
 */

/** Stops further than this are no help on foot (about 18 minutes at the estimate's pace). */
export const STOP_REACH_M = 1000;

/** The `perResource` nearest stops of each resource within {@link STOP_REACH_M}, nearest on foot first. */
export async function stopsNear(resourceIds: string[], perResource: number): Promise<Map<string, StopNear[]>> {
	const found = await transit.nearestStops(resourceIds, perResource, STOP_REACH_M);
	const answer = new Map<string, StopNear[]>();
	for (const [id, stops] of found) {
		const walks = await walkNetwork.walks(stops[0]!.from, stops.map((s) => ({ ...s.stop, straightM: s.distanceM })));
		const near = stops.map((s, i) => ({ name: s.name, kind: s.kind, distance_m: s.distanceM, walk_min: walks[i]!.minutes, walk_basis: walks[i]!.basis, metres: walks[i]!.metres }));
		near.sort((a, b) => a.metres - b.metres || a.distance_m - b.distance_m);
		answer.set(id, near.map(({ metres: _metres, ...stop }) => stop));
	}
	return answer;
}
