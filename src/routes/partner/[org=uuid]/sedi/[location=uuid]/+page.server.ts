import { fail, redirect } from '@sveltejs/kit';
import { env as publicEnv } from '$env/dynamic/public';
import type { Actions, PageServerLoad } from './$types';
import { actorOf, canEdit, refuse, requireOrganization } from '$lib/server/auth/access';
import { config } from '$lib/server/startup';
import * as partner from '$lib/server/db/partner';
import * as partnerChanges from '$lib/server/partner/changes';
import * as edits from '$lib/server/partner/edits';

export const load: PageServerLoad = async (event) => {
	const user = await requireOrganization(actorOf(event), event.params.org, 'viewer');
	const location = await partner.locationPage(event.params.org, event.params.location);
	if (!location) return refuse(actorOf(event), 'location', event.params.location);
	return {
		location,
		values: edits.locationValues(location.fields),
		canEdit: await canEdit(user, event.params.org),
		saved: event.url.searchParams.get('salvato'),
		added: event.url.searchParams.has('aggiunto'),
		restored: event.url.searchParams.has('ripristinato'),
		// The removal's confirmation step (a link, so it works without JavaScript).
		confirmRemove: event.url.searchParams.has('rimuovi'),
		styleUrl: publicEnv.PUBLIC_BASEMAP_STYLE_URL || null
	};
};

export const actions: Actions = {
	save: async (event) => {
		const user = await requireOrganization(actorOf(event), event.params.org, 'editor');
		const form = await event.request.formData();
		const parsed = await edits.parseLocationForm(form, config().servedMarginM);
		const outcome = await edits.save(
			'location',
			event.params.org,
			event.params.location,
			parsed,
			edits.actorOf(user, event.getClientAddress()),
			String(form.get('version') ?? '') || null
		);
		if (!outcome.ok) {
			if (outcome.status === 'missing') return refuse(actorOf(event), 'location', event.params.location);
			return fail(outcome.status === 'stale' ? 409 : 400, outcome);
		}
		redirect(303, `/partner/${event.params.org}/sedi/${event.params.location}?salvato=${outcome.status === 'saved' ? 1 : 0}`);
	},

	/** Places the typed address with the offline gazetteer, filling the coordinates (the pact form's "find"). */
	locate: async (event) => {
		await requireOrganization(actorOf(event), event.params.org, 'editor');
		const found = await edits.locateForm(await event.request.formData(), config().servedMarginM);
		if (!found.ok) return fail(400, { values: found.values, errors: found.errors });
		return { values: found.values, errors: found.errors, located: found.located };
	},

	/** Removes the place (confirmed on the page first); refused while it hosts active services. */
	remove: async (event) => {
		const user = await requireOrganization(actorOf(event), event.params.org, 'editor');
		const result = await partnerChanges.remove('location', event.params.org, event.params.location, edits.actorOf(user, event.getClientAddress()));
		if (result.status === 'missing') return refuse(actorOf(event), 'location', event.params.location);
		if (result.status === 'blocked') return fail(409, { blocked: result });
		redirect(303, `/partner/${event.params.org}?rimosso=${event.params.location}`);
	},

	/** Gives a removed place back, as it was (reverts its removal). */
	restore: async (event) => {
		const user = await requireOrganization(actorOf(event), event.params.org, 'editor');
		const result = await partnerChanges.restore('location', event.params.org, event.params.location, edits.actorOf(user, event.getClientAddress()));
		if (result.status === 'missing') return refuse(actorOf(event), 'location', event.params.location);
		if (result.status !== 'reverted') return fail(409, { revert: result });
		redirect(303, `/partner/${event.params.org}/sedi/${event.params.location}?ripristinato`);
	}
};
