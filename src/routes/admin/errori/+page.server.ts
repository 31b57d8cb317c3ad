import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/auth/access';
import * as reports from '$lib/server/reports/reports';

/** Every open error report citizens sent, for the administrators, who may close any of them. */
export const load: PageServerLoad = async (event) => ({
	reports: await reports.openAll(actorOf(event)),
	closed: event.url.searchParams.has('chiusa')
});

export const actions = {
	report: async (event) => {
		const form = await event.request.formData();
		const field = (key: string) => {
			const value = form.get(key);
			return typeof value === 'string' ? value : '';
		};
		await reports.close(actorOf(event), { organizationId: null, reportId: field('report'), decision: field('decision') });
		redirect(303, '/admin/errori?chiusa');
	}
} satisfies Actions;
