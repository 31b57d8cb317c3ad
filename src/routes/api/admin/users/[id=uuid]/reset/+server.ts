import type { RequestHandler } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { privateJson } from '$lib/server/api/http';
import { resetByAdmin, usersApi } from '$lib/server/auth/admin-users';

/** POST /api/admin/users/{id}/reset → `{ reset_url, emailed }`: a single-use link valid 7 days. */
export const POST: RequestHandler = (event) =>
	usersApi(async () =>
		privateJson(await resetByAdmin({ user: requireUser(event), address: event.getClientAddress() }, event.params.id))
	);
