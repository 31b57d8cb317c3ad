import type { ProblemCode } from '../domain/problems';
import { readPoint } from '../domain/records';
import { pointFacts } from './db/match';

/**
 * The server's half of the field rules of domain/records.ts: the ones that need the database.
 * Used by the pact application and partner self-service alike.
 */

export type Placed =
	| { ok: true; point: { lon: number; lat: number }; neighbourhood: string | null }
	| { ok: false; code: Extract<ProblemCode, 'point_required' | 'point_invalid' | 'outside_area' | 'confidential_outside_rione'> };

/**
 * A location's point from its two fields as typed: a valid WGS84 pair (readPoint), inside the area
 * this instance serves (its comuni plus `servedMarginM` metres: a typo in a coordinate would
 * otherwise put the place in another town), and for a confidential place inside a rione (the
 * public sees only the rione).
 */
export async function placePoint(lonText: string, latText: string, confidential: boolean, servedMarginM: number): Promise<Placed> {
	const read = readPoint(lonText, latText);
	if (!read.ok) return read;
	const facts = await pointFacts(read.point, servedMarginM);
	if (!facts.served) return { ok: false, code: 'outside_area' };
	if (confidential && !facts.neighbourhood) return { ok: false, code: 'confidential_outside_rione' };
	return { ok: true, point: read.point, neighbourhood: facts.neighbourhood };
}
