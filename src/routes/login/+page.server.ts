import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { homeOf } from '$lib/domain/accounts';
import type { Role } from '$lib/server/db/accounts';
import { login } from '$lib/server/auth/login';
import { safeNext } from '$lib/server/auth/origin';
import { setSessionCookie } from '$lib/server/auth/session';

/** Back to where the person was going, on this site only (never an open redirect); else their role's home. */
const nextOf = (url: URL, role: Role) => safeNext(url.searchParams.get('next'), url.origin, homeOf(role));

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, nextOf(url, locals.user.role));
	// Sent here by the application form (/aderisci): the same words whether the email was new or not.
	return { applicationSent: url.searchParams.get('domanda') === 'inviata' };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '').slice(0, 254);
		const password = String(form.get('password') ?? '');
		if (!email.trim() || !password) return fail(400, { email, problem: 'missing' as const });
		const result = await login(email, password.slice(0, 1024), getClientAddress());
		if (!result.ok) {
			if (result.reason === 'throttled') return fail(429, { email, problem: 'throttled' as const, retryAfter: result.retryAfterSeconds });
			return fail(400, { email, problem: 'invalid' as const });
		}
		setSessionCookie(cookies, result.token, result.session, url.protocol === 'https:');
		redirect(303, nextOf(url, result.user.role));
	}
};
