import { error, type RequestEvent } from '@sveltejs/kit';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { CoverageQuery, RioneCoverage, ScenarioBody } from '../../domain/planning';
import { cityTotals, type CityTotals } from '../../domain/planning-view';
import type { WalkBasis } from '../../domain/walking';
import { requireUser } from '../auth/guards';
import * as planningSources from '../db/planning-sources';
import * as resources from '../db/resources';
import * as coverage from './coverage';
import { ScenarioError, type Actor } from './scenarios';

/**
 * The planning pages' plumbing: the figures a page shows, read through the coverage service, in
 * the shape the components take. Routes stay thin: parse the view, call these, return.
 */

export type RioneFeature = Feature<Polygon | MultiPolygon, RioneCoverage>;

export interface RioniView {
	/** Rioni with a boundary (the map, the printed picture). */
	features: RioneFeature[];
	/** Every rione of the answer (the table, the chart, the CSV). */
	rows: RioneCoverage[];
	city: CityTotals;
	/** ISO instant the figures were computed, null if never. */
	computedAt: string | null;
	/** A recomputation is waiting or running. */
	pending: boolean;
	method: string | null;
	/** What the minutes walk on: the imported network ("a piedi") or the estimate ("circa"). */
	walkBasis: WalkBasis;
}

export function actorOf(event: Pick<RequestEvent, 'locals' | 'getClientAddress'>): Actor {
	return { user: requireUser(event), address: event.getClientAddress() };
}

/** The rioni of a view, with their geometry (map, print) and without (table, chart). */
/** `reader` is recorded in the audit trail as reading the demand figures. */
export async function rioniView(query: CoverageQuery, reader: Actor): Promise<RioniView> {
	const answer = await coverage.rioniFeatures(query, reader);
	const rows = answer.features.map((f) => f.properties);
	const features = answer.features.filter((f): f is RioneFeature => isPolygonal(f.geometry));
	// The city's own row when the engine gives one (its residents include any outside every rione).
	const city = answer.city.residents !== null && answer.city.share_within !== null
		? { residents: answer.city.residents, within: Math.round(answer.city.residents * answer.city.share_within), share: answer.city.share_within }
		: cityTotals(rows);
	return { features, rows, city, computedAt: answer.computed_at, pending: answer.dirty, method: answer.method, walkBasis: answer.walk_basis };
}

function isPolygonal(geometry: unknown): geometry is Polygon | MultiPolygon {
	const type = (geometry as { type?: unknown } | null)?.type;
	return type === 'Polygon' || type === 'MultiPolygon';
}

export interface ScenarioResult {
	/** What the before/after counts walk on (the scenario engine's answer), for the wording. */
	walk_basis: WalkBasis;
	city: { before: number; after: number };
	rioni: { name: string; before: number; after: number }[];
}

/**
 * Residents within reach before and after a saved scenario (nothing is written); null when the
 * engine refuses it now (say, a hidden resource has since left the directory).
 */
export async function scenarioResult(body: ScenarioBody): Promise<ScenarioResult | null> {
	try {
		const answer = await coverage.runScenario({ need: body.need, within: body.within, add: body.add.map((a) => ({ at: a.at, needs: a.needs })), hide: body.hide });
		return { walk_basis: answer.walk_basis, city: answer.city, rioni: answer.rioni };
	} catch (problem) {
		if (problem instanceof coverage.ScenarioError) return null;
		throw problem;
	}
}

export interface ExistingResource {
	id: string;
	name: string;
	lon: number;
	lat: number;
	neighbourhood: string | null;
}

/** The public resources offering a need (their public points), to hide in a scenario. */
export async function resourcesFor(need: string): Promise<ExistingResource[]> {
	const list = await resources.list({ needs: [need], limit: 500 });
	return list.map((r) => ({ id: r.id, name: r.name, lon: r.lon, lat: r.lat, neighbourhood: r.neighbourhood }));
}

/** A scenario that is not there (or not for this person) is the plain 404 page. */
export async function orNotFound<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (problem) {
		if (problem instanceof ScenarioError && problem.status === 404) error(404, 'Not found');
		throw problem;
	}
}

/** The sources behind the figures (attribution on the page and in the printed report). */
export const sources = () => planningSources.list();
