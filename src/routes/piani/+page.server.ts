import type { PageServerLoad } from './$types';
import { actorOf, settings } from '$lib/server/plans/http';
import * as plans from '$lib/server/plans/plans';

/** The plans the signed-in worker or partner may see: by pseudonymous code, never by name. */
export const load: PageServerLoad = async (event) => {
	const actor = actorOf(event);
	const config = settings();
	return { plans: await plans.listPlans(actor, config), staleDays: config.staleDays, canCreate: actor.user.role === 'worker' };
};
