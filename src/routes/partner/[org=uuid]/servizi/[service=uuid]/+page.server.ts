import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { AUDIENCE_CODES, NEED_CODES } from '$lib/domain/taxonomy';
import { actorOf, canEdit, refuse, requireOrganization } from '$lib/server/auth/access';
import * as partner from '$lib/server/db/partner';
import * as partnerChanges from '$lib/server/partner/changes';
import * as edits from '$lib/server/partner/edits';

type Event = RequestEvent<{ org: string; service: string }>;

/** The service, reached through its organisation (another organisation's service is "not found"). */
async function findService(event: Event): Promise<partner.ServicePage> {
	return (await partner.servicePage(event.params.org, event.params.service)) ?? refuse(actorOf(event), 'service', event.params.service);
}

export const load: PageServerLoad = async (event) => {
	const user = await requireOrganization(actorOf(event), event.params.org, 'viewer');
	const service = await findService(event);
	const { fields, ...rest } = service;
	const values = edits.serviceValues(fields, service.locations.map((l) => l.id));
	return {
		service: rest,
		values,
		previews: edits.hoursPreviews(values.hours),
		canEdit: await canEdit(user, event.params.org),
		needs: NEED_CODES,
		audiences: AUDIENCE_CODES,
		history: await partner.changes({ entityId: service.id, limit: 10 }),
		locationNames: Object.fromEntries(service.locations.map((l) => [l.id, l.name])),
		saved: event.url.searchParams.get('salvato'),
		added: event.url.searchParams.has('aggiunto'),
		restored: event.url.searchParams.has('ripristinato'),
		// The removal's confirmation step (a link, so it works without JavaScript).
		confirmRemove: event.url.searchParams.has('rimuovi')
	};
};

export const actions: Actions = {
	save: async (event) => {
		const user = await requireOrganization(actorOf(event), event.params.org, 'editor');
		const service = await findService(event);
		const form = await event.request.formData();
		const parsed = edits.parseServiceForm(form, service.locations.map((l) => l.id));
		const outcome = await edits.save(
			'service',
			event.params.org,
			service.id,
			parsed,
			edits.actorOf(user, event.getClientAddress()),
			String(form.get('version') ?? '') || null
		);
		if (!outcome.ok) {
			if (outcome.status === 'missing') return refuse(actorOf(event), 'service', event.params.service);
			return fail(outcome.status === 'stale' ? 409 : 400, { ...outcome, previews: edits.hoursPreviews(outcome.values.hours) });
		}
		redirect(303, `/partner/${event.params.org}/servizi/${service.id}?salvato=${outcome.status === 'saved' ? 1 : 0}`);
	},
	/**
	 * The opening hours as typed, read and shown as a week, without saving anything: the form's
	 * "preview" button without JavaScript, and the live preview while typing with it.
	 */
	preview: async (event) => {
		await requireOrganization(actorOf(event), event.params.org, 'viewer');
		const service = await findService(event);
		const parsed = edits.parseServiceForm(await event.request.formData(), service.locations.map((l) => l.id));
		return { previewed: true, values: parsed.values, previews: edits.hoursPreviews(parsed.values.hours) };
	},

	/** Removes the service from the map and the directory (confirmed on the page first; restorable). */
	remove: async (event) => {
		const user = await requireOrganization(actorOf(event), event.params.org, 'editor');
		const result = await partnerChanges.remove('service', event.params.org, event.params.service, edits.actorOf(user, event.getClientAddress()));
		if (result.status === 'missing') return refuse(actorOf(event), 'service', event.params.service);
		if (result.status === 'blocked') return fail(409, { blocked: result });
		redirect(303, `/partner/${event.params.org}?rimosso=${event.params.service}`);
	},

	/** Gives a removed service back, as it was (reverts its removal); refused while one of its places is removed. */
	restore: async (event) => {
		const user = await requireOrganization(actorOf(event), event.params.org, 'editor');
		const result = await partnerChanges.restore('service', event.params.org, event.params.service, edits.actorOf(user, event.getClientAddress()));
		if (result.status === 'missing') return refuse(actorOf(event), 'service', event.params.service);
		if (result.status !== 'reverted') return fail(409, { revert: result });
		redirect(303, `/partner/${event.params.org}/servizi/${event.params.service}?ripristinato`);
	}
};
