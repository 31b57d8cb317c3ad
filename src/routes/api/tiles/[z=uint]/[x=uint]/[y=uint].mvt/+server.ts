import type { RequestHandler } from './$types';
import { handleApi, publicBody } from '$lib/server/api/http';
import * as publicApi from '$lib/server/api/public';
import { resourceTile } from '$lib/server/tiles';

export const GET: RequestHandler = ({ params, url, request }) =>
	handleApi(async () =>
		publicBody(request, await resourceTile(publicApi.tileQuery(params, url.searchParams)), {
			contentType: 'application/vnd.mapbox-vector-tile',
			// Tiles hold no "open now": they change only when the directory does.
			maxAge: 300
		})
	);
