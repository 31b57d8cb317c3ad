import type { RequestHandler } from './$types';
import { handleApi, publicJson } from '$lib/server/api/http';
import * as params from '$lib/server/api/params';
import * as gazetteer from '$lib/server/db/gazetteer';

// Place search for the atlas's search box. The text is never logged or stored.
export const GET: RequestHandler = ({ url, request }) =>
	handleApi(async () => {
		const q = params.text(url.searchParams, 'q', 100) ?? '';
		const limit = params.integer(url.searchParams, 'limit', { min: 1, max: 20, fallback: 8 });
		// Opt-in: streets recognised by name with no known position (lon and lat null), so a client
		// that expects a point in every result keeps getting one.
		const includeUnplaced = params.boolean(url.searchParams, 'include_unplaced') ?? false;
		return publicJson(request, await gazetteer.searchAll(q, limit, includeUnplaced), { maxAge: 300 });
	});
