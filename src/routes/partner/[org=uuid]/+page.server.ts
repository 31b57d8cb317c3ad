import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { actorOf, canEdit, refuse, requireOrganization } from '$lib/server/auth/access';
import * as partner from '$lib/server/db/partner';
import * as partnerChanges from '$lib/server/partner/changes';
import * as edits from '$lib/server/partner/edits';
import * as reports from '$lib/server/reports/reports';

export const load: PageServerLoad = async (event) => {
	const user = await requireOrganization(actorOf(event), event.params.org, 'viewer');
	const organization = await partner.organizationPage(event.params.org);
	if (!organization) return refuse(actorOf(event), 'organization', event.params.org);
	const editor = await canEdit(user, organization.id);
	return {
		organization,
		values: edits.organizationValues(organization.fields),
		canEdit: editor,
		// Citizens' error reports, for those who can correct the records (they may hold a reply email).
		reports: editor ? await reports.openFor(actorOf(event), organization.id) : [],
		reportClosed: event.url.searchParams.has('chiusa'),
		history: await partner.changes({ organizationId: organization.id, limit: 10 }),
		saved: event.url.searchParams.get('salvato'),
		confirmed: event.url.searchParams.has('confermato'),
		removed: event.url.searchParams.has('rimosso'),
		reverted: event.url.searchParams.has('annullata')
	};
};

export const actions: Actions = {
	save: async (event) => {
		const user = await requireOrganization(actorOf(event), event.params.org, 'editor');
		const form = await event.request.formData();
		const outcome = await edits.save(
			'organization',
			event.params.org,
			event.params.org,
			edits.parseOrganizationForm(form),
			edits.actorOf(user, event.getClientAddress()),
			String(form.get('version') ?? '') || null
		);
		if (!outcome.ok) {
			if (outcome.status === 'missing') return refuse(actorOf(event), 'organization', event.params.org);
			return fail(outcome.status === 'stale' ? 409 : 400, outcome);
		}
		redirect(303, `/partner/${event.params.org}?salvato=${outcome.status === 'saved' ? 1 : 0}`);
	},
	confirm: async (event) => {
		const user = await requireOrganization(actorOf(event), event.params.org, 'editor');
		const done = await partnerChanges.confirm(event.params.org, edits.actorOf(user, event.getClientAddress()));
		if (!done) return refuse(actorOf(event), 'organization', event.params.org);
		redirect(303, `/partner/${event.params.org}?confermato`);
	},
	/**
	 * Undoes an addition or a removal of one of the organisation's places or services (from the
	 * history below); other changes are undone by an administrator. Another organisation's change is
	 * "not found".
	 */
	revert: async (event) => {
		const user = await requireOrganization(actorOf(event), event.params.org, 'editor');
		const changeId = Number((await event.request.formData()).get('change'));
		const result = await partnerChanges.revertOwn(event.params.org, changeId, edits.actorOf(user, event.getClientAddress()));
		if (result.status === 'missing') return refuse(actorOf(event), 'organization', event.params.org, { change: Number.isSafeInteger(changeId) ? changeId : null });
		if (result.status !== 'reverted') return fail(409, { revert: { change: changeId, ...result } });
		redirect(303, `/partner/${event.params.org}?annullata`);
	},
	/** Closes one of the organisation's open error reports (resolved or dismissed); another's is "not found". */
	report: async (event) => {
		const form = await event.request.formData();
		const field = (key: string) => {
			const value = form.get(key);
			return typeof value === 'string' ? value : '';
		};
		await reports.close(actorOf(event), { organizationId: event.params.org, reportId: field('report'), decision: field('decision') });
		redirect(303, `/partner/${event.params.org}?chiusa#errori`);
	}
};
