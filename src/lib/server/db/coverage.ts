import type { WalkBasis } from '../../domain/walking';
import { sql, type Sql, type TransactionSql } from './client';

/**
 * The coverage engine's database side (db/functions/coverage.sql, tables of
 * db/migrations/0010_coverage.sql and 0031_coverage_walks.sql). Distances cross this boundary in
 * metres only: straight-line metres on the estimate basis, metres walked on the route basis (the
 * walks come from territory/walk-network.ts through the service); the service
 * (planning/coverage.ts) turns minutes into metres and back with domain/walking.ts.
 */

type Tx = TransactionSql | Sql;

/** A variant of supply: see coverage_pins in db/functions/coverage.sql. */
export interface Variant {
	when: 'any' | 'evening' | 'weekend';
	accepting: boolean;
	audience: string | null;
	/** Pins (public resource ids) left out. */
	hide?: string[];
	/** Hypothetical points, [lon, lat], checked by the caller. */
	add?: [number, number][];
}

export const BASE: Variant = { when: 'any', accepting: false, audience: null };

// Serialises refreshes across app instances sharing one database.
const REFRESH_LOCK = 4_711_044;

export interface CoverageState {
	computed_at: Date | null;
	dirty_since: Date | null;
	cell_m: number | null;
	cells: number | null;
	duration_ms: number | null;
	method: string | null;
	/** What the stored figures walk on: the imported network ('route') or the estimate. */
	walk_basis: WalkBasis;
}

export async function state(tx: Tx = sql): Promise<CoverageState> {
	const [row] = await tx<CoverageState[]>`
		SELECT computed_at, dirty_since, cell_m, cells, duration_ms, method, walk_basis FROM coverage_state`;
	if (!row) throw new Error('coverage_state has no row: is migration 0010 applied?');
	return row;
}

/**
 * Takes the refresh lock (waiting for another instance's refresh, or with `wait: false` giving up
 * at once and returning false) and claims the state row (see refreshCoverage).
 */
export async function beginRefresh(tx: TransactionSql, wait: boolean): Promise<boolean> {
	if (wait) await tx`SELECT pg_advisory_xact_lock(${REFRESH_LOCK})`;
	else {
		const [row] = await tx<{ got: boolean }[]>`SELECT pg_try_advisory_xact_lock(${REFRESH_LOCK}) AS got`;
		if (!row?.got) return false;
	}
	// Taking the row now makes a concurrent change's trigger wait for this transaction's end, so it
	// marks the figures dirty again afterwards instead of being cleared by this refresh.
	await tx`UPDATE coverage_state SET dirty_since = NULL`;
	return true;
}

export async function buildGrid(tx: Tx, acrossM: number, settleM: number): Promise<number> {
	const [row] = await tx<{ n: number }[]>`SELECT coverage_build_grid(${acrossM}, ${settleM}) AS n`;
	return row?.n ?? 0;
}

/**
 * The digest of the grid's inputs (coverage_grid_key), and how many cells the stored grid has when
 * it was built from the same inputs (null: build it).
 */
export async function gridKey(tx: Tx, acrossM: number, settleM: number): Promise<{ key: string; keptCells: number | null }> {
	const [row] = await tx<{ key: string; same: boolean; cells: number }[]>`
		SELECT k.key, k.key = s.grid_key AS same, (SELECT count(*)::int FROM coverage_cell) AS cells
		FROM coverage_grid_key(${acrossM}, ${settleM}) AS k(key), coverage_state s`;
	if (!row) throw new Error('coverage_state has no row');
	return { key: row.key, keptCells: row.same && row.cells > 0 ? row.cells : null };
}

/**
 * The base view per cell and need (and each cell's 2SFCA access, which the rione figures read back).
 * No ANALYZE afterwards: the one reader in the refresh, coverage_rioni's stored path, scans the
 * rows and hashes them against the inhabited cells, a plan that holds whatever the statistics say
 * (checked with EXPLAIN on a table with none); the ANALYZE cost 5 % of the refresh. vacuum()
 * leaves fresh statistics for the readers after the commit.
 */
export async function storeCellNeeds(tx: Tx, needs: readonly string[], radii: number[]): Promise<void> {
	await tx`DELETE FROM coverage_cell_need`;
	// One call for every need: the pins selected once, the needs with few pins in one statement, each
	// other need on an index of its own (coverage_store_cell_needs; the figures coverage_cell_reach
	// gives, at region scale too).
	await tx`SELECT coverage_store_cell_needs(${needs as string[]}::text[], ${radii}::float8[])`;
}

/**
 * After a refresh (outside its transaction, as VACUUM must be): the rewritten tables' dead rows
 * go, and their statistics are fresh. The embedded store has no autovacuum, so without this every
 * refresh left another copy of the grid and its figures behind, and every later one (and every
 * read) stepped over all of them.
 */
export async function vacuum(): Promise<void> {
	await sql`VACUUM (ANALYZE) coverage_cell, coverage_cell_need, coverage_rione_need, coverage_walk`;
}

/** Every need at every radius in one call: the rione rows of the base view. */
export async function storeRioneNeeds(tx: Tx, needs: readonly string[], radii: number[], minutes: readonly number[]): Promise<void> {
	await tx`DELETE FROM coverage_rione_need`;
	await tx`
		INSERT INTO coverage_rione_need (need, within_min, rione, neighbourhood_id, derived, residents, residents_source,
			resources, per_1000, share_within, residents_within, residents_beyond, p50_m, p90_m, sfca, gap_rank)
		SELECT r.need, (${minutes as number[]}::int[])[r.within_index], r.rione, r.neighbourhood_id, r.derived, r.residents,
			r.residents_source, r.resources, r.per_1000, r.share_within, r.residents_within, r.residents_beyond, r.p50_m, r.p90_m,
			r.sfca, r.gap_rank
		FROM coverage_rioni(${needs as string[]}::text[], ${radii}::float8[], ${minutes.map((_, i) => i + 1)}::int[], p_stored => true) r`;
}

export async function markComputed(
	tx: Tx,
	facts: { cellM: number; cells: number; durationMs: number; method: string; gridKey: string; walkBasis: WalkBasis; walkKey: string | null }
): Promise<Date> {
	const [row] = await tx<{ computed_at: Date }[]>`
		UPDATE coverage_state SET computed_at = now(), cell_m = ${facts.cellM}, cells = ${facts.cells},
			duration_ms = ${facts.durationMs}, method = ${facts.method}, grid_key = ${facts.gridKey}, walk_basis = ${facts.walkBasis},
			walk_key = ${facts.walkKey}
		RETURNING computed_at`;
	if (!row) throw new Error('coverage_state has no row');
	return row.computed_at;
}

/** One row of coverage_rioni (rione null: the city), metres as measured. */
export interface RioneRow {
	rione: string | null;
	neighbourhood_id: number | null;
	derived: boolean | null;
	residents: number | null;
	residents_source: string | null;
	resources: number;
	per_1000: number | null;
	share_within: number | null;
	residents_within: number | null;
	residents_beyond: number | null;
	p50_m: number | null;
	p90_m: number | null;
	sfca: number | null;
	gap_rank: number | null;
}

// A function, not a constant: the client is installed at start-up, after this module loads.
const rioneColumns = () => sql`rione, neighbourhood_id, derived, residents, residents_source, resources, per_1000, share_within,
	residents_within, residents_beyond, p50_m, p90_m, sfca, gap_rank`;

/** The stored base view of a need at `within` minutes (empty before the first refresh). */
export async function storedRioni(need: string, within: number): Promise<RioneRow[]> {
	return sql<RioneRow[]>`
		SELECT ${rioneColumns()} FROM coverage_rione_need
		WHERE need = ${need} AND within_min = ${within}
		ORDER BY rione NULLS LAST`;
}

/**
 * Hypothetical points as a geometry[] expression. Built from two number arrays: a geometry array
 * literal would need PostGIS's own element delimiter (':'), and numbers need no parsing.
 */
function points(add: [number, number][] | undefined) {
	if (!add?.length) return sql`NULL::geometry[]`;
	return sql`ARRAY(SELECT ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)
		FROM unnest(${add.map((p) => p[0])}::float8[], ${add.map((p) => p[1])}::float8[]) WITH ORDINALITY AS p(lon, lat, n) ORDER BY p.n)`;
}

/** coverage_rioni computed now, for any variant. */
export async function computeRioni(need: string, radii: number[], withinIndex: number, variant: Variant): Promise<RioneRow[]> {
	return sql<RioneRow[]>`
		SELECT ${rioneColumns()} FROM coverage_rioni(ARRAY[${need}]::text[], ${radii}::float8[], ARRAY[${withinIndex}]::int[], ${variant.when},
			${variant.accepting}, ${variant.audience}, ${variant.hide?.length ? variant.hide : null}::uuid[],
			${points(variant.add)})
		ORDER BY rione NULLS LAST`;
}

/** The rioni's shapes as GeoJSON geometry objects, by name. */
export async function rioneShapes(): Promise<Map<string, unknown>> {
	const rows = await sql<{ name: string; geometry: string }[]>`
		SELECT name, ST_AsGeoJSON(geom, 6) AS geometry FROM neighbourhood ORDER BY name`;
	return new Map(rows.map((row) => [row.name, JSON.parse(row.geometry) as unknown]));
}

export interface CellRow {
	id: number;
	rione: string | null;
	settled: boolean;
	residents: number;
	nearest_m: number | null;
	within: [number, number, number];
	geometry: string;
}

/** Cells meeting a bbox, with the stored base view of a need. */
export async function storedCells(need: string, bbox: { west: number; south: number; east: number; north: number }): Promise<CellRow[]> {
	return sql<CellRow[]>`
		SELECT c.id, c.rione, c.settled, c.residents, cn.nearest_m, ARRAY[cn.within_10, cn.within_15, cn.within_20] AS within,
			ST_AsGeoJSON(c.geom, 6) AS geometry
		FROM coverage_cell c JOIN coverage_cell_need cn ON cn.cell_id = c.id AND cn.need = ${need}
		WHERE c.geom && ST_MakeEnvelope(${bbox.west}, ${bbox.south}, ${bbox.east}, ${bbox.north}, 4326)
		ORDER BY c.id`;
}

/** Cells meeting a bbox, with a variant computed now. */
export async function computeCells(
	need: string,
	radii: number[],
	variant: Variant,
	bbox: { west: number; south: number; east: number; north: number }
): Promise<CellRow[]> {
	return sql<CellRow[]>`
		SELECT c.id, c.rione, c.settled, c.residents, r.nearest_m, r.within, ST_AsGeoJSON(c.geom, 6) AS geometry
		FROM coverage_cell_reach(${need}, ${radii}::float8[], ${variant.when}, ${variant.accepting}, ${variant.audience},
			${variant.hide?.length ? variant.hide : null}::uuid[], ${points(variant.add)}) r
		JOIN coverage_cell c ON c.id = r.cell_id
		WHERE c.geom && ST_MakeEnvelope(${bbox.west}, ${bbox.south}, ${bbox.east}, ${bbox.north}, 4326)
		ORDER BY c.id`;
}

/** Per-cell reach for a variant, every cell (the tests compare it with an independent computation). */
export async function cellReach(need: string, radii: number[], variant: Variant): Promise<{ cell_id: number; nearest_m: number | null; within: number[] }[]> {
	return sql`
		SELECT cell_id, nearest_m, within FROM coverage_cell_reach(${need}, ${radii}::float8[], ${variant.when}, ${variant.accepting},
			${variant.audience}, ${variant.hide?.length ? variant.hide : null}::uuid[], ${points(variant.add)})
		ORDER BY cell_id`;
}

export interface ScenarioRow {
	rione: string | null;
	before: number;
	after: number;
}

export async function scenario(need: string, radius: number, withinIndex: number, hide: string[], add: [number, number][]): Promise<ScenarioRow[]> {
	return sql<ScenarioRow[]>`
		SELECT rione, before, after FROM coverage_scenario(${need}, ${radius}, ${withinIndex},
			${hide.length ? hide : null}::uuid[], ${points(add)})
		ORDER BY rione NULLS LAST`;
}

/** Which of `ids` are not public pins (public_resource ids). */
export async function unknownPins(ids: string[]): Promise<string[]> {
	if (ids.length === 0) return [];
	const rows = await sql<{ id: string }[]>`
		SELECT wanted.id FROM unnest(${ids}::uuid[]) AS wanted(id)
		WHERE NOT EXISTS (SELECT 1 FROM public_resource r WHERE r.id = wanted.id)`;
	return rows.map((row) => String(row.id));
}

/** How many pins of a view have a known capacity (the 2SFCA supply), out of how many. */
export async function supplyFacts(need: string, variant: Variant): Promise<{ pins: number; known: number }> {
	const [row] = await sql<{ pins: number; known: number }[]>`
		SELECT count(*)::int AS pins, count(*) FILTER (WHERE capacity_known)::int AS known
		FROM coverage_pins(${need}, ${variant.when}, ${variant.accepting}, ${variant.audience}, ${variant.hide?.length ? variant.hide : null}::uuid[])`;
	return row ?? { pins: 0, known: 0 };
}

// ---------------------------------------------------------------------------------------------
// The route basis (a walkable network imported): the walks come from the walking function.

/** A cell's centre, for the walking function. */
export interface CellPoint {
	id: number;
	lon: number;
	lat: number;
}

/** Every cell's centre, by id. */
export async function cellPoints(tx: Tx = sql): Promise<CellPoint[]> {
	return tx<CellPoint[]>`SELECT id, ST_X(centre) AS lon, ST_Y(centre) AS lat FROM coverage_cell ORDER BY id`;
}

/** A location a pin stands at (its public point; approximate: a confidential place's rione centre). */
export interface PinLocation {
	location_id: string;
	lon: number;
	lat: number;
	approximate: boolean;
}

/** The locations of every public pin offering some need: the sources of coverage_walk. */
export async function pinLocations(tx: Tx = sql): Promise<PinLocation[]> {
	return tx<PinLocation[]>`
		SELECT location_id::text AS location_id, ST_X(geom) AS lon, ST_Y(geom) AS lat, approximate
		FROM coverage_walk_sources() ORDER BY location_id`;
}

/**
 * The digest of coverage_walk's inputs for a grid (coverage_walk_key), and whether the stored walks
 * were computed from the same (then they are kept).
 */
export async function walkKey(tx: Tx, gridKey: string): Promise<{ key: string; kept: boolean }> {
	const [row] = await tx<{ key: string; kept: boolean }[]>`
		SELECT k.key, k.key IS NOT DISTINCT FROM s.walk_key AS kept FROM coverage_walk_key(${gridKey}) AS k(key), coverage_state s`;
	if (!row) throw new Error('coverage_state has no row');
	return row;
}

/** The locations of the pins of each need (the base view), or of one need under a variant. */
export async function needLocations(tx: Tx, needs: readonly string[], variant: Variant = BASE): Promise<Map<string, PinLocation[]>> {
	const rows = await tx<(PinLocation & { need: string })[]>`
		SELECT DISTINCT w.need, p.location_id::text AS location_id, ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat,
			coalesce(r.approximate, false) AS approximate
		FROM unnest(${needs as string[]}::text[]) AS w(need)
		CROSS JOIN LATERAL coverage_pins(w.need, ${variant.when}, ${variant.accepting}, ${variant.audience},
			${variant.hide?.length ? variant.hide : null}::uuid[]) p
		JOIN public_resource r ON r.id = p.id
		ORDER BY w.need, location_id`;
	const out = new Map<string, PinLocation[]>(needs.map((need) => [need, []]));
	for (const { need, ...location } of rows) out.get(need)?.push(location);
	return out;
}

/** Rows per statement when writing walks: three arrays of this many numbers each. */
const WALK_CHUNK = 50_000;

/** Replaces coverage_walk: each walk of at most 20 minutes from a pin's location to a cell. */
export async function storeWalks(tx: Tx, walks: { locationIds: string[]; source: Int32Array; cell: Int32Array; metres: Float64Array }): Promise<void> {
	await tx`DELETE FROM coverage_walk`;
	for (let start = 0; start < walks.source.length; start += WALK_CHUNK) {
		const end = Math.min(start + WALK_CHUNK, walks.source.length);
		const ids = Array.from(walks.source.subarray(start, end), (s) => walks.locationIds[s]!);
		await tx`
			INSERT INTO coverage_walk (location_id, cell_id, walk_m)
			SELECT w.location_id, w.cell_id, w.walk_m
			FROM unnest(${ids}::uuid[], ${Array.from(walks.cell.subarray(start, end))}::int[], ${Array.from(walks.metres.subarray(start, end))}::float8[])
				AS w(location_id, cell_id, walk_m)`;
	}
}

/** Empties coverage_walk (a refresh without a network). */
export async function clearWalks(tx: Tx): Promise<void> {
	await tx`DELETE FROM coverage_walk`;
}

/** Each cell's shortest walk to a pin of a need (null: the need has no pin). */
export interface Nearest {
	cells: number[];
	metres: (number | null)[];
}

/** The base view per cell and need on the route basis (coverage_store_cell_needs_walked). */
export async function storeCellNeedsWalked(tx: Tx, needs: readonly string[], radii: number[], nearest: Map<string, Nearest>): Promise<void> {
	await tx`DELETE FROM coverage_cell_need`;
	const need: string[] = [], cell: number[] = [], metres: (number | null)[] = [];
	for (const [code, n] of nearest) {
		for (let i = 0; i < n.cells.length; i++) {
			need.push(code);
			cell.push(n.cells[i]!);
			metres.push(n.metres[i]!);
		}
	}
	await tx`SELECT coverage_store_cell_needs_walked(${needs as string[]}::text[], ${radii}::float8[], ${need}::text[], ${cell}::int[], ${metres}::float8[])`;
}

/** The walks of hypothetical points (numbered from 1, as in `add`) to the cells within the longest radius. */
export interface AddedWalks {
	no: number[];
	cell: number[];
	metres: number[];
}

const NO_WALKS: AddedWalks = { no: [], cell: [], metres: [] };

/** coverage_rioni on the route basis, for one need under a variant. */
export async function computeRioniWalked(
	need: string,
	radii: number[],
	withinIndex: number,
	variant: Variant,
	walked: { nearest: Nearest; added?: AddedWalks }
): Promise<RioneRow[]> {
	const added = walked.added ?? NO_WALKS;
	return sql<RioneRow[]>`
		SELECT ${rioneColumns()} FROM coverage_rioni(ARRAY[${need}]::text[], ${radii}::float8[], ARRAY[${withinIndex}]::int[], ${variant.when},
			${variant.accepting}, ${variant.audience}, ${variant.hide?.length ? variant.hide : null}::uuid[],
			${points(variant.add)}, false, true, ${added.no}::int[], ${added.cell}::int[], ${added.metres}::float8[],
			${walked.nearest.cells}::int[], ${walked.nearest.metres}::float8[])
		ORDER BY rione NULLS LAST`;
}

/** Per-cell reach on the route basis for a variant, every cell (coverage_cell_reach_walked). */
export async function cellReachWalked(
	need: string,
	radii: number[],
	variant: Variant,
	walked: { nearest: Nearest; added?: AddedWalks }
): Promise<{ cell_id: number; nearest_m: number | null; within: number[] }[]> {
	const added = walked.added ?? NO_WALKS;
	return sql`
		SELECT cell_id, nearest_m, within FROM coverage_cell_reach_walked(${need}, ${radii}::float8[],
			${walked.nearest.cells}::int[], ${walked.nearest.metres}::float8[], ${variant.when}, ${variant.accepting},
			${variant.audience}, ${variant.hide?.length ? variant.hide : null}::uuid[], ${added.no}::int[], ${added.cell}::int[], ${added.metres}::float8[])
		ORDER BY cell_id`;
}

/** Cells meeting a bbox, with a variant computed now on the route basis. */
export async function computeCellsWalked(
	need: string,
	radii: number[],
	variant: Variant,
	walked: { nearest: Nearest; added?: AddedWalks },
	bbox: { west: number; south: number; east: number; north: number }
): Promise<CellRow[]> {
	const added = walked.added ?? NO_WALKS;
	return sql<CellRow[]>`
		SELECT c.id, c.rione, c.settled, c.residents, r.nearest_m, r.within, ST_AsGeoJSON(c.geom, 6) AS geometry
		FROM coverage_cell_reach_walked(${need}, ${radii}::float8[], ${walked.nearest.cells}::int[], ${walked.nearest.metres}::float8[],
			${variant.when}, ${variant.accepting}, ${variant.audience}, ${variant.hide?.length ? variant.hide : null}::uuid[],
			${added.no}::int[], ${added.cell}::int[], ${added.metres}::float8[]) r
		JOIN coverage_cell c ON c.id = r.cell_id
		WHERE c.geom && ST_MakeEnvelope(${bbox.west}, ${bbox.south}, ${bbox.east}, ${bbox.north}, 4326)
		ORDER BY c.id`;
}

/** "What if" on the route basis (radius in metres walked; the added points' walks passed in). */
export async function scenarioWalked(need: string, radius: number, withinIndex: number, hide: string[], add: [number, number][], added: AddedWalks): Promise<ScenarioRow[]> {
	return sql<ScenarioRow[]>`
		SELECT rione, before, after FROM coverage_scenario(${need}, ${radius}, ${withinIndex},
			${hide.length ? hide : null}::uuid[], ${points(add)}, true, ${added.cell}::int[], ${added.metres}::float8[])
		ORDER BY rione NULLS LAST`;
}
