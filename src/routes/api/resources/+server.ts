import type { RequestHandler } from './$types';
import { handleApi, publicJson } from '$lib/server/api/http';
import * as publicApi from '$lib/server/api/public';

export const GET: RequestHandler = ({ url, request }) =>
	handleApi(async () =>
		publicJson(request, await publicApi.resourceCollection(url.searchParams), {
			contentType: 'application/geo+json; charset=utf-8',
			// "open_now" changes with the clock: keep caches short.
			maxAge: 60
		})
	);
