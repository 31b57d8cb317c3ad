import type { RequestHandler } from './$types';
import { SERVED_BOUNDS } from '$lib/domain/map-frame';
import type { Bbox } from '$lib/domain/resource';
import { handleApi, publicBody } from '$lib/server/api/http';
import * as params from '$lib/server/api/params';
import { outlinesSvg } from '$lib/server/map-frame';

/** The outlines of the map's server-drawn first frame, for `?bbox=` or the served city (see MapFrame). */
export const GET: RequestHandler = ({ request, url }) =>
	handleApi(async () => {
		const box = params.bbox(url.searchParams, 'bbox');
		const bbox: Bbox = box ? [box.west, box.south, box.east, box.north] : SERVED_BOUNDS;
		return publicBody(request, await outlinesSvg(bbox), {
			contentType: 'image/svg+xml; charset=utf-8',
			// Boundaries change only when an administrator redraws the rioni.
			maxAge: 300
		});
	});
