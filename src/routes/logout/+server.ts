import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { deleteSessionCookie, invalidateSession } from '$lib/server/auth/session';
import * as audit from '$lib/server/db/audit';

/** POST /logout: ends this session (the hook already checked the origin and the session). */
export const POST: RequestHandler = async ({ locals, cookies, url, getClientAddress }) => {
	if (locals.session) await invalidateSession(locals.session.id);
	if (locals.user) await audit.record({ actorId: locals.user.id, actorEmail: locals.user.email, action: 'logout.done', address: getClientAddress() });
	deleteSessionCookie(cookies, url.protocol === 'https:');
	redirect(303, '/');
};
