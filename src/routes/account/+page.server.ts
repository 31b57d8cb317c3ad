import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { checkNewPassword, hashPassword, verifyPassword } from '$lib/server/auth/password';
import { createSession, setSessionCookie } from '$lib/server/auth/session';
import * as accounts from '$lib/server/db/accounts';
import * as audit from '$lib/server/db/audit';
import * as notices from '$lib/server/mail/notices';
import { mailEnabled } from '$lib/server/mail/outbox';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	return {
		user: { email: user.email, role: user.role },
		organizations: await accounts.memberships(user.id),
		notices: { offered: notices.NOTICES_BY_ROLE[user.role] ?? [], muted: await notices.mutedNotices(user.id), mail: mailEnabled() }
	};
};

export const actions: Actions = {
	/** Which email notices this person wants: the unticked kinds (of those offered to the role) are muted. */
	notices: async (event) => {
		const user = requireUser(event);
		const wanted = new Set((await event.request.formData()).getAll('wanted').map(String));
		await notices.setWantedNotices({ user, address: event.getClientAddress() }, wanted);
		return { noticesSaved: true };
	},
	password: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const current = String(form.get('current') ?? '');
		const next = String(form.get('new') ?? '');
		const confirm = String(form.get('confirm') ?? '');
		const stored = await accounts.get(user.id);
		if (!stored?.password_hash || !(await verifyPassword(stored.password_hash, current))) {
			await audit.record({ actorId: user.id, actorEmail: user.email, action: 'password.change_refused', address: event.getClientAddress() });
			return fail(400, { problem: 'wrongCurrent' });
		}
		if (next !== confirm) return fail(400, { problem: 'mismatch' });
		const problem = checkNewPassword(next, user.email);
		if (problem) return fail(400, { problem });
		// Every session ends, this one included; this browser then gets a fresh one.
		await accounts.setPassword(user.id, await hashPassword(next));
		await audit.record({ actorId: user.id, actorEmail: user.email, action: 'password.changed', address: event.getClientAddress() });
		const { token, session } = await createSession(user.id);
		setSessionCookie(event.cookies, token, session, event.url.protocol === 'https:');
		return { changed: true };
	}
};
