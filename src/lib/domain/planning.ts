/**
 * Planning (coverage, demand, "what if"): the shapes shared by the planning API, the pages and the
 * server modules. Pure, so the browser can read a view from the URL exactly as the server does.
 *
 * A view is a need plus the variant of supply a planner chose: within how many walking minutes,
 * when the help must be open, for which audience, and whether only places taking new people count.
 * The base view (`when` any, no audience, any capacity) is precomputed for every need; the other
 * variants are computed on request from the same SQL functions.
 */
import { z } from 'zod';
import { UUID } from './ids';
import { AUDIENCE_CODES, NEED_CODES, type AudienceCode, type NeedCode } from './taxonomy';
import type { WalkBasis } from './walking';

/** Walking minutes a planner can choose as "within reach" (10 / 15 / 20). */
export const WITHIN_MINUTES = [10, 15, 20] as const;
export type WithinMinutes = (typeof WITHIN_MINUTES)[number];

/**
 * When the help must be open: at any time, on a weekday evening (an opening interval on Monday to
 * Friday that reaches past 18:00 in Rome), or at the weekend (an interval on Saturday or Sunday).
 * Decided on the expanded opening intervals (the coming days), so holidays count as they fall.
 */
export const WHEN = ['any', 'evening', 'weekend'] as const;
export type When = (typeof WHEN)[number];

/** Metrics the map can be coloured by; each is a property of a rione feature. */
export const RIONE_METRICS = ['share_within', 'walk_min_p50', 'walk_min_p90', 'per_1000', 'sfca', 'demand', 'demand_per_resource'] as const;
export type RioneMetric = (typeof RIONE_METRICS)[number];

/** Demand filters (needs in support plans): which plans count. */
export const DEMAND_PERIODS = ['active', 'last_12_months'] as const;
export type DemandPeriod = (typeof DEMAND_PERIODS)[number];

const flag = z
	.enum(['1', '0', 'true', 'false'])
	.transform((value) => value === '1' || value === 'true')
	.optional()
	.default(false);

/** The query of a coverage view, as the API and the pages accept it (strings from a URL). */
export const coverageQuerySchema = z.object({
	need: z.enum(NEED_CODES),
	within: z
		.enum(['10', '15', '20'])
		.transform((value) => Number(value) as WithinMinutes)
		.optional()
		.default(15),
	when: z.enum(WHEN).optional().default('any'),
	audience: z.enum(AUDIENCE_CODES).optional(),
	accepting: flag,
	/** Which plans the demand figures count (see DEMAND_PERIODS); supply is the same for both. */
	period: z.enum(DEMAND_PERIODS).optional().default('active')
});
export type CoverageQuery = {
	need: NeedCode;
	within: WithinMinutes;
	when: When;
	audience?: AudienceCode;
	accepting: boolean;
	/** Default: active. */
	period?: DemandPeriod;
};

/** Reads a coverage query from URL search parameters; `null` with the offending field when invalid. */
export function parseCoverageQuery(params: URLSearchParams): { ok: true; value: CoverageQuery } | { ok: false; field: string } {
	const raw: Record<string, string> = {};
	for (const key of ['need', 'within', 'when', 'audience', 'accepting', 'period']) {
		const value = params.get(key);
		if (value !== null && value !== '') raw[key] = value;
	}
	const parsed = coverageQuerySchema.safeParse(raw);
	if (!parsed.success) return { ok: false, field: String(parsed.error.issues[0]?.path[0] ?? 'query') };
	return { ok: true, value: parsed.data };
}

/** One rione of a coverage view: the properties of a `/api/planning/rioni` feature. */
export interface RioneCoverage {
	name: string;
	/** The boundary is approximate (derived from rione centres), not an official one. */
	derived: boolean;
	/** Residents at the latest figure; null when the rione has none. */
	residents: number | null;
	/** The source of that figure (a source id, or an administrator's note), null without a figure. */
	residents_source: string | null;
	/** Public resources (pins) in the rione offering the need, under the view's variant. */
	resources: number;
	/** Resources per 1,000 residents; null without residents. */
	per_1000: number | null;
	/** Share (0–1) of the rione's residents within `within` walking minutes of at least one resource. */
	share_within: number | null;
	/** Residents beyond `within` minutes (the count the gap rank orders by). */
	residents_beyond: number | null;
	/** Population-weighted median and 90th percentile of walking minutes to the nearest resource. */
	walk_min_p50: number | null;
	walk_min_p90: number | null;
	/** Two-step floating catchment: resources reachable per 1,000 residents competing for them. */
	sfca: number | null;
	/** Households with the need in plans (rounded to 5), null when suppressed. */
	demand: number | null;
	demand_suppressed: boolean;
	/** Demand ÷ resources, never from a suppressed count. */
	demand_per_resource: number | null;
	/** Households whose referral for the need was declined for lack of capacity (rounded, or null). */
	unmet: number | null;
	unmet_suppressed: boolean;
	/** 1 = worst served (most residents beyond reach); null without residents. */
	gap_rank: number | null;
}

/** The radii of the three walking-minute choices, in the order the SQL functions take them. */
export function withinIndex(within: WithinMinutes): 1 | 2 | 3 {
	return (WITHIN_MINUTES.indexOf(within) + 1) as 1 | 2 | 3;
}

/** The base view (precomputed): any time, any audience, any capacity. */
export function isBaseView(query: CoverageQuery): boolean {
	return query.when === 'any' && !query.audience && !query.accepting;
}

/**
 * A `bbox=W,S,E,N` for `/api/planning/cells`, at most {@link CELLS_MAX_BBOX_DEGREES} a side (the
 * whole of Lecco is about 0.16° × 0.11°), so one request cannot ask for a region's worth of cells.
 */
export const CELLS_MAX_BBOX_DEGREES = 0.3;
export type Bbox = { west: number; south: number; east: number; north: number };

export function parseBbox(value: string | null): { ok: true; value: Bbox } | { ok: false; error: string } {
	if (!value) return { ok: false, error: 'bbox=W,S,E,N is required' };
	const parts = value.split(',');
	const numbers = parts.map((part) => (/^\s*-?\d+(\.\d+)?\s*$/.test(part) ? Number(part) : Number.NaN));
	if (numbers.length !== 4 || numbers.some((n) => !Number.isFinite(n))) return { ok: false, error: 'bbox must be four numbers W,S,E,N' };
	const [west, south, east, north] = numbers as [number, number, number, number];
	if (west < -180 || east > 180 || south < -90 || north > 90) return { ok: false, error: 'bbox is outside -180…180, -90…90' };
	if (west >= east || south >= north) return { ok: false, error: 'bbox must have W < E and S < N' };
	if (east - west > CELLS_MAX_BBOX_DEGREES || north - south > CELLS_MAX_BBOX_DEGREES) {
		return { ok: false, error: `bbox may span at most ${CELLS_MAX_BBOX_DEGREES}° a side` };
	}
	return { ok: true, value: { west, south, east, north } };
}

/** Bounds of a "what if": enough for a planner's sketch, small enough to answer in well under a second. */
export const SCENARIO_LIMITS = { add: 20, hide: 200 } as const;

/**
 * The body of `POST /api/planning/scenario`. Points are checked again with geometry.ts checkLonLat
 * by the service (in range, finite); `hide` holds public resource (pin) ids.
 */
export const scenarioSchema = z.object({
	need: z.enum(NEED_CODES),
	within: z
		.union([z.literal(10), z.literal(15), z.literal(20)])
		.optional()
		.default(15),
	add: z
		.array(
			z.object({
				at: z.tuple([z.number(), z.number()]),
				needs: z.array(z.enum(NEED_CODES)).min(1).max(NEED_CODES.length)
			})
		)
		.max(SCENARIO_LIMITS.add)
		.optional()
		.default([]),
	hide: z.array(z.string().max(64)).max(SCENARIO_LIMITS.hide).optional().default([])
});
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;

/** Residents within reach before and after a "what if" (whole people, rounded). */
export interface ScenarioAnswer {
	need: NeedCode;
	within: WithinMinutes;
	computed_at: string | null;
	/** What the minutes walk on: the imported network ('route', "a piedi") or the estimate ("circa"). */
	walk_basis: WalkBasis;
	city: { before: number; after: number };
	rioni: { name: string; before: number; after: number }[];
}

/** One grid cell of `/api/planning/cells` (a GeoJSON feature's properties). */
export interface CellCoverage {
	id: number;
	rione: string | null;
	settled: boolean;
	residents: number;
	/** Walking minutes to the nearest resource, null when there is none. */
	walk_min: number | null;
	within_10: number;
	within_15: number;
	within_20: number;
}

/**
 * The columns of `/api/planning/rioni.csv`, in order: the feature properties, without geometry;
 * the file then ends each row with `walk_basis` (the answer's, the same on every row), so a table
 * opened on its own still says whether its minutes were walked on the network or estimated.
 */
export const RIONI_CSV_COLUMNS = [
	'name',
	'derived',
	'residents',
	'residents_source',
	'resources',
	'per_1000',
	'share_within',
	'residents_beyond',
	'walk_min_p50',
	'walk_min_p90',
	'sfca',
	'demand',
	'demand_suppressed',
	'demand_per_resource',
	'unmet',
	'unmet_suppressed',
	'gap_rank'
] as const satisfies readonly (keyof RioneCoverage)[];

/* Saved "what if" scenarios (kept by planners, shared as a link carrying only the scenario's id). */

/** Limits of a saved scenario: the counts the scenario API takes, plus its texts. */
export const SAVED_SCENARIO_LIMITS = { ...SCENARIO_LIMITS, name: 120, hours: 200 } as const;

// Printable text only: no control characters, no lone surrogates (they would break JSON and logs).
const plainText = (max: number) =>
	z
		.string()
		.trim()
		.max(max)
		.refine((text) => !/[\p{Cc}]/u.test(text) && text.isWellFormed(), 'plain text');

/** A hypothetical resource: a point, the needs it would meet, and optionally its hours in words. */
export const scenarioAddSchema = z.object({
	at: z.tuple([z.number().finite().min(-180).max(180), z.number().finite().min(-90).max(90)]),
	needs: z.array(z.enum(NEED_CODES)).min(1).max(NEED_CODES.length),
	hours: plainText(SAVED_SCENARIO_LIMITS.hours).optional()
});
export type ScenarioAdd = z.infer<typeof scenarioAddSchema>;

/**
 * What a saved scenario holds (planning_scenario.body): the need and minutes it was made for, the
 * hypothetical resources and the ids of the existing ones hidden. Validated on every save and
 * every read, so a row written by an older version cannot break a page.
 */
export const scenarioBodySchema = z.object({
	need: z.enum(NEED_CODES),
	within: z.union([z.literal(10), z.literal(15), z.literal(20)]).default(15),
	add: z.array(scenarioAddSchema).max(SAVED_SCENARIO_LIMITS.add).default([]),
	// Public resource (pin) ids, as the scenario API takes them.
	hide: z.array(z.string().regex(UUID)).max(SAVED_SCENARIO_LIMITS.hide).default([])
});
export type ScenarioBody = z.infer<typeof scenarioBodySchema>;

/** A scenario's name as a planner types it. */
export const scenarioNameSchema = plainText(SAVED_SCENARIO_LIMITS.name).pipe(z.string().min(1));
