import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import * as partner from '$lib/server/db/partner';

/** A partner's organisations; an administrator searches among all of them. */
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	if (user.role === 'admin') {
		const q = event.url.searchParams.get('q')?.trim().slice(0, 100) ?? '';
		return { admin: true, q, organizations: q ? await partner.searchOrganizations(user.id, q) : [] };
	}
	return { admin: false, q: '', organizations: await partner.organizationsOf(user.id) };
};
