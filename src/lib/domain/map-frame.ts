import type { Bbox } from './resource';

/**
 * The map's first frame, drawn by the server as SVG (`MapFrame.svelte`, `db/functions/map_frame.sql`)
 * so that the public map shows at once, and without JavaScript, before MapLibre is ready.
 *
 * Everything is in Web Mercator (EPSG:3857) metres with y growing downwards, as `ST_AsSVG` writes
 * it: the frame's viewBox is the view's projected bounds, and an SVG laid out with
 * `preserveAspectRatio="xMidYMid meet"` fits them exactly as MapLibre's `fitBounds` does (the
 * largest zoom at which the bounds fit, centred). Pure functions, shared by the server and browser.
 */

/** Lecco's ISTAT outline bounds [W, S, E, N], the default view before any data arrives. */
export const SERVED_BOUNDS: Bbox = [9.3657, 45.8124, 9.4849, 45.9061];

const EARTH_RADIUS = 6378137;
/** Web Mercator's latitude limit: the poles are infinitely far. */
const MAX_LATITUDE = 85.0511;

/** A view kept inside what Web Mercator can draw. */
export function mercatorBbox([west, south, east, north]: Bbox): Bbox {
	const clamp = (lat: number) => Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat));
	return [west, clamp(south), east, clamp(north)];
}

/** A lon/lat point in EPSG:3857 metres, y down (minus the northing), as ST_AsSVG writes it. */
export function projectSvg(lon: number, lat: number): [number, number] {
	const x = (EARTH_RADIUS * lon * Math.PI) / 180;
	const northing = EARTH_RADIUS * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
	return [x, -northing];
}

export interface FrameBox {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** The projected box of a view [W, S, E, N]: the frame's viewBox. */
export function frameBox(bbox: Bbox): FrameBox {
	const [west, south, east, north] = mercatorBbox(bbox);
	const [x0, y0] = projectSvg(west, north);
	const [x1, y1] = projectSvg(east, south);
	return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** A viewBox attribute, rounded to the metre (the paths are too). */
export function viewBoxAttribute(box: FrameBox): string {
	return [box.x, box.y, box.width, box.height].map((v) => Math.round(v)).join(' ');
}

/**
 * The outlines are drawn around the view too, a margin of the view's larger side on every side
 * (as `map_frame` selects them): a screen of another shape than the view shows more than the view.
 * This is that larger box, and where it lies relative to the view, in percentages of the view.
 */
export function frameSurroundings(box: FrameBox): { box: FrameBox; left: number; top: number; width: number; height: number } {
	const margin = Math.max(box.width, box.height);
	const around = { x: box.x - margin, y: box.y - margin, width: box.width + 2 * margin, height: box.height + 2 * margin };
	return {
		box: around,
		left: (-margin / box.width) * 100,
		top: (-margin / box.height) * 100,
		width: (around.width / box.width) * 100,
		height: (around.height / box.height) * 100
	};
}

/**
 * Where a point falls in the frame, as percentages of its width and height (0–100 inside the view,
 * beyond it outside): a pin drawn at a fixed size in pixels, wherever the frame is laid out.
 */
export function framePosition(box: FrameBox, lon: number, lat: number): { left: number; top: number } {
	const [x, y] = projectSvg(lon, lat);
	const round = (value: number) => Math.round(value * 100) / 100;
	return { left: round(((x - box.x) / box.width) * 100), top: round(((y - box.y) / box.height) * 100) };
}

/**
 * How far the outlines may be simplified: what one pixel covers when the view is drawn this many
 * pixels wide (a wide desktop map), so no simplification can be seen.
 */
export function frameTolerance(box: FrameBox, widthPixels = 1600): number {
	return Math.max(box.width, box.height) / widthPixels;
}

/** One outline of the frame (a comune's area, or a rione's boundary line). */
export interface FramePath {
	layer: 'comune' | 'rione';
	name: string;
	served: boolean;
	/** SVG path data in the frame's coordinates. */
	path: string;
}

/** The address of the frame's outlines (an SVG image the server draws), for a view or the default one. */
export function frameOutlinesUrl(bbox: Bbox | null): string {
	return bbox ? `/basemap/frame.svg?bbox=${bbox.join(',')}` : '/basemap/frame.svg';
}
