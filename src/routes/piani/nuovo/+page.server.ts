import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { newPlanForm } from '$lib/domain/plan-forms';
import { actorOf } from '$lib/server/plans/http';
import { act, refuse } from '$lib/server/plans/pages';
import * as plans from '$lib/server/plans/plans';

/** Only social workers open plans; to anyone else the page does not exist. */
export const load: PageServerLoad = async (event) => {
	if (actorOf(event).user.role !== 'worker') error(404, 'Not found');
	return { rioni: await plans.neighbourhoods() };
};

export const actions = {
	default: async (event) => {
		const actor = actorOf(event);
		if (actor.user.role !== 'worker') error(404, 'Not found');
		const { values, problem, input } = newPlanForm(await event.request.formData());
		if (problem) return refuse('create', problem, values);
		let created: { id: string } | null = null;
		const answer = await act('create', values, async () => {
			created = await plans.createPlan(actor, input);
		});
		if (!created) return answer;
		// The plan's address holds its random id only, never the family's name.
		redirect(303, `/piani/${(created as { id: string }).id}`);
	}
} satisfies Actions;
