import type { PageServerLoad } from './$types';
import { actorOf, settings } from '$lib/server/plans/http';
import * as plans from '$lib/server/plans/plans';

/**
 * The plans the signed-in worker or partner may see, by code and — where they may read it — the
 * household's name; `?q=` keeps those whose code or name holds the words (matched on the server
 * after decryption; the page is never cached, see hooks.server.ts).
 */
export const load: PageServerLoad = async (event) => {
	const actor = actorOf(event);
	const config = settings();
	const search = (event.url.searchParams.get('q') ?? '').slice(0, 100);
	return { plans: await plans.listPlans(actor, config, search), search, staleDays: config.staleDays, canCreate: actor.user.role === 'worker' };
};
