import { estimatedWalk, type WalkBasis } from '../../domain/walking';
import { sql } from '../db/client';
import * as match from '../db/match';
import * as db from '../db/plans';
import * as resources from '../db/resources';
import { access, type Actor } from './context';

/*
 * What is on offer near the household, for the lead to refer to or ask to take part. The minutes
 * are the straight-line estimate from the household's rounded place (not routed on the walking
 * network: the nearest are chosen and ordered by straight distance); each figure carries the basis
 * of the Walk it came from, so the page words it ("circa") from the data, not by assumption.
 */
const walkOf = (distanceM: number) => {
	const walk = estimatedWalk(distanceM);
	return { walk_min: walk.minutes, walk_basis: walk.basis };
};

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
	const rows = await match.matchResources({ at, needs, maxDistanceM: SUGGESTION_REACH_M, limit: 5 });
	const covered = await db.coveredOrganizations(sql, plan.id);
	const [organizationOf, ofCovered] = await Promise.all([
		resources.resourceOrganizations([...new Set(rows.map((r) => r.id))]),
		resources.resourcesOfOrganizations({ at, needs, organizationIds: [...covered], maxDistanceM: SUGGESTION_REACH_M })
	]);
	return needs.map((need) => {
		const nearest: Suggestion[] = rows
			.filter((r) => r.need === need)
			.map((r) => {
				const organizationId = organizationOf.get(r.id) ?? '';
				return { id: r.id, name: r.name, organization_id: organizationId, organization: r.organization, ...walkOf(r.distance_m), open_now: r.open_now, accepting: r.accepting_new, nearest: true, covered: covered.has(organizationId) };
			});
		const shown = new Set(nearest.map((r) => r.id));
		const partners: Suggestion[] = ofCovered
			.filter((r) => r.need === need && !shown.has(r.id))
			.map((r) => ({ id: r.id, name: r.name, organization_id: r.organization_id, organization: r.organization, ...walkOf(r.distance_m), open_now: null, accepting: r.accepting_new, nearest: false, covered: true }));
		return { need, resources: [...nearest, ...partners] };
	});
}

/**
 * Organisations that could take part in the plan (lead only): those with a public resource for
 * one of the plan's needs near the household, nearest first. The lead chooses among them when
 * recording the family's consent or adding a member.
 */
export async function organizationsNearby(actor: Actor, planId: string): Promise<{ id: string; name: string; walk_min: number; walk_basis: WalkBasis }[]> {
	const plan = await access(actor, planId, 'lead');
	if (plan.lon === null || plan.lat === null) return [];
	const rows = await resources.organizationsNear({ at: { lon: plan.lon, lat: plan.lat }, needs: await db.needCodes(plan.id), maxDistanceM: SUGGESTION_REACH_M, limit: 50 });
	return rows.map((r) => ({ id: r.id, name: r.name, ...walkOf(r.distance_m) }));
}
