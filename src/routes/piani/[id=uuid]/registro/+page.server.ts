import type { PageServerLoad } from './$types';
import { actorOf, settings } from '$lib/server/plans/http';
import { orNotFound } from '$lib/server/plans/pages';
import * as plans from '$lib/server/plans/plans';

/** Events on one page of the trail. */
const PAGE = 100;

/** Who did what with the plan, for its lead and members (reading it is itself recorded). */
export const load: PageServerLoad = async (event) => {
	const actor = actorOf(event);
	const plan = await orNotFound(() => plans.getPlan(actor, event.params.id, settings()));
	// `?prima=ID`: the page of events older than that one (a link, so it works without JavaScript).
	const before = /^[1-9][0-9]{0,15}$/.test(event.url.searchParams.get('prima') ?? '') ? Number(event.url.searchParams.get('prima')) : null;
	const { events, older } = await orNotFound(() => plans.planAuditPage(actor, plan.id, { limit: PAGE, before }));
	return {
		plan: { id: plan.id, code: plan.code },
		older,
		first: before === null,
		// Newest first (as the trail is read); the detail reduced to the facts the page names.
		events: events
			.map((e) => ({
				at: e.at,
				// Staff by display name (the email only for accounts without one).
				actor: e.actor_name,
				action: e.action,
				from: typeof e.detail?.from === 'string' ? e.detail.from : null,
				to: typeof e.detail?.to === 'string' ? e.detail.to : null,
				need: typeof e.detail?.need === 'string' ? e.detail.need : null,
				fields: Array.isArray(e.detail?.fields) ? (e.detail.fields as unknown[]).map(String) : []
			}))
	};
};
