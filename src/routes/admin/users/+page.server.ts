import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isUuid } from '$lib/domain/ids';
import { requireUser } from '$lib/server/auth/guards';
import { invalidateUserSessions } from '$lib/server/auth/session';
import * as accounts from '$lib/server/db/accounts';
import * as audit from '$lib/server/db/audit';

export const load: PageServerLoad = async () => ({ users: await accounts.list() });

export const actions: Actions = {
	/** Ends every session of a user at once (a lost phone, a person leaving). */
	revoke: async (event) => {
		const admin = requireUser(event);
		const userId = String((await event.request.formData()).get('user') ?? '');
		const target = isUuid(userId) ? await accounts.get(userId) : null;
		if (!target) return fail(404, { problem: 'unknown user' });
		const count = await invalidateUserSessions(target.id);
		await audit.record({
			actorId: admin.id,
			actorEmail: admin.email,
			action: 'session.revoked',
			subjectType: 'user',
			subjectId: target.id,
			address: event.getClientAddress(),
			detail: { count }
		});
		return { revoked: { email: target.email, count } };
	}
};
