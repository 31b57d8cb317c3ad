import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { forgotPassword } from '$lib/server/auth/admin-users';
import { mailEnabled } from '$lib/server/mail/outbox';

/**
 * "Password dimenticata": a reset link by email. The answer is the same whether the address has an
 * account or not; without mail configured the page says to ask an administrator.
 */
export const load: PageServerLoad = () => ({ mail: mailEnabled() });

export const actions: Actions = {
	default: async ({ request, getClientAddress }) => {
		const email = String((await request.formData()).get('email') ?? '').slice(0, 254);
		if (!email.trim()) return fail(400, { problem: 'required' as const });
		await forgotPassword(email, getClientAddress());
		return { sent: true };
	}
};
