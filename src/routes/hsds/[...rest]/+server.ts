import type { RequestHandler } from './$types';
import { errorResponse } from '$lib/server/api/http';

const RECORD_PATH = /^\/hsds\/(services|organizations)\/([^/]+)\/?$/;

// Unknown HSDS paths, and record paths whose id is no UUID (src/params/uuid.ts), answer in the
// API's error format rather than with an HTML page.
export const fallback: RequestHandler = ({ url }) => {
	const record = RECORD_PATH.exec(url.pathname);
	if (record) return errorResponse(404, `No public ${record[1] === 'services' ? 'service' : 'organization'} has the id "${(record[2] ?? '').slice(0, 64)}".`);
	return errorResponse(404, `There is no HSDS endpoint at ${url.pathname.slice(0, 200)}. See ${url.origin}/hsds/openapi.json.`);
};
