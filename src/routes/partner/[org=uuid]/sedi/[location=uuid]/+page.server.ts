import { fail, redirect } from '@sveltejs/kit';
import { env as publicEnv } from '$env/dynamic/public';
import type { Actions, PageServerLoad } from './$types';
import { actorOf, canEdit, refuse, requireOrganization } from '$lib/server/auth/access';
import { config } from '$lib/server/startup';
import * as partner from '$lib/server/db/partner';
import * as edits from '$lib/server/partner/edits';
import { locate } from '$lib/server/pact/address-lookup';
import { locationValuesFromForm } from '$lib/domain/records';

export const load: PageServerLoad = async (event) => {
	const user = await requireOrganization(actorOf(event), event.params.org, 'viewer');
	const location = await partner.locationPage(event.params.org, event.params.location);
	if (!location) return refuse(actorOf(event), 'location', event.params.location);
	return {
		location,
		values: edits.locationValues(location.fields),
		canEdit: await canEdit(user, event.params.org),
		saved: event.url.searchParams.get('salvato'),
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
		const values = locationValuesFromForm(await event.request.formData());
		if (!values.address.trim()) return fail(400, { values, errors: { address: 'required' } });
		const found = await locate(values.address, config().servedMarginM);
		if (!found) return fail(400, { values, errors: { address: 'not_found' } });
		return { values: { ...values, lon: String(found.lon), lat: String(found.lat) }, errors: {}, located: { name: found.name, kind: found.kind, neighbourhood: found.neighbourhood } };
	}
};
