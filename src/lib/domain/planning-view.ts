/**
 * The planning pages' pure rules, shared by the server render and the browser: the page's view in
 * the URL (a coverage query plus the metric, the table's sort and the open scenario), the map
 * legend's classes, how figures are written, and the table's order. No I/O.
 */
import { ckmeans } from 'simple-statistics';
import { UUID } from './ids';
import { parseCoverageQuery, RIONE_METRICS, type CoverageQuery, type RioneCoverage, type RioneMetric } from './planning';
import { NEED_CODES } from './taxonomy';

/* The view in the URL. */

/** Columns of the rioni table a planner can sort by. */
export const SORT_COLUMNS = [
	'gap_rank',
	'name',
	'residents',
	'resources',
	'per_1000',
	'share_within',
	'walk_min_p50',
	'walk_min_p90',
	'sfca',
	'demand'
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDirection = 'asc' | 'desc';

export interface PlanningView {
	query: CoverageQuery;
	metric: RioneMetric;
	sort: SortColumn;
	dir: SortDirection;
	/** The saved scenario opened, by id (the only thing about it the address carries). */
	scenario: string | null;
}

/** The need a planner sees first: the one the pact's first evidence was asked for. */
export const DEFAULT_NEED = 'homework' satisfies (typeof NEED_CODES)[number];

const oneOf = <T extends string>(list: readonly T[], value: string | null, fallback: T): T | null =>
	value === null || value === '' ? fallback : (list as readonly string[]).includes(value) ? (value as T) : null;

/**
 * The page's view from its address. Absent parameters take their defaults; a present but invalid
 * one is reported by name (the page answers 400 rather than silently showing another view).
 */
export function parsePlanningView(params: URLSearchParams): { ok: true; value: PlanningView } | { ok: false; field: string } {
	const withNeed = new URLSearchParams(params);
	if (!withNeed.get('need')) withNeed.set('need', DEFAULT_NEED);
	const query = parseCoverageQuery(withNeed);
	if (!query.ok) return query;
	const metric = oneOf(RIONE_METRICS, params.get('metric'), 'share_within');
	if (!metric) return { ok: false, field: 'metric' };
	const sort = oneOf(SORT_COLUMNS, params.get('sort'), 'gap_rank');
	if (!sort) return { ok: false, field: 'sort' };
	const dir = oneOf(['asc', 'desc'] as const, params.get('dir'), 'asc');
	if (!dir) return { ok: false, field: 'dir' };
	const scenario = params.get('scenario') || null;
	if (scenario !== null && !UUID.test(scenario)) return { ok: false, field: 'scenario' };
	return { ok: true, value: { query: query.value, metric, sort, dir, scenario: scenario?.toLowerCase() ?? null } };
}

/** The coverage query's own parameters, as the API takes them (for the CSV and GeoJSON links). */
export function queryParams(query: CoverageQuery): URLSearchParams {
	const params = new URLSearchParams({ need: query.need, within: String(query.within) });
	if (query.when !== 'any') params.set('when', query.when);
	if (query.audience) params.set('audience', query.audience);
	if (query.accepting) params.set('accepting', '1');
	if (query.period && query.period !== 'active') params.set('period', query.period);
	return params;
}

/** The page's address for a view, defaults left out so links stay short; `change` overrides. */
export function viewHref(path: string, view: PlanningView, change: Partial<PlanningView> = {}): string {
	const next = { ...view, ...change };
	const params = queryParams(next.query);
	if (next.metric !== 'share_within') params.set('metric', next.metric);
	if (next.sort !== 'gap_rank') params.set('sort', next.sort);
	if (next.dir !== 'asc') params.set('dir', next.dir);
	if (next.scenario) params.set('scenario', next.scenario);
	return `${path}?${params}`;
}

/* Direction of a metric: is a higher value better served, or worse? */

/** Metrics where more is better (more reach, more resources); the others are worse when higher. */
const HIGHER_IS_BETTER: ReadonlySet<RioneMetric> = new Set(['share_within', 'per_1000', 'sfca']);

export function higherIsBetter(metric: RioneMetric): boolean {
	return HIGHER_IS_BETTER.has(metric);
}

/* Legend: class breaks by Ckmeans (optimal 1-D k-means, "Jenks done right") from simple-statistics. */

/**
 * ColorBrewer "OrRd" (5 classes), listed from the best served to the worst: a sequential
 * single-hue ramp, marked colour-blind safe and print friendly by ColorBrewer
 * (https://colorbrewer2.org/#type=sequential&scheme=OrRd&n=5). Darker means "look here".
 */
export const PALETTE = ['#fef0d9', '#fdcc8a', '#fc8d59', '#e34a33', '#b30000'] as const;
/** Areas without a figure: neutral grey, never a colour of the ramp. */
export const NO_DATA_COLOUR = '#bdbdbd';
export const MAX_CLASSES = PALETTE.length;

export interface LegendClass {
	/** Lowest and highest value in the class (inclusive). */
	from: number;
	to: number;
	colour: string;
	/** Rioni in the class. */
	count: number;
}

export interface Legend {
	metric: RioneMetric;
	/** Ordered by value, low to high. */
	classes: LegendClass[];
	/** Rioni without a figure for the metric. */
	noData: number;
}

/**
 * The map's classes for the values of a metric: at most five, by Ckmeans clustering (which
 * minimises the spread within classes: natural breaks), fewer when there are fewer distinct
 * values. Colours run from the palette's "well served" end to its "poorly served" end, in the
 * metric's direction: for a share, high values are pale; for minutes, high values are dark.
 */
export function legendFor(metric: RioneMetric, values: readonly (number | null | undefined)[]): Legend {
	const known = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
	const noData = values.length - known.length;
	if (known.length === 0) return { metric, classes: [], noData };
	const distinct = new Set(known).size;
	const k = Math.min(MAX_CLASSES, distinct);
	const clusters = mergeTies(ckmeans(known, k));
	// Spread the used colours over the whole ramp, so three classes still run from pale to dark.
	const colours = pickColours(clusters.length);
	const ordered = higherIsBetter(metric) ? [...colours].reverse() : colours;
	return {
		metric,
		classes: clusters.map((cluster, i) => ({ from: cluster[0]!, to: cluster[cluster.length - 1]!, colour: ordered[i]!, count: cluster.length })),
		noData
	};
}

/**
 * Ckmeans may split equal values across two neighbouring clusters (a tie in its dynamic
 * programme); one value must have one colour, so such clusters are merged.
 */
function mergeTies(clusters: number[][]): number[][] {
	const merged: number[][] = [];
	for (const cluster of clusters) {
		const last = merged.at(-1);
		if (last && last[last.length - 1] === cluster[0]) last.push(...cluster);
		else merged.push([...cluster]);
	}
	return merged;
}

function pickColours(n: number): string[] {
	if (n === 1) return [PALETTE[Math.floor(PALETTE.length / 2)]!];
	return Array.from({ length: n }, (_, i) => PALETTE[Math.round((i * (PALETTE.length - 1)) / (n - 1))]!);
}

/** The colour of a value on the legend's map; no figure is the "no data" grey. */
export function colourOf(legend: Legend, value: number | null | undefined): string {
	if (typeof value !== 'number' || !Number.isFinite(value)) return NO_DATA_COLOUR;
	for (const c of legend.classes) if (value <= c.to) return c.colour;
	// Values outside the classes (only if the legend was built from other data): the nearest end.
	return legend.classes.at(-1)?.colour ?? NO_DATA_COLOUR;
}

/* Writing figures. */

/** A metric's value on the rione row; demand reads its own suppression flag. */
export function metricValue(row: RioneCoverage, metric: RioneMetric): number | null {
	const value = row[metric];
	return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export interface FigureWords {
	/** "no figure" (no residents, no data). */
	none: string;
	/** A suppressed count (fewer than five households, or hidden to protect another). */
	suppressed: string;
}

/**
 * A metric written for people, in the page's language: shares as whole percentages, minutes as
 * whole minutes, rates with one decimal, counts as integers. Null is `words.none`.
 */
export function formatMetric(locale: string, metric: RioneMetric | 'residents' | 'resources' | 'gap_rank', value: number | null | undefined, words: FigureWords): string {
	if (typeof value !== 'number' || !Number.isFinite(value)) return words.none;
	switch (metric) {
		case 'share_within':
			return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value);
		case 'walk_min_p50':
		case 'walk_min_p90':
			return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value)} min`;
		case 'per_1000':
		case 'sfca':
		case 'demand_per_resource':
			return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
		default:
			return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
	}
}

/** Demand as published: a rounded count, "< 5" when suppressed, "n.d." when there is no figure. */
export function formatDemand(locale: string, row: Pick<RioneCoverage, 'demand' | 'demand_suppressed'>, words: FigureWords): string {
	if (row.demand_suppressed) return words.suppressed;
	return formatMetric(locale, 'demand', row.demand, words);
}

/** A legend class as a range ("40 % – 62 %"), or one value when the class holds one. */
export function formatClass(locale: string, metric: RioneMetric, c: Pick<LegendClass, 'from' | 'to'>, words: FigureWords): string {
	const from = formatMetric(locale, metric, c.from, words);
	const to = formatMetric(locale, metric, c.to, words);
	return from === to ? from : `${from} – ${to}`;
}

/* The table's order. */

/**
 * Rows sorted by a column; rows without a figure always last (whatever the direction), ties by
 * name, so the order is the same on every render and the table is a stable text equivalent.
 */
export function sortRows<T extends RioneCoverage>(rows: readonly T[], column: SortColumn, dir: SortDirection): T[] {
	const sign = dir === 'asc' ? 1 : -1;
	const byName = (a: T, b: T) => a.name.localeCompare(b.name, 'it');
	return [...rows].sort((a, b) => {
		if (column === 'name') return sign * byName(a, b);
		const x = a[column];
		const y = b[column];
		const xa = typeof x === 'number' && Number.isFinite(x);
		const ya = typeof y === 'number' && Number.isFinite(y);
		if (!xa || !ya) return xa === ya ? byName(a, b) : xa ? -1 : 1;
		return x === y ? byName(a, b) : sign * ((x as number) - (y as number));
	});
}

/** The direction a click on a column header asks for: the other one on the sorted column. */
export function nextDirection(view: Pick<PlanningView, 'sort' | 'dir'>, column: SortColumn): SortDirection {
	if (view.sort === column) return view.dir === 'asc' ? 'desc' : 'asc';
	// Names A→Z and the gap rank 1→15 read best ascending; figures largest first.
	return column === 'name' || column === 'gap_rank' ? 'asc' : 'desc';
}

/* A static picture of the rioni (the printed report: no map library, no canvas). */

type Position = number[];
type Polygonal = { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };

/** Bounds [W, S, E, N] of polygons. */
export function boundsOf(geometries: readonly Polygonal[]): [number, number, number, number] {
	let w = Infinity,
		s = Infinity,
		e = -Infinity,
		n = -Infinity;
	for (const g of geometries) {
		const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
		for (const ring of polygons.flat()) {
			for (const [x, y] of ring as [number, number][]) {
				if (x < w) w = x;
				if (x > e) e = x;
				if (y < s) s = y;
				if (y > n) n = y;
			}
		}
	}
	return [w, s, e, n];
}

/**
 * SVG path data of a polygon in a `width`-wide picture of `bounds`: an equirectangular projection
 * with the longitude scaled by cos(latitude), which over a city is indistinguishable from the map's.
 */
export function svgPath(geometry: Polygonal, bounds: [number, number, number, number], width: number): string {
	const [w, s, e, n] = bounds;
	const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
	const scale = width / Math.max((e - w) * k, 1e-12);
	const height = (n - s) * scale;
	const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
	const r = (v: number) => Math.round(v * 10) / 10;
	return polygons
		.flat()
		.map((ring) => 'M' + (ring as [number, number][]).map(([x, y]) => `${r((x - w) * k * scale)},${r(height - (y - s) * scale)}`).join('L') + 'Z')
		.join('');
}

/** The height of that picture. */
export function svgHeight(bounds: [number, number, number, number], width: number): number {
	const [w, s, e, n] = bounds;
	const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
	return Math.round(((n - s) * width) / Math.max((e - w) * k, 1e-12));
}

/* City totals, from the rioni rows (every resident belongs to one rione). */

export interface CityTotals {
	residents: number;
	/** Residents within the view's minutes of a resource. */
	within: number;
	/** within ÷ residents, null without residents. */
	share: number | null;
}

/** Residents and residents within reach over the rioni with a figure; shares are weighted by residents. */
export function cityTotals(rows: readonly Pick<RioneCoverage, 'residents' | 'share_within'>[]): CityTotals {
	let residents = 0;
	let within = 0;
	for (const row of rows) {
		if (typeof row.residents !== 'number' || typeof row.share_within !== 'number') continue;
		residents += row.residents;
		within += row.residents * row.share_within;
	}
	within = Math.round(within);
	return { residents, within, share: residents > 0 ? within / residents : null };
}

/** A change in residents within reach, signed ("+120", "−40", "0"), for the scenario's table. */
export function formatChange(locale: string, before: number, after: number): string {
	const diff = Math.round(after - before);
	const text = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(Math.abs(diff));
	return diff > 0 ? `+${text}` : diff < 0 ? `−${text}` : text;
}

/**
 * What a view of the figures shows — the rows in the chosen order, the legend of the chosen metric
 * and the city's row — the same on the planning page and its printable report.
 */
export function viewedFigures<T extends RioneCoverage, C>(
	figures: { rows: readonly T[]; city: C },
	view: { metric: RioneMetric; sort: SortColumn; dir: SortDirection }
): { rows: T[]; legend: Legend; city: C } {
	return {
		rows: sortRows(figures.rows, view.sort, view.dir),
		legend: legendFor(view.metric, figures.rows.map((r) => metricValue(r, view.metric))),
		city: figures.city
	};
}
