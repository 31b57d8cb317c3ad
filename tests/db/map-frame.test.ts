import { describe, expect, it } from 'vitest';
import { frameBox, frameSurroundings, frameTolerance, SERVED_BOUNDS } from '../../src/lib/domain/map-frame';
import * as basemap from '../../src/lib/server/db/basemap';
import { sql } from '../../src/lib/server/db/client';

// Issue 14, item 6: the outlines of the map's server-drawn first frame (db/functions/map_frame.sql),
// on both backends: in the frame's coordinates, simplified no more than a pixel, clipped around the view.

/** Every coordinate pair of SVG path data (absolute M/L commands, as ST_AsSVG writes with rel=0). */
function points(path: string): [number, number][] {
	const numbers = path.replace(/[MLZ]/g, ' ').trim().split(/\s+/).map(Number);
	const pairs: [number, number][] = [];
	for (let i = 0; i + 1 < numbers.length; i += 2) pairs.push([numbers[i]!, numbers[i + 1]!]);
	return pairs;
}

function extent(pairs: [number, number][]) {
	const xs = pairs.map((p) => p[0]);
	const ys = pairs.map((p) => p[1]);
	return { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) };
}

describe('the map frame outlines', () => {
	const box = frameBox(SERVED_BOUNDS);

	it('draws Lecco filling the view it is the bounds of, its neighbours and every rione', async () => {
		const outlines = await basemap.frameOutlines(SERVED_BOUNDS, frameTolerance(box));
		const served = outlines.filter((o) => o.layer === 'comune' && o.served);
		expect(served).toHaveLength(1);
		// SERVED_BOUNDS are Lecco's outline bounds: the drawn outline spans the view, to a pixel.
		const lecco = extent(points(served[0]!.path));
		const pixel = frameTolerance(box);
		expect(Math.abs(lecco.minX - box.x)).toBeLessThan(2 * pixel);
		expect(Math.abs(lecco.maxX - (box.x + box.width))).toBeLessThan(2 * pixel);
		expect(Math.abs(lecco.minY - box.y)).toBeLessThan(2 * pixel);
		expect(Math.abs(lecco.maxY - (box.y + box.height))).toBeLessThan(2 * pixel);
		const [count] = await sql<{ rioni: number }[]>`SELECT count(*)::int AS rioni FROM neighbourhood`;
		expect(outlines.filter((o) => o.layer === 'rione').map((o) => o.name)).toHaveLength(count!.rioni);
		expect(outlines.filter((o) => o.layer === 'comune' && !o.served).length).toBeGreaterThan(3);
	});

	it('clips what lies beyond the surroundings of a small view, and simplifies to the given tolerance', async () => {
		// About 600 m around Piazza Cermenati.
		const small: [number, number, number, number] = [9.385, 45.853, 9.392, 45.858];
		const smallBox = frameBox(small);
		const around = frameSurroundings(smallBox).box;
		const outlines = await basemap.frameOutlines(small, frameTolerance(smallBox));
		expect(outlines.length).toBeGreaterThan(0);
		for (const outline of outlines) {
			const e = extent(points(outline.path));
			expect(e.minX).toBeGreaterThanOrEqual(around.x - 1);
			expect(e.maxX).toBeLessThanOrEqual(around.x + around.width + 1);
			expect(e.minY).toBeGreaterThanOrEqual(around.y - 1);
			expect(e.maxY).toBeLessThanOrEqual(around.y + around.height + 1);
		}
		// A coarser tolerance keeps fewer points of the same outline.
		const fine = await basemap.frameOutlines(SERVED_BOUNDS, 1);
		const coarse = await basemap.frameOutlines(SERVED_BOUNDS, 50);
		const count = (list: typeof fine) => list.reduce((sum, o) => sum + points(o.path).length, 0);
		expect(count(coarse)).toBeLessThan(count(fine) / 2);
	});
});
