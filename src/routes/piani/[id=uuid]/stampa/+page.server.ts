import type { PageServerLoad } from './$types';
import { todayInRome } from '$lib/domain/dates';
import { meetingsAhead } from '$lib/domain/plan-forms';
import { actorOf, settings } from '$lib/server/plans/http';
import { orNotFound } from '$lib/server/plans/pages';
import * as plans from '$lib/server/plans/plans';

/**
 * The plan in plain words, to print and give to the family: their strengths first, then their
 * needs, goals, who does what and the next meeting. No internal notes, no history, no audit.
 */
export const load: PageServerLoad = async (event) => {
	const plan = await orNotFound(() => plans.getPlan(actorOf(event), event.params.id, settings()));
	const today = todayInRome();
	return {
		today,
		plan: {
			id: plan.id,
			code: plan.code,
			// The name only in the lead's printout: a partner's view has none (plans.partnerView).
			name: plan.household.erased ? null : (plan.household.name ?? null),
			status: plan.status,
			lead: plan.lead.email,
			strengths: plan.strengths.map((s) => ({ kind: s.kind, text: s.text })),
			needs: plan.needs.map((n) => ({ need: n.need, words: n.words })),
			goals: plan.goals.map((g) => ({ text: g.text, due_on: g.due_on, done: g.done })),
			actions: plan.actions.map((a) => ({ text: a.text, who: a.by_family ? null : a.organization_name, by_family: a.by_family, due_on: a.due_on, done: a.done })),
			// Help asked of the organisations, as the family would say it; declined or closed ones are left out.
			help: plan.referrals
				.filter((r) => ['sent', 'accepted', 'in_progress', 'completed'].includes(r.status))
				.map((r) => ({ need: r.need, resource: r.resource_name, organization: r.organization_name, status: r.status })),
			nextMeeting: meetingsAhead(plan.meetings, today)[0]?.held_on ?? null
		}
	};
};
