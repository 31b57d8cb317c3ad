import { COLOURS } from '$lib/components/map/colours';
import { frameBox, frameSurroundings, frameTolerance, viewBoxAttribute } from '$lib/domain/map-frame';
import type { Bbox } from '$lib/domain/resource';
import * as basemap from './db/basemap';

/**
 * The outlines of the map's first frame as an SVG document: the comuni (Lecco filled and outlined,
 * its neighbours greyed) and the rioni's dashed boundaries, in the basemap's colours. An image of its
 * own rather than markup in the page: the same for every visitor to a view, so browsers and the
 * offline service worker keep it, and the page's HTML (and its hydration data) stays light. Strokes
 * do not scale, so they are as thick as the live map's at any size the image is drawn.
 */
export async function outlinesSvg(bbox: Bbox): Promise<string> {
	const box = frameBox(bbox);
	const outlines = await basemap.frameOutlines(bbox, frameTolerance(box));
	const paths = outlines.map((outline) => {
		// ST_AsSVG writes numbers, spaces and path commands only: nothing to escape, checked anyway.
		const d = outline.path.replace(/[^0-9MLZmlz .-]/g, '');
		if (outline.layer === 'rione') {
			return `<path d="${d}" fill="none" stroke="${COLOURS.rioneLine}" stroke-width="1" stroke-dasharray="3 2" vector-effect="non-scaling-stroke"/>`;
		}
		const [fill, stroke, width] = outline.served ? [COLOURS.served, COLOURS.servedLine, 2.5] : [COLOURS.neighbour, COLOURS.neighbourLine, 0.8];
		return `<path d="${d}" fill="${fill}" stroke="${stroke}" stroke-width="${width}" stroke-linejoin="round" vector-effect="non-scaling-stroke"/>`;
	});
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${viewBoxAttribute(frameSurroundings(box).box)}" preserveAspectRatio="none">${paths.join('')}</svg>`;
}
