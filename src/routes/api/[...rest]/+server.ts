import type { RequestHandler } from './$types';
import { errorResponse } from '$lib/server/api/http';

// Unknown API paths answer in the API's own error format rather than with an HTML page.
export const fallback: RequestHandler = ({ url }) =>
	errorResponse(404, `There is no API endpoint at ${url.pathname}. See the README for the list of endpoints.`);
