import type { RequestHandler } from './$types';
import { errorResponse } from '$lib/server/api/http';
import { NOT_FOUND, REFERRAL_NOT_FOUND } from '$lib/server/plans/plans';

// Record paths take a UUID (src/params/uuid.ts): any other segment matches no route and lands
// here, and is answered as the record route answers a missing record.
const RESOURCE_PATH = /^\/api\/resources\/([^/]+)\/?$/;
const PRIVATE_PATH = /^\/api\/(plans|referrals)\/[^/]+(\/|$)/;
const PRIVATE_MISSING = { plans: NOT_FOUND, referrals: REFERRAL_NOT_FOUND };

// Unknown API paths answer in the API's own error format rather than with an HTML page.
export const fallback: RequestHandler = ({ url }) => {
	const resource = RESOURCE_PATH.exec(url.pathname);
	if (resource) return errorResponse(404, `No public resource has the id "${decodeSafely(resource[1] ?? '').slice(0, 64)}".`);
	const record = PRIVATE_PATH.exec(url.pathname);
	if (record) return errorResponse(404, PRIVATE_MISSING[record[1] as 'plans' | 'referrals']);
	return errorResponse(404, `There is no API endpoint at ${url.pathname}. See the README for the list of endpoints.`);
};

function decodeSafely(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}
