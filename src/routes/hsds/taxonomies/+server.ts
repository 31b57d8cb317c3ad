import type { RequestHandler } from './$types';
import { handleApi, publicJson } from '$lib/server/api/http';
import * as hsds from '$lib/server/hsds/api';

/** HSDS 3.1: the atlas's taxonomies (categories, needs, audiences). */
export const GET: RequestHandler = ({ request, url }) =>
	// The taxonomies change only with a new version of the app.
	handleApi(async () => publicJson(request, hsds.taxonomyPage(url.searchParams), { maxAge: 3600 }), { name: 'HSDS' });
