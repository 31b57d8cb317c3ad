import { checkLonLat } from '../../domain/geometry';
import { isUuid } from '../../domain/ids';
import {
	isBaseView,
	scenarioSchema,
	WITHIN_MINUTES,
	withinIndex,
	type Bbox,
	type CellCoverage,
	type CoverageQuery,
	type RioneCoverage,
	type ScenarioAnswer,
	type WithinMinutes
} from '../../domain/planning';
import { NEED_CODES } from '../../domain/taxonomy';
import { minutesFor, routeReachWithin, straightLineWithin, walkMinutes, WALKING_MODEL, type WalkBasis } from '../../domain/walking';
import { sql, type TransactionSql } from '../db/client';
import * as coverage from '../db/coverage';
import { log } from '../log';
import * as walkNetwork from '../territory/walk-network';
import { demandPerResource } from '../../domain/disclosure';
import { demandByRione, type DemandFigures, type DemandReader } from './demand';

/**
 * Coverage for planners (issue 11): which rioni lack which help. The heavy lifting is SQL
 * (db/functions/coverage.sql); this module owns the refresh (one transaction, under an advisory
 * lock), the walking-minute conversions (domain/walking.ts, the one walking model) and the
 * shapes the planning API answers with.
 *
 * - The walking basis: with a walkable network imported (`npm run import:osm`) the figures walk on
 *   it ('route'): the refresh asks the one walking function (territory/walk-network.ts) for every
 *   walk of at most 20 minutes from a pin's location to a cell (stored in coverage_walk, read by
 *   the SQL) and for each cell's shortest walk per need (one multi-source search per need); without
 *   one they are the straight-line estimate ('estimate'), measured in SQL as before. The basis is
 *   stored with the figures (coverage_state.walk_basis), and variants and "what if" use it too, so
 *   one answer never mixes the two; every answer says which (`walk_basis`).
 *
 * - The base view (any time, any audience, any capacity) of all 16 needs is precomputed by
 *   {@link refreshCoverage}; reads of it only read.
 * - Variants (evening, weekend, audience, accepting) are computed on request and cached in memory
 *   for as long as the figures they were computed from (keyed by computed_at).
 * - Changes to the directory, hours, population or boundaries mark the figures dirty (statement
 *   triggers, migration 0010); a background timer started at start-up rebuilds them once they have
 *   been dirty for {@link REFRESH_DEBOUNCE_MS}, so a burst of edits costs one rebuild.
 */

/** Cells about 100 m across (corner to corner): a few minutes' walk is several cells. */
export const CELL_ACROSS_M = 100;
/** A cell within this of a stop, a school or a pharmacy is "settled" (people live there). */
export const SETTLED_WITHIN_M = 400;
/** How long the figures stay dirty before the background refresh rebuilds them, by default (ATLANTE_PLANNING_REFRESH_DELAY_S). */
export const REFRESH_DEBOUNCE_MS = 10_000;
/** How often the background job looks at the freshness row. */
export const REFRESH_CHECK_MS = 5_000;

/**
 * The radii of 10, 15 and 20 walking minutes, in the order the SQL takes them: straight-line metres
 * on the estimate basis, metres walked on the route basis.
 */
export function radii(basis: WalkBasis = 'estimate'): number[] {
	return WITHIN_MINUTES.map((minutes) => (basis === 'route' ? routeReachWithin(minutes) : straightLineWithin(minutes)));
}

/** The minutes of a figure in metres: walked metres on the route basis, straight-line ones on the estimate. */
export function minutesOf(metres: number | null, basis: WalkBasis): number | null {
	if (metres === null) return null;
	return basis === 'route' ? minutesFor(metres) : walkMinutes(metres);
}

export interface RefreshReport {
	computedAt: Date;
	cells: number;
	durationMs: number;
	/** Whether the grid was rebuilt (false: its inputs were unchanged, only the needs' figures were). */
	gridBuilt: boolean;
	/** What the figures walk on. */
	walkBasis: WalkBasis;
	/** Milliseconds per phase: the grid (0 when kept), the cells' figures, the rioni's figures. */
	phases: { gridMs: number; cellsMs: number; rioniMs: number };
}

function baseMethod(cellM: number, basis: WalkBasis): string {
	const walking =
		basis === 'route'
			? `Walking time: along the walkable network imported from OpenStreetMap (straight to the nearest node within ` +
				`${walkNetwork.SNAP_M} m, the shortest route, straight from the pin's node) at ${WALKING_MODEL.metresPerMinute} m a minute, ` +
				`from each cell's centre to the nearest public pin; where the network does not join the two, straight line × ` +
				`${WALKING_MODEL.detourFactor} at the same pace.`
			: `Walking time: straight line × ${WALKING_MODEL.detourFactor} at ${WALKING_MODEL.metresPerMinute} m a minute, from each ` +
				`cell's centre to the nearest public pin.`;
	return (
		`Hexagonal grid of cells ${cellM} m across (EPSG:32632) over the comune; residents of each rione ` +
		`(register figure, or ISTAT census sections when imported) spread equally over its settled cells ` +
		`(within ${SETTLED_WITHIN_M} m of a bus or rail stop, a school or a pharmacy). ${walking} ` +
		`2SFCA: catchment = the chosen minutes; supply = a service's capacity where known, else 1 per pin.`
	);
}

/** The walks of some points to every cell: typed arrays, as coverage_walk stores them. */
function walksToCells(network: walkNetwork.WalkNetwork, sources: walkNetwork.WalkPoint[], cells: coverage.CellPoint[], places: walkNetwork.PlaceSet) {
	const walks = network.walksWithin(sources, places, radii('route')[2]!);
	return {
		source: Int32Array.from(walks, (w) => w.source),
		cell: Int32Array.from(walks, (w) => cells[w.place]!.id),
		metres: Float64Array.from(walks, (w) => w.metres)
	};
}

/** Each cell's shortest walk from any of `sources` (null: there are none). */
function nearestOf(network: walkNetwork.WalkNetwork, sources: walkNetwork.WalkPoint[], cells: coverage.CellPoint[], places: walkNetwork.PlaceSet): coverage.Nearest {
	const metres = network.nearestWalks(sources, places);
	return { cells: cells.map((c) => c.id), metres: Array.from(metres, (m) => (m === Infinity ? null : m)) };
}

/**
 * The refresh's cells' figures on the route basis: the walks of every pin's location to the cells
 * (coverage_walk; kept when the network, the grid and the pins' locations are those they were
 * computed from), each cell's shortest walk per need, then the SQL's counts and 2SFCA from them.
 * Returns the walks' key.
 */
async function storeWalkedCellNeeds(tx: TransactionSql, network: walkNetwork.WalkNetwork, needs: readonly string[], gridKey: string): Promise<string> {
	const cells = await coverage.cellPoints(tx);
	const places = network.places(cells);
	const key = await coverage.walkKey(tx, gridKey);
	if (!key.kept) {
		const locations = await coverage.pinLocations(tx);
		const walks = walksToCells(network, locations, cells, places);
		await coverage.storeWalks(tx, { locationIds: locations.map((l) => l.location_id), ...walks });
	}
	const byNeed = await coverage.needLocations(tx, needs);
	const nearest = new Map([...byNeed].map(([need, pins]) => [need, nearestOf(network, pins, cells, places)]));
	await coverage.storeCellNeedsWalked(tx, needs, radii('route'), nearest);
	return key.key;
}

/**
 * Rebuilds the base view of every need, and the grid unless its inputs (boundaries, anchors,
 * population: coverage_grid_key) are the ones it was built from or `rebuildGrid` asks for it, in
 * one transaction under an advisory lock (instances sharing a database take turns; with
 * `wait: false`, as the background job calls it, it returns null at once when another refresh is
 * under way, which will have seen the changes or left them marked). Clears the dirty mark first, so
 * a change committed meanwhile marks the figures dirty again once this transaction ends (see
 * db/coverage.ts beginRefresh).
 */
export async function refreshCoverage(
	options: { cellM?: number; wait?: boolean; rebuildGrid?: boolean; needs?: readonly string[] } = {}
): Promise<RefreshReport | null> {
	const cellM = options.cellM ?? CELL_ACROSS_M;
	// A subset of the needs only for the region benchmark (scripts/bench/coverage.ts): the app
	// always refreshes all of them.
	const needs = options.needs ?? NEED_CODES;
	const started = performance.now();
	// Before the transaction: the network is read through the shared client, which the embedded
	// store's single session would not give while the transaction holds it.
	const network = await walkNetwork.current();
	const basis: WalkBasis = network ? 'route' : 'estimate';
	const report = await sql.begin(async (tx) => {
		if (!(await coverage.beginRefresh(tx, options.wait ?? true))) return null;
		let mark = performance.now();
		const lap = () => {
			const now = performance.now();
			const elapsed = Math.round(now - mark);
			mark = now;
			return elapsed;
		};
		const grid = await coverage.gridKey(tx, cellM, SETTLED_WITHIN_M);
		const gridBuilt = options.rebuildGrid === true || grid.keptCells === null;
		const cells = gridBuilt ? await coverage.buildGrid(tx, cellM, SETTLED_WITHIN_M) : grid.keptCells!;
		const gridMs = lap();
		let walkKey: string | null = null;
		if (network) walkKey = await storeWalkedCellNeeds(tx, network, needs, grid.key);
		else {
			await coverage.clearWalks(tx);
			await coverage.storeCellNeeds(tx, needs, radii());
		}
		const cellsMs = lap();
		await coverage.storeRioneNeeds(tx, needs, radii(basis), WITHIN_MINUTES);
		const rioniMs = lap();
		const durationMs = Math.round(performance.now() - started);
		const computedAt = await coverage.markComputed(tx, { cellM, cells, durationMs, method: baseMethod(cellM, basis), gridKey: grid.key, walkBasis: basis, walkKey });
		return { computedAt, cells, durationMs, gridBuilt, walkBasis: basis, phases: { gridMs, cellsMs, rioniMs } };
	});
	if (report) {
		variantCache.clear();
		await coverage.vacuum();
	}
	return report;
}

/**
 * One tick of the background job: rebuilds when the figures were never computed or have been dirty
 * for at least the debounce. Never throws (it runs from a timer); returns the report, or null when
 * there was nothing to do or it failed (logged, retried at the next tick).
 */
export async function refreshIfDirty(now = new Date(), delayMs = REFRESH_DEBOUNCE_MS): Promise<RefreshReport | null> {
	try {
		const current = await coverage.state();
		const due =
			current.computed_at === null ||
			(current.dirty_since !== null && now.getTime() - current.dirty_since.getTime() >= delayMs);
		if (!due) return null;
		const report = await refreshCoverage({ wait: false });
		if (report) log.info('coverage recomputed', { cells: report.cells, durationMs: report.durationMs });
		return report;
	} catch (error) {
		log.error('coverage refresh failed: retried at the next tick', { error: error instanceof Error ? error.message : String(error) });
		return null;
	}
}

export interface Freshness {
	computed_at: string | null;
	dirty: boolean;
}

export async function freshness(): Promise<Freshness> {
	const current = await coverage.state();
	return { computed_at: current.computed_at?.toISOString() ?? null, dirty: current.computed_at === null || current.dirty_since !== null };
}

// Variant answers, by the computed_at they were computed from and the query: bounded, and dropped
// whole by a refresh. Hours are not in the key: a changed schedule marks the figures dirty.
const VARIANT_CACHE_SIZE = 200;
const variantCache = new Map<string, unknown>();

async function cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
	if (variantCache.has(key)) return variantCache.get(key) as T;
	const value = await compute();
	if (variantCache.size >= VARIANT_CACHE_SIZE) variantCache.delete(variantCache.keys().next().value as string);
	variantCache.set(key, value);
	return value;
}

function variantOf(query: CoverageQuery): coverage.Variant {
	return { when: query.when, accepting: query.accepting, audience: query.audience ?? null };
}

/**
 * The basis reads compute on: the stored figures' ('route' only while a network is there to walk
 * on; between a network's removal and the refresh that follows, the figures are marked stale).
 */
async function readingBasis(current: coverage.CoverageState): Promise<{ basis: WalkBasis; network: walkNetwork.WalkNetwork | null }> {
	if (current.walk_basis !== 'route') return { basis: 'estimate', network: null };
	const network = await walkNetwork.current();
	return network ? { basis: 'route', network } : { basis: 'estimate', network: null };
}

// The cells snapped to the network, for the variants and "what if" computed on request: kept while
// the figures (computed_at) and the network are the same.
let cellPlaces: { network: walkNetwork.WalkNetwork; computedAt: string | null; cells: coverage.CellPoint[]; places: walkNetwork.PlaceSet } | null = null;

async function placesOf(network: walkNetwork.WalkNetwork, current: coverage.CoverageState) {
	const computedAt = current.computed_at?.toISOString() ?? null;
	if (cellPlaces?.network !== network || cellPlaces.computedAt !== computedAt) {
		const cells = await coverage.cellPoints();
		cellPlaces = { network, computedAt, cells, places: network.places(cells) };
	}
	return cellPlaces;
}

/** The walks added points make (numbered from 1) to the cells within the longest radius. */
async function addedWalks(network: walkNetwork.WalkNetwork, current: coverage.CoverageState, add: [number, number][]): Promise<coverage.AddedWalks> {
	if (add.length === 0) return { no: [], cell: [], metres: [] };
	const { cells, places } = await placesOf(network, current);
	const walks = walksToCells(network, add.map(([lon, lat]) => ({ lon, lat })), cells, places);
	return { no: Array.from(walks.source, (s) => s + 1), cell: Array.from(walks.cell), metres: Array.from(walks.metres) };
}

/** What a variant computed on the route basis needs from the walking function. */
async function walkedInputs(network: walkNetwork.WalkNetwork, current: coverage.CoverageState, need: string, variant: coverage.Variant) {
	const { cells, places } = await placesOf(network, current);
	const pins = (await coverage.needLocations(sql, [need], variant)).get(need) ?? [];
	const add = (variant.add ?? []).map(([lon, lat]) => ({ lon, lat }));
	return { nearest: nearestOf(network, [...pins, ...add], cells, places), added: await addedWalks(network, current, variant.add ?? []) };
}

type SupplyRow = Omit<RioneCoverage, 'demand' | 'demand_suppressed' | 'demand_per_resource' | 'unmet' | 'unmet_suppressed'>;

/**
 * Joins the demand figures (needs in support plans, planning/demand.ts: already protected by the
 * disclosure rules) to the coverage rows; demand per resource only from a published count.
 */
function withDemand(row: SupplyRow, figures: DemandFigures | undefined): RioneCoverage {
	const demand = { value: figures?.demand ?? null, suppressed: figures?.demand_suppressed ?? true };
	return {
		...row,
		demand: demand.value,
		demand_suppressed: demand.suppressed,
		demand_per_resource: demandPerResource(demand, row.resources),
		unmet: figures?.unmet ?? null,
		unmet_suppressed: figures?.unmet_suppressed ?? true
	};
}

export interface RioniAnswer {
	computed_at: string | null;
	dirty: boolean;
	/** What the minutes walk on: the imported network ('route', "a piedi") or the estimate ("circa"). */
	walk_basis: WalkBasis;
	method: string;
	query: CoverageQuery;
	rioni: RioneCoverage[];
	/** The city as a whole (name "Lecco" is not assumed: `name` is null). */
	city: Omit<RioneCoverage, 'name' | 'derived' | 'gap_rank'> & { name: null };
}

function toCoverage(row: coverage.RioneRow, basis: WalkBasis): SupplyRow {
	return {
		name: row.rione ?? '',
		derived: row.derived ?? false,
		residents: row.residents === null ? null : Math.round(row.residents),
		residents_source: row.residents_source,
		resources: row.resources,
		per_1000: row.per_1000,
		share_within: row.share_within,
		residents_beyond: row.residents_beyond === null ? null : Math.round(row.residents_beyond),
		walk_min_p50: minutesOf(row.p50_m, basis),
		walk_min_p90: minutesOf(row.p90_m, basis),
		sfca: row.sfca,
		gap_rank: row.gap_rank
	};
}

/**
 * Per rione and for the city, the coverage of a need under a view: the base view from the stored
 * rows, a variant computed now (and cached). Reads only.
 */
export async function rioniCoverage(query: CoverageQuery, reader?: DemandReader, now: Date = new Date()): Promise<RioniAnswer> {
	const current = await coverage.state();
	const { basis, network } = await readingBasis(current);
	const key = JSON.stringify(['rioni', current.computed_at?.toISOString() ?? null, basis, query]);
	const { rows, supply } = await cached(key, async () => {
		const variant = variantOf(query);
		const rows = isBaseView(query)
			? await coverage.storedRioni(query.need, query.within)
			: network
				? await coverage.computeRioniWalked(query.need, radii(basis), withinIndex(query.within), variant, await walkedInputs(network, current, query.need, variant))
				: await coverage.computeRioni(query.need, radii(basis), withinIndex(query.within), variant);
		return { rows, supply: await coverage.supplyFacts(query.need, variant) };
	});
	const figures = await demandByRione(query.need, query.period ?? 'active', now, reader);
	const rioni = rows.filter((row) => row.rione !== null).map((row) => withDemand(toCoverage(row, basis), figures.rioni.get(row.rione!)));
	const cityRow = rows.find((row) => row.rione === null);
	const city = withDemand(cityRow ? toCoverage(cityRow, basis) : emptySupply(), figures.city);
	const method =
		(current.method ?? baseMethod(current.cell_m ?? CELL_ACROSS_M, basis)) +
		` Capacity known for ${supply.known} of the ${supply.pins} pins of this view.`;
	return {
		computed_at: current.computed_at?.toISOString() ?? null,
		dirty: current.computed_at === null || current.dirty_since !== null,
		walk_basis: basis,
		method,
		query,
		rioni,
		city: { ...city, name: null }
	};
}

function emptySupply(): SupplyRow {
	return { name: '', derived: false, residents: null, residents_source: null, resources: 0, per_1000: null, share_within: null, residents_beyond: null, walk_min_p50: null, walk_min_p90: null, sfca: null, gap_rank: null };
}

/** The rioni answer as a GeoJSON FeatureCollection (the shape of GET /api/planning/rioni). */
export async function rioniFeatures(query: CoverageQuery, reader?: DemandReader) {
	const answer = await rioniCoverage(query, reader);
	const shapes = await coverage.rioneShapes();
	return {
		type: 'FeatureCollection' as const,
		computed_at: answer.computed_at,
		dirty: answer.dirty,
		walk_basis: answer.walk_basis,
		method: answer.method,
		query: answer.query,
		city: answer.city,
		features: answer.rioni.map((properties) => ({
			type: 'Feature' as const,
			geometry: shapes.get(properties.name) ?? null,
			properties
		}))
	};
}

/** The grid cells meeting `bbox`, for a need under a view (GET /api/planning/cells). */
export async function cellsCoverage(query: CoverageQuery, bbox: Bbox) {
	const current = await coverage.state();
	const { basis, network } = await readingBasis(current);
	const variant = variantOf(query);
	const rows = isBaseView(query)
		? await coverage.storedCells(query.need, bbox)
		: network
			? await coverage.computeCellsWalked(query.need, radii(basis), variant, await walkedInputs(network, current, query.need, variant), bbox)
			: await coverage.computeCells(query.need, radii(basis), variant, bbox);
	return {
		type: 'FeatureCollection' as const,
		computed_at: current.computed_at?.toISOString() ?? null,
		dirty: current.computed_at === null || current.dirty_since !== null,
		walk_basis: basis,
		query,
		features: rows.map((row) => {
			const properties: CellCoverage = {
				id: row.id,
				rione: row.rione,
				settled: row.settled,
				residents: row.residents,
				walk_min: minutesOf(row.nearest_m, basis),
				within_10: row.within[0],
				within_15: row.within[1],
				within_20: row.within[2]
			};
			return { type: 'Feature' as const, geometry: JSON.parse(row.geometry) as unknown, properties };
		})
	};
}

/** A refused scenario: which field, and why (the route answers 400). */
export class ScenarioError extends Error {
	constructor(
		readonly field: string,
		message: string
	) {
		super(message);
		this.name = 'ScenarioError';
	}
}

/**
 * "What if" (POST /api/planning/scenario): residents within `within` minutes of the need, per rione
 * and for the city, before (the stored base view) and after hiding existing pins and adding
 * hypothetical ones. Writes nothing. Hypothetical points offer the needs they list: a point that
 * does not list the scenario's need changes nothing. Hidden ids must be public pins (unknown ids
 * are refused with 400, so a typo is not silently "no change"); hiding a pin that does not offer
 * the need changes nothing.
 */
export async function runScenario(input: unknown): Promise<ScenarioAnswer> {
	const parsed = scenarioSchema.safeParse(input);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new ScenarioError(String(issue?.path.join('.') || 'body'), issue?.message ?? 'invalid scenario');
	}
	const scenario = parsed.data;
	const add: [number, number][] = [];
	for (const [index, point] of scenario.add.entries()) {
		const checked = checkLonLat(point.at[0], point.at[1]);
		if (!checked.ok) throw new ScenarioError(`add.${index}.at`, checked.error);
		if (point.needs.includes(scenario.need)) add.push([checked.value.lon, checked.value.lat]);
	}
	const hide = [...new Set(scenario.hide)];
	const malformed = hide.find((id) => !isUuid(id));
	if (malformed !== undefined) throw new ScenarioError('hide', 'hide lists resource ids (UUIDs)');
	const unknown = await coverage.unknownPins(hide);
	if (unknown.length > 0) throw new ScenarioError('hide', `unknown resource ids: ${unknown.length}`);
	const within = scenario.within as WithinMinutes;
	const current = await coverage.state();
	const { basis, network } = await readingBasis(current);
	const radius = radii(basis)[withinIndex(within) - 1]!;
	const rows = network
		? await coverage.scenarioWalked(scenario.need, radius, withinIndex(within), hide, add, await addedWalks(network, current, add))
		: await coverage.scenario(scenario.need, radius, withinIndex(within), hide, add);
	const cityRow = rows.find((row) => row.rione === null);
	return {
		need: scenario.need,
		within,
		computed_at: current.computed_at?.toISOString() ?? null,
		walk_basis: basis,
		city: { before: Math.round(cityRow?.before ?? 0), after: Math.round(cityRow?.after ?? 0) },
		rioni: rows
			.filter((row) => row.rione !== null)
			.map((row) => ({ name: row.rione!, before: Math.round(row.before), after: Math.round(row.after) }))
	};
}

/** The rioni rows as CSV (GET /api/planning/rioni.csv): a header, then the same rows as the features, each ending with the answer's walk_basis. */
export function rioniCsv(answer: RioniAnswer, columns: readonly (keyof RioneCoverage)[]): string {
	const cell = (value: unknown): string => {
		if (value === null || value === undefined) return '';
		const text = typeof value === 'number' ? String(Math.round(value * 1e6) / 1e6) : String(value);
		return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
	};
	// The basis is the answer's (all its figures share one); repeated on each row so any row copied
	// elsewhere keeps it.
	const lines = [[...columns, 'walk_basis'].join(',')];
	for (const row of answer.rioni) lines.push([...columns.map((column) => cell(row[column])), cell(answer.walk_basis)].join(','));
	return lines.join('\r\n') + '\r\n';
}
