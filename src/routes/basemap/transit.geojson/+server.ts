import type { RequestHandler } from './$types';
import { handleApi, publicJson } from '$lib/server/api/http';
import * as transit from '$lib/server/db/transit';

/** Bus stops and railway stations (name, kind, rione) as a public map layer. */
export const GET: RequestHandler = ({ request }) =>
	handleApi(async () =>
		publicJson(request, await transit.transitLayer(), {
			contentType: 'application/geo+json; charset=utf-8',
			// Stops change with a new timetable feed, their rione when the rioni are redrawn.
			maxAge: 300
		})
	);
