import type { WalkBasis } from '$lib/domain/walking';
import type { PlanPageView, Suggestion } from '$lib/server/plans/plans';

export interface NamedOrganization {
	id: string;
	name: string;
}
export type NearbyOrganization = NamedOrganization & { walk_min: number; walk_basis: WalkBasis };

/**
 * The organisations the lead may name in the consent or add as members: first those already
 * involved (a suggested resource's, a member, one in the consent), then the others nearby.
 */
export function planOrganizations(
	plan: Pick<PlanPageView, 'members' | 'consent'>,
	suggestions: readonly { resources: readonly Suggestion[] }[],
	nearby: readonly NearbyOrganization[]
): { suggested: NamedOrganization[]; others: NearbyOrganization[] } {
	const seen = new Map<string, string>();
	for (const s of suggestions) for (const r of s.resources) if (r.organization_id && !seen.has(r.organization_id)) seen.set(r.organization_id, r.organization);
	for (const m of plan.members) if (!seen.has(m.organization_id)) seen.set(m.organization_id, m.name);
	for (const o of plan.consent?.scope ?? []) if (!seen.has(o.id)) seen.set(o.id, o.name);
	const suggested = [...seen].map(([id, name]) => ({ id, name }));
	return { suggested, others: nearby.filter((o) => !seen.has(o.id)) };
}
