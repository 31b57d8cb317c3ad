import type { RequestHandler } from './$types';
import { handleApi, publicJson } from '$lib/server/api/http';
import * as publicApi from '$lib/server/api/public';

export const GET: RequestHandler = ({ request }) =>
	handleApi(async () => publicJson(request, publicApi.categoryList(), { maxAge: 3600 }));
