import type { RequestHandler } from './$types';
import { handleApi, publicJson } from '$lib/server/api/http';
import * as hsds from '$lib/server/hsds/api';

/** HSDS 3.1: one public service, fully nested. */
export const GET: RequestHandler = ({ request, url, params }) =>
	// Services' status follows temporary closures: keep caches short, as /api/resources does.
	handleApi(async () => publicJson(request, await hsds.service(params.id, url.searchParams), { maxAge: 60 }), { name: 'HSDS' });
