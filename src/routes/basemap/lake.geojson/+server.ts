import type { RequestHandler } from './$types';
import { handleApi, publicJson } from '$lib/server/api/http';
import { config } from '$lib/server/startup';
import * as basemap from '$lib/server/db/basemap';

/** The Natural Earth lake and river for the schematic basemap (drawn only at low zoom). */
export const GET: RequestHandler = ({ request }) =>
	handleApi(async () =>
		publicJson(request, await basemap.lake(config().dbAssetsDir), {
			contentType: 'application/geo+json; charset=utf-8',
			// A file shipped with the app: it changes only with a new release (the ETag covers that).
			maxAge: 86_400
		})
	);
