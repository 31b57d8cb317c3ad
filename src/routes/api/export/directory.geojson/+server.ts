import type { RequestHandler } from './$types';
import { handleApi, publicBody } from '$lib/server/api/http';
import { includeDemo } from '$lib/server/hsds/api';
import { directoryGeoJson } from '$lib/server/hsds/export';

/** Every public resource as one GeoJSON FeatureCollection, with the sources' attribution (a download). */
export const GET: RequestHandler = ({ request, url }) =>
	handleApi(
		async () =>
			publicBody(request, JSON.stringify(await directoryGeoJson({ excludeDemo: !includeDemo(url.searchParams) })), {
				contentType: 'application/geo+json; charset=utf-8',
				filename: 'atlante-lecco.geojson',
				maxAge: 300
			}),
		{ name: 'GeoJSON export' }
	);
