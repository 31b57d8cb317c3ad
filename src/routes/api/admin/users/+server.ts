import type { RequestHandler } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { privateJson } from '$lib/server/api/http';
import { invite, jsonBody, usersApi } from '$lib/server/auth/admin-users';

/**
 * POST /api/admin/users `{ email, name, role, locale?, organizations: [{ id, role }] }` → 201
 * `{ id, invitation_url, emailed }` (administrators only: the route table answers others).
 */
export const POST: RequestHandler = (event) =>
	usersApi(async () => {
		const actor = { user: requireUser(event), address: event.getClientAddress() };
		return privateJson(await invite(actor, await jsonBody(event.request)), 201);
	});
