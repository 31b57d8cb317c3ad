import type { RequestHandler } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { privateJson } from '$lib/server/api/http';
import { jsonBody, updateUser, usersApi } from '$lib/server/auth/admin-users';

/** PATCH /api/admin/users/{id} `{ name?, role?, locale?, disabled?, organizations? }` → 204. */
export const PATCH: RequestHandler = (event) =>
	usersApi(async () => {
		await updateUser({ user: requireUser(event), address: event.getClientAddress() }, event.params.id, await jsonBody(event.request));
		return privateJson(null, 204);
	});
