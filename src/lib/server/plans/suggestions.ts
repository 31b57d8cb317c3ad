import type { Walk, WalkBasis } from '../../domain/walking';
import { matchRequest, nearestOnFoot } from '../api/match';
import { sql } from '../db/client';
import * as db from '../db/plans';
import * as resources from '../db/resources';
import * as walkNetwork from '../territory/walk-network';
import { access, type Actor } from './context';

/*
 * What is on offer near the household, for the lead to refer to or ask to take part, from the
 * household's rounded place (or its rione). The walks come from the app's one walking function, as
 * /api/match's do: routed on the walking network where a deployment imported one (and then the
 * nearest are the nearest on foot), the straight-line estimate otherwise. Each figure carries the
 * basis of the Walk it came from, so the page words it ("a piedi" or "circa") from the data.
 */
const walkOf = (walk: Walk) => ({ walk_min: walk.minutes, walk_basis: walk.basis });

export interface Suggestion {
	id: string;
	name: string;
	organization_id: string;
	organization: string;
	walk_min: number;
	/** What walk_min was computed on, for the wording ('estimate': "circa"); from the same Walk. */
	walk_basis: WalkBasis;
	open_now: boolean | null;
	accepting: boolean | null;
	/** Among the nearest the match engine proposes (false: added because its organisation is covered). */
	nearest: boolean;
	/** Its organisation is covered by the consent in force or an override: a referral may be sent. */
	covered: boolean;
}

const SUGGESTION_REACH_M = 10_000;

/**
 * For each plan need, nearby resources from the household's rounded place (or its rione): the
 * match engine's nearest, then any other resource of an organisation the consent already covers
 * that offers the need (so a partner the family agreed to is always on offer).
 */
export async function suggestions(actor: Actor, planId: string): Promise<{ need: string; resources: Suggestion[] }[]> {
	const plan = await access(actor, planId);
	const needs = await db.needCodes(plan.id);
	if (plan.lon === null || plan.lat === null || needs.length === 0) return [];
	const at = { lon: plan.lon, lat: plan.lat };
	const { byNeed } = await nearestOnFoot({ ...matchRequest({ at, needs, maxWalkMin: null, limit: 5 }), maxDistanceM: SUGGESTION_REACH_M });
	const rows = [...byNeed.values()].flat();
	const covered = await db.coveredOrganizations(sql, plan.id);
	const [organizationOf, ofCovered] = await Promise.all([
		resources.resourceOrganizations([...new Set(rows.map(({ row }) => row.id))]),
		resources.resourcesOfOrganizations({ at, needs, organizationIds: [...covered], maxDistanceM: SUGGESTION_REACH_M })
	]);
	const partnerWalks = await walkNetwork.walks(at, ofCovered.map((r) => ({ lon: r.lon, lat: r.lat, straightM: r.distance_m, approximate: r.approximate })));
	return needs.map((need) => {
		const nearest: Suggestion[] = (byNeed.get(need) ?? []).map(({ row, walk }) => {
			const organizationId = organizationOf.get(row.id) ?? '';
			return { id: row.id, name: row.name, organization_id: organizationId, organization: row.organization, ...walkOf(walk), open_now: row.open_now, accepting: row.accepting_new, nearest: true, covered: covered.has(organizationId) };
		});
		const shown = new Set(nearest.map((r) => r.id));
		const partners = ofCovered
			.map((r, i) => ({ r, walk: partnerWalks[i]! }))
			.filter(({ r }) => r.need === need && !shown.has(r.id))
			// Nearest on foot first (the query's order is the straight line's).
			.sort((a, b) => a.walk.metres - b.walk.metres || a.r.distance_m - b.r.distance_m || (a.r.id < b.r.id ? -1 : 1))
			.map(({ r, walk }): Suggestion => ({ id: r.id, name: r.name, organization_id: r.organization_id, organization: r.organization, ...walkOf(walk), open_now: null, accepting: r.accepting_new, nearest: false, covered: true }));
		return { need, resources: [...nearest, ...partners] };
	});
}

const NEARBY_ORGANIZATIONS = 50;

/**
 * Organisations that could take part in the plan (lead only): those with a public resource for
 * one of the plan's needs near the household, nearest first by the walk to their nearest such
 * resource (by walk alone, not opening hours, so the list does not change with the time of day).
 * The lead chooses among them when recording the family's consent or adding a member.
 */
export async function organizationsNearby(actor: Actor, planId: string): Promise<{ id: string; name: string; walk_min: number; walk_basis: WalkBasis }[]> {
	const plan = await access(actor, planId, 'lead');
	if (plan.lon === null || plan.lat === null) return [];
	const at = { lon: plan.lon, lat: plan.lat };
	const places = await resources.organizationPlacesNear({ at, needs: await db.needCodes(plan.id), maxDistanceM: SUGGESTION_REACH_M });
	const walks = await walkNetwork.walks(at, places.map((p) => ({ lon: p.lon, lat: p.lat, straightM: p.distance_m, approximate: p.approximate })));
	const nearestOf = new Map<string, { id: string; name: string; walk: Walk }>();
	places.forEach((p, i) => {
		const walk = walks[i]!;
		const known = nearestOf.get(p.organization_id);
		if (!known || walk.metres < known.walk.metres) nearestOf.set(p.organization_id, { id: p.organization_id, name: p.organization, walk });
	});
	return [...nearestOf.values()]
		.sort((a, b) => a.walk.metres - b.walk.metres || a.name.localeCompare(b.name, 'it'))
		.slice(0, NEARBY_ORGANIZATIONS)
		.map((o) => ({ id: o.id, name: o.name, ...walkOf(o.walk) }));
}
