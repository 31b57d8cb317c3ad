import type { RequestHandler } from './$types';
import { handleApi, publicJson } from '$lib/server/api/http';
import * as basemap from '$lib/server/db/basemap';

/** Comuni and rione label points for the schematic basemap (see AtlasMap). */
export const GET: RequestHandler = ({ request }) =>
	handleApi(async () =>
		publicJson(request, await basemap.areas(), {
			contentType: 'application/geo+json; charset=utf-8',
			// Boundaries change only when an administrator redraws the rioni.
			maxAge: 300
		})
	);
