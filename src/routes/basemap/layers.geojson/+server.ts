import type { RequestHandler } from './$types';
import { handleApi, publicJson } from '$lib/server/api/http';
import { config } from '$lib/server/startup';
import * as basemap from '$lib/server/db/basemap';

/** The whole schematic basemap but the transit stops, as one collection: the map's one basemap source (see basemap.mapLayers). */
export const GET: RequestHandler = ({ request }) =>
	handleApi(async () =>
		publicJson(request, await basemap.mapLayers(config().dbAssetsDir), {
			contentType: 'application/geo+json; charset=utf-8',
			// As its shortest-lived part, the areas: they change when an administrator redraws the rioni.
			maxAge: 300
		})
	);
