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
import { straightLineWithin, walkMinutes, WALKING_MODEL } from '../../domain/walking';
import { sql } from '../db/client';
import * as coverage from '../db/coverage';
import { log } from '../log';
import { demandPerResource } from '../../domain/disclosure';
import { demandByRione, type DemandFigures, type DemandReader } from './demand';

/**
 * Coverage for planners (issue 11): which rioni lack which help. The heavy lifting is SQL
 * (db/functions/coverage.sql); this module owns the refresh (one transaction, under an advisory
 * lock), the walking-minute conversions (domain/walking.ts, the one walking estimate) and the
 * shapes the planning API answers with.
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

/** The straight-line radii of 10, 15 and 20 walking minutes, in the order the SQL takes them. */
export function radii(): number[] {
	return WITHIN_MINUTES.map((minutes) => straightLineWithin(minutes));
}

export interface RefreshReport {
	computedAt: Date;
	cells: number;
	durationMs: number;
	/** Whether the grid was rebuilt (false: its inputs were unchanged, only the needs' figures were). */
	gridBuilt: boolean;
	/** Milliseconds per phase: the grid (0 when kept), the cells' figures, the rioni's figures. */
	phases: { gridMs: number; cellsMs: number; rioniMs: number };
}

function baseMethod(cellM: number): string {
	return (
		`Hexagonal grid of cells ${cellM} m across (EPSG:32632) over the comune; residents of each rione ` +
		`(register figure, or ISTAT census sections when imported) spread equally over its settled cells ` +
		`(within ${SETTLED_WITHIN_M} m of a bus or rail stop, a school or a pharmacy). Walking time: straight line × ` +
		`${WALKING_MODEL.detourFactor} at ${WALKING_MODEL.metresPerMinute} m a minute, from each cell's centre to the ` +
		`nearest public pin. 2SFCA: catchment = the chosen minutes; supply = a service's capacity where known, else 1 per pin.`
	);
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
		await coverage.storeCellNeeds(tx, needs, radii());
		const cellsMs = lap();
		await coverage.storeRioneNeeds(tx, needs, radii(), WITHIN_MINUTES);
		const rioniMs = lap();
		const durationMs = Math.round(performance.now() - started);
		const computedAt = await coverage.markComputed(tx, { cellM, cells, durationMs, method: baseMethod(cellM), gridKey: grid.key });
		return { computedAt, cells, durationMs, gridBuilt, phases: { gridMs, cellsMs, rioniMs } };
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

const minutes = (metres: number | null): number | null => (metres === null ? null : walkMinutes(metres));

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
	method: string;
	query: CoverageQuery;
	rioni: RioneCoverage[];
	/** The city as a whole (name "Lecco" is not assumed: `name` is null). */
	city: Omit<RioneCoverage, 'name' | 'derived' | 'gap_rank'> & { name: null };
}

function toCoverage(row: coverage.RioneRow): SupplyRow {
	return {
		name: row.rione ?? '',
		derived: row.derived ?? false,
		residents: row.residents === null ? null : Math.round(row.residents),
		residents_source: row.residents_source,
		resources: row.resources,
		per_1000: row.per_1000,
		share_within: row.share_within,
		residents_beyond: row.residents_beyond === null ? null : Math.round(row.residents_beyond),
		walk_min_p50: minutes(row.p50_m),
		walk_min_p90: minutes(row.p90_m),
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
	const key = JSON.stringify(['rioni', current.computed_at?.toISOString() ?? null, query]);
	const { rows, supply } = await cached(key, async () => {
		const rows = isBaseView(query)
			? await coverage.storedRioni(query.need, query.within)
			: await coverage.computeRioni(query.need, radii(), withinIndex(query.within), variantOf(query));
		return { rows, supply: await coverage.supplyFacts(query.need, variantOf(query)) };
	});
	const figures = await demandByRione(query.need, query.period ?? 'active', now, reader);
	const rioni = rows.filter((row) => row.rione !== null).map((row) => withDemand(toCoverage(row), figures.rioni.get(row.rione!)));
	const cityRow = rows.find((row) => row.rione === null);
	const city = withDemand(cityRow ? toCoverage(cityRow) : emptySupply(), figures.city);
	const method =
		(current.method ?? baseMethod(current.cell_m ?? CELL_ACROSS_M)) +
		` Capacity known for ${supply.known} of the ${supply.pins} pins of this view.`;
	return {
		computed_at: current.computed_at?.toISOString() ?? null,
		dirty: current.computed_at === null || current.dirty_since !== null,
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
	const rows = isBaseView(query)
		? await coverage.storedCells(query.need, bbox)
		: await coverage.computeCells(query.need, radii(), variantOf(query), bbox);
	return {
		type: 'FeatureCollection' as const,
		computed_at: current.computed_at?.toISOString() ?? null,
		dirty: current.computed_at === null || current.dirty_since !== null,
		query,
		features: rows.map((row) => {
			const properties: CellCoverage = {
				id: row.id,
				rione: row.rione,
				settled: row.settled,
				residents: row.residents,
				walk_min: minutes(row.nearest_m),
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
	const [current, rows] = await Promise.all([
		coverage.state(),
		coverage.scenario(scenario.need, straightLineWithin(within), withinIndex(within), hide, add)
	]);
	const cityRow = rows.find((row) => row.rione === null);
	return {
		need: scenario.need,
		within,
		computed_at: current.computed_at?.toISOString() ?? null,
		city: { before: Math.round(cityRow?.before ?? 0), after: Math.round(cityRow?.after ?? 0) },
		rioni: rows
			.filter((row) => row.rione !== null)
			.map((row) => ({ name: row.rione!, before: Math.round(row.before), after: Math.round(row.after) }))
	};
}

/** The rioni rows as CSV (GET /api/planning/rioni.csv): a header, then the same rows as the features. */
export function rioniCsv(answer: RioniAnswer, columns: readonly (keyof RioneCoverage)[]): string {
	const cell = (value: unknown): string => {
		if (value === null || value === undefined) return '';
		const text = typeof value === 'number' ? String(Math.round(value * 1e6) / 1e6) : String(value);
		return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
	};
	const lines = [columns.join(',')];
	for (const row of answer.rioni) lines.push(columns.map((column) => cell(row[column])).join(','));
	return lines.join('\r\n') + '\r\n';
}
