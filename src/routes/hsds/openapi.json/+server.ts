import type { RequestHandler } from './$types';
import { handleApi, publicJson } from '$lib/server/api/http';
import { openApiDocument } from '$lib/server/hsds/spec';

/** The HSDS 3.1 OpenAPI document, its schema references pointed at this server (hsds/spec.ts). */
export const GET: RequestHandler = ({ request, url }) =>
	handleApi(async () => publicJson(request, openApiDocument(url.origin), { maxAge: 3600 }), { name: 'HSDS' });
