import { fail, redirect } from '@sveltejs/kit';
import { env as publicEnv } from '$env/dynamic/public';
import type { Actions, PageServerLoad } from './$types';
import { blankLocation } from '$lib/domain/records';
import { actorOf, refuse, requireOrganization } from '$lib/server/auth/access';
import { config } from '$lib/server/startup';
import * as partner from '$lib/server/db/partner';
import * as partnerChanges from '$lib/server/partner/changes';
import * as edits from '$lib/server/partner/edits';

/** A new place of the organisation: the edit form's fields and rules, for its editors only. */
export const load: PageServerLoad = async (event) => {
	await requireOrganization(actorOf(event), event.params.org, 'editor');
	const organization = await partner.organizationName(event.params.org);
	if (!organization) return refuse(actorOf(event), 'organization', event.params.org);
	return { organization, values: blankLocation(), styleUrl: publicEnv.PUBLIC_BASEMAP_STYLE_URL || null };
};

export const actions: Actions = {
	save: async (event) => {
		const user = await requireOrganization(actorOf(event), event.params.org, 'editor');
		const parsed = await edits.parseLocationForm(await event.request.formData(), config().servedMarginM);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const created = await partnerChanges.createLocation(event.params.org, parsed.fields, edits.actorOf(user, event.getClientAddress()));
		if (created.status !== 'created') return refuse(actorOf(event), 'organization', event.params.org);
		redirect(303, `/partner/${event.params.org}/sedi/${created.id}?aggiunto`);
	},

	/** Places the typed address with the offline gazetteer, filling the coordinates (the pact form's "find"). */
	locate: async (event) => {
		await requireOrganization(actorOf(event), event.params.org, 'editor');
		const found = await edits.locateForm(await event.request.formData(), config().servedMarginM);
		if (!found.ok) return fail(400, { values: found.values, errors: found.errors });
		return { values: found.values, errors: found.errors, located: found.located };
	}
};
