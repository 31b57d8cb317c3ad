import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { todayInRome } from '$lib/domain/dates';
import { populationFormValues } from '$lib/domain/territory';
import { requireUser } from '$lib/server/auth/guards';
import * as places from '$lib/server/db/places';
import * as population from '$lib/server/territory/population';

/** Residents per rione: each rione's current figure, its history, and a form for a newer one. */
export const load: PageServerLoad = async () => ({
	rioni: (await places.neighbourhoodPoints()).map((r) => r.name),
	figures: await population.history(),
	today: todayInRome()
});

export const actions: Actions = {
	enter: async (event) => {
		const admin = requireUser(event);
		const values = populationFormValues(await event.request.formData());
		const result = await population.enter(admin, values, event.getClientAddress());
		if (!result.ok) return fail(400, { values, problems: result.problems });
		return { entered: { rione: values.rione.trim() } };
	}
};
