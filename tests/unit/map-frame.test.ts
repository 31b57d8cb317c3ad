import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { frameBox, framePosition, frameSurroundings, mercatorBbox, projectSvg, SERVED_BOUNDS } from '../../src/lib/domain/map-frame';

// Issue 14, item 6: the map's first frame is laid out in Web Mercator, as MapLibre draws. Checked
// against PROJ's own definition of EPSG:3857 (proj4js), not against our formula.
const toMercator = proj4('EPSG:4326', 'EPSG:3857');

describe('the first frame of the map', () => {
	it('projects as EPSG:3857 does, with y downwards as ST_AsSVG writes it', () => {
		for (const [lon, lat] of [
			[9.3935, 45.8564],
			[SERVED_BOUNDS[0], SERVED_BOUNDS[1]],
			[-73.98, 40.75],
			[0, 0],
			[179.9, -60]
		] as [number, number][]) {
			const [x, northing] = toMercator.forward([lon, lat]);
			const [fx, fy] = projectSvg(lon, lat);
			expect(fx).toBeCloseTo(x!, 3);
			expect(fy).toBeCloseTo(-northing!, 3);
		}
	});

	it('places the view\'s corners at 0 % and 100 %, and its centre in Mercator (not in degrees) at 50 %', () => {
		const box = frameBox(SERVED_BOUNDS);
		expect(framePosition(box, SERVED_BOUNDS[0], SERVED_BOUNDS[3])).toEqual({ left: 0, top: 0 });
		expect(framePosition(box, SERVED_BOUNDS[2], SERVED_BOUNDS[1])).toEqual({ left: 100, top: 100 });
		const [cx, cy] = toMercator.inverse([box.x + box.width / 2, -(box.y + box.height / 2)]);
		expect(framePosition(box, cx!, cy!)).toEqual({ left: 50, top: 50 });
		// The midpoint in degrees is not the middle of a Mercator map: the north is stretched.
		const midLat = (SERVED_BOUNDS[1] + SERVED_BOUNDS[3]) / 2;
		expect(framePosition(box, cx!, midLat).top).toBeGreaterThan(50);
	});

	it('draws the surroundings a view\'s larger side beyond it on every side', () => {
		const box = frameBox(SERVED_BOUNDS);
		const around = frameSurroundings(box);
		const margin = Math.max(box.width, box.height);
		expect(around.box).toEqual({ x: box.x - margin, y: box.y - margin, width: box.width + 2 * margin, height: box.height + 2 * margin });
		// The view sits where the percentages say, inside the larger image.
		expect(around.left + (around.width * (margin / around.box.width))).toBeCloseTo(0, 9);
		expect(around.top + (around.height * (margin / around.box.height))).toBeCloseTo(0, 9);
	});

	it('keeps a view of the whole world inside what Mercator can draw', () => {
		const clamped = mercatorBbox([-180, -90, 180, 90]);
		expect(clamped[1]).toBeGreaterThan(-86);
		expect(clamped[3]).toBeLessThan(86);
		const box = frameBox([-180, -90, 180, 90]);
		expect(Number.isFinite(box.height)).toBe(true);
		// Square, as a whole-world Mercator map is.
		expect(box.width / box.height).toBeCloseTo(1, 4);
	});
});
