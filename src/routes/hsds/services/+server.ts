import type { RequestHandler } from './$types';
import { handleApi, publicJson } from '$lib/server/api/http';
import * as hsds from '$lib/server/hsds/api';

/** HSDS 3.1: a page of public services (one-to-one fields). */
export const GET: RequestHandler = ({ request, url }) =>
	// Services' status follows temporary closures: keep caches short, as /api/resources does.
	handleApi(async () => publicJson(request, await hsds.servicePage(url.searchParams), { maxAge: 60 }), { name: 'HSDS' });
