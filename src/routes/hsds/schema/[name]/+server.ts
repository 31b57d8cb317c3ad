import type { RequestHandler } from './$types';
import { errorResponse, handleApi, publicJson } from '$lib/server/api/http';
import { SCHEMAS } from '$lib/server/hsds/spec';

/** One of the pinned HSDS 3.1 JSON Schemas (`service.json`), as the OpenAPI document refers to them. */
export const GET: RequestHandler = ({ request, params }) =>
	handleApi(async () => {
		const schema = SCHEMAS.get(params.name);
		if (!schema) return errorResponse(404, `No HSDS schema is named "${params.name.slice(0, 60)}". The schemas are ${[...SCHEMAS.keys()].join(', ')}.`);
		return publicJson(request, schema, { contentType: 'application/schema+json', maxAge: 3600 });
	}, { name: 'HSDS' });
