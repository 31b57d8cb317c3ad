import type { RequestHandler } from './$types';
import { handleApi } from '$lib/server/api/http';
import * as matchApi from '$lib/server/api/match';
import { config } from '$lib/server/startup';

export const GET: RequestHandler = ({ url }) =>
	handleApi(async () => {
		const query = matchApi.matchQuery(url.searchParams);
		const body = await matchApi.answer(query, { servedMarginM: config().servedMarginM });
		// A family's place and needs: never kept by a cache, shared or private.
		return new Response(JSON.stringify(body), {
			headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }
		});
	});
