import { sql } from './client';

/**
 * The match engine's database side: one call of the `match_resources` SQL function
 * (db/functions/match.sql) for all the needs, and the place facts the answer reports.
 */

export interface MatchQuery {
	at: { lon: number; lat: number };
	/** Need codes, without duplicates, in the order the answer keeps. */
	needs: string[];
	/** Straight-line reach in metres. */
	maxDistanceM: number;
	/** Resources per need. */
	limit: number;
	categories?: string[];
	audiences?: string[];
	openNow?: boolean;
	accepting?: boolean;
	/** The instant "open now" refers to. */
	now?: Date;
}

export interface MatchRow {
	need: string;
	position: number;
	id: string;
	name: string;
	organization: string;
	category: string;
	distance_m: number;
	open_now: boolean | null;
	accepting_new: boolean | null;
	approximate: boolean;
	demo: boolean;
	lon: number;
	lat: number;
	neighbourhood: string | null;
	opening_hours: string | null;
	covers: string[];
}

export async function matchResources(query: MatchQuery): Promise<MatchRow[]> {
	const { at } = query;
	return sql<MatchRow[]>`
		SELECT need, position, id::text, name, organization, category, distance_m, open_now, accepting_new, approximate,
			demo, lon, lat, neighbourhood, opening_hours, covers
		FROM match_resources(
			ST_SetSRID(ST_MakePoint(${at.lon}, ${at.lat}), 4326),
			${query.needs}::text[],
			${query.maxDistanceM}::double precision,
			${query.limit}::integer,
			${query.now ?? new Date()}::timestamptz,
			${query.categories?.length ? query.categories : null}::text[],
			${query.audiences?.length ? query.audiences : null}::text[],
			${query.openNow ?? false},
			${query.accepting ?? false})`;
}

export interface PointFacts {
	/** The rione the point lies in, if any. */
	neighbourhood: string | null;
	/** Whether the point is in the area this instance serves (its served comuni plus `marginM`);
	 * true when no served area is loaded (a scratch database without the city seed). */
	served: boolean;
}

export async function pointFacts(at: { lon: number; lat: number }, marginM: number): Promise<PointFacts> {
	return (await pointFactsMany([at], marginM))[0]!;
}

/** {@link pointFacts} for many points in one query (db/functions/point_facts.sql), in the order given. */
export async function pointFactsMany(points: readonly { lon: number; lat: number }[], marginM: number): Promise<PointFacts[]> {
	if (points.length === 0) return [];
	const rows = await sql<(PointFacts & { i: number })[]>`
		SELECT i, neighbourhood, served
		FROM point_facts(${points.map((p) => p.lon)}::float8[], ${points.map((p) => p.lat)}::float8[], ${marginM})`;
	if (rows.length !== points.length) throw new Error(`point facts: ${rows.length} answers for ${points.length} points`);
	return rows.map(({ neighbourhood, served }) => ({ neighbourhood, served }));
}
