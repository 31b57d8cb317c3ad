import type { RequestHandler } from './$types';
import { GAZETTEER_FORMAT, type GazetteerDocument } from '$lib/domain/place-search';
import { handleApi, publicJson } from '$lib/server/api/http';
import * as gazetteer from '$lib/server/db/gazetteer';

// The public gazetteer the service worker keeps for the offline place search: every name
// /api/places can return but ANNCSU's house numbers, with its point and searchable key.
export const GET: RequestHandler = ({ request }) =>
	handleApi(async () => {
		const document: GazetteerDocument = { format: GAZETTEER_FORMAT, places: await gazetteer.entries() };
		return publicJson(request, document, { maxAge: 300 });
	});
