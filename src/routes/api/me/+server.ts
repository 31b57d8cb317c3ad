import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import * as accounts from '$lib/server/db/accounts';

/** GET /api/me: who is signed in (401 otherwise, from the hook). */
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	return json({ email: user.email, role: user.role, organizations: await accounts.memberships(user.id) });
};
