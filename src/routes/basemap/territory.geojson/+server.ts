import type { RequestHandler } from './$types';
import { handleApi, publicJson } from '$lib/server/api/http';
import * as territory from '$lib/server/db/territory';

/** Streets, paths, shoreline and landmarks imported from OpenStreetMap (`npm run import:osm`); empty before an import. */
export const GET: RequestHandler = ({ request }) =>
	handleApi(async () =>
		publicJson(request, await territory.features(), {
			contentType: 'application/geo+json; charset=utf-8',
			// Changes only with a new import.
			maxAge: 3600
		})
	);
