import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isUuid } from '$lib/domain/ids';
import { requireUser } from '$lib/server/auth/guards';
import * as partner from '$lib/server/db/partner';
import * as partnerChanges from '$lib/server/partner/changes';
import * as edits from '$lib/server/partner/edits';

/** The history of partner edits, newest first, optionally of one organisation. */
export const load: PageServerLoad = async ({ url }) => {
	const org = url.searchParams.get('org') ?? '';
	const organizationId = isUuid(org) ? org : undefined;
	const changes = await partner.changes({ organizationId, limit: 300 });
	const locationIds = changes.flatMap((c) => Object.keys(c.after).filter((k) => k.startsWith(partner.HOURS_PREFIX)).map((k) => k.slice(partner.HOURS_PREFIX.length)));
	return {
		org: organizationId ?? '',
		organizations: await partner.changedOrganizations(),
		changes,
		locationNames: await partner.locationNames([...new Set(locationIds)]),
		reverted: Number(url.searchParams.get('annullata')) || null
	};
};

export const actions: Actions = {
	revert: async (event) => {
		const admin = requireUser(event);
		const form = await event.request.formData();
		const changeId = Number(form.get('change'));
		const org = String(form.get('org') ?? '');
		const result = await partnerChanges.revert(changeId, edits.actorOf(admin, event.getClientAddress()));
		if (result.status !== 'reverted') return fail(result.status === 'missing' ? 404 : 409, { change: changeId, ...result });
		redirect(303, `/admin/modifiche?${new URLSearchParams({ ...(isUuid(org) ? { org } : {}), annullata: String(changeId) })}`);
	}
};
