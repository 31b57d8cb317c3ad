import type { RequestHandler } from './$types';
import { handleApi, publicJson } from '$lib/server/api/http';
import * as publicApi from '$lib/server/api/public';

export const GET: RequestHandler = ({ params, request }) =>
	handleApi(async () =>
		publicJson(request, await publicApi.resourceDetail(params.id), {
			contentType: 'application/geo+json; charset=utf-8',
			maxAge: 60
		})
	);
