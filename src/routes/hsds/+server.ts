import type { RequestHandler } from './$types';
import { handleApi, publicJson } from '$lib/server/api/http';
import * as hsds from '$lib/server/hsds/api';

// Answered at /hsds/ as the HSDS OpenAPI document writes it (`GET /` of the API), and at /hsds.
export const trailingSlash = 'ignore';

/** HSDS 3.1: what this API is (version, profile, OpenAPI document). */
export const GET: RequestHandler = ({ request, url }) =>
	handleApi(async () => publicJson(request, hsds.meta(url.origin), { maxAge: 3600 }), { name: 'HSDS' });
