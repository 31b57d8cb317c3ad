import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { homeOf } from '$lib/domain/accounts';
import { checkLink, useLink } from '$lib/server/auth/account-links';
import { setSessionCookie } from '$lib/server/auth/session';

/**
 * Setting a password from a single-use link (an invitation or a reset). Opening the page does not
 * use the link (mail scanners open links too); sending the form does, once.
 */
export const load: PageServerLoad = async ({ params }) => {
	const link = await checkLink(params.token);
	return { link };
};

export const actions: Actions = {
	default: async ({ params, request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const password = String(form.get('password') ?? '').slice(0, 1024);
		const confirm = String(form.get('confirm') ?? '').slice(0, 1024);
		const result = await useLink(params.token, password, confirm, getClientAddress());
		if (!result.ok) return fail(result.field === 'link' ? 404 : 400, { field: result.field, problem: result.problem });
		setSessionCookie(cookies, result.token, result.session, url.protocol === 'https:');
		redirect(303, homeOf(result.user.role));
	}
};
