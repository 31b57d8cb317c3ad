import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { AUDIENCE_CODES, CATEGORY_CODES, NEED_CODES } from '$lib/domain/taxonomy';
import { actorOf, refuse, requireOrganization } from '$lib/server/auth/access';
import * as partner from '$lib/server/db/partner';
import * as partnerChanges from '$lib/server/partner/changes';
import * as edits from '$lib/server/partner/edits';

type Event = RequestEvent<{ org: string }>;

/** The organisation and the places (not removed) a new service may be offered at. */
async function findOrganization(event: Event) {
	const organization = await partner.organizationPage(event.params.org);
	if (!organization) return refuse(actorOf(event), 'organization', event.params.org);
	const places = organization.locations.filter((l) => !l.removed).map(({ id, name, address }) => ({ id, name, address }));
	return { id: organization.id, name: organization.fields.name, places };
}

/** A new service of the organisation: the edit form's fields and rules, plus its category and places; for its editors only. */
export const load: PageServerLoad = async (event) => {
	await requireOrganization(actorOf(event), event.params.org, 'editor');
	const organization = await findOrganization(event);
	const values = edits.blankService(organization.places.map((p) => p.id));
	return {
		organization,
		values,
		previews: edits.hoursPreviews(values.hours),
		needs: NEED_CODES,
		audiences: AUDIENCE_CODES,
		categories: CATEGORY_CODES
	};
};

export const actions: Actions = {
	save: async (event) => {
		const user = await requireOrganization(actorOf(event), event.params.org, 'editor');
		const organization = await findOrganization(event);
		const parsed = edits.parseNewServiceForm(await event.request.formData(), organization.places.map((p) => p.id));
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors, previews: edits.hoursPreviews(parsed.values.hours) });
		const created = await partnerChanges.createService(event.params.org, parsed.service, edits.actorOf(user, event.getClientAddress()));
		if (created.status === 'missing') return refuse(actorOf(event), 'organization', event.params.org);
		// A place removed since the form was read.
		if (created.status === 'unknown_location') {
			return fail(409, { values: parsed.values, errors: { at: 'unknown_location' }, previews: edits.hoursPreviews(parsed.values.hours) });
		}
		redirect(303, `/partner/${event.params.org}/servizi/${created.id}?aggiunto`);
	},
	/** The opening hours as typed, read and shown as a week, without saving anything (as on the edit form). */
	preview: async (event) => {
		await requireOrganization(actorOf(event), event.params.org, 'editor');
		const organization = await findOrganization(event);
		const parsed = edits.parseNewServiceForm(await event.request.formData(), organization.places.map((p) => p.id));
		return { previewed: true, values: parsed.values, errors: {}, previews: edits.hoursPreviews(parsed.values.hours) };
	}
};
