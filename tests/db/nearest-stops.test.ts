import { describe, expect, it } from 'vitest';
import * as resources from '../../src/lib/server/db/resources';
import * as transit from '../../src/lib/server/db/transit';

// Issue 14, "Come arrivare": the nearest bus stops and stations of a public place, by one
// nearest-neighbour query on both backends, never for a confidential place.

/** Great-circle distance in metres (within 0.5 % of PostGIS's spheroid here). */
function haversine(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
	const rad = Math.PI / 180;
	const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
	return 2 * 6_371_008 * Math.asin(Math.sqrt(h));
}

describe('nearest stops of public places', () => {
	it('finds the nearest stops of each place, nearest first, as a scan of every stop does', async () => {
		const all = await resources.list({ limit: 5000 });
		const placed = all.filter((r) => !r.approximate);
		// A spread of places: every 10th, so the city centre, the rioni and the edges all count.
		const sample = placed.filter((_, i) => i % 10 === 0);
		const stops = await transit.transitStops();
		const found = await transit.nearestStops(
			sample.map((r) => r.id),
			3,
			1000
		);
		let withStops = 0;
		for (const place of sample) {
			const expected = stops
				.map((s) => ({ id: s.id, distance: haversine(place, s) }))
				.filter((s) => s.distance <= 1000)
				.sort((a, b) => a.distance - b.distance)
				.slice(0, 3);
			const got = found.get(place.id) ?? [];
			// A stop right at the 1 km edge may fall either side between sphere and spheroid.
			if (expected.length === 0 || expected.at(-1)!.distance < 990) expect(got.length, place.name).toBe(Math.min(3, expected.length));
			if (got.length > 0) withStops++;
			for (const [i, stop] of got.entries()) {
				expect(stop.resourceId).toBe(place.id);
				expect(stop.distanceM).toBeLessThanOrEqual(1000);
				if (i > 0) expect(stop.distanceM).toBeGreaterThanOrEqual(got[i - 1]!.distanceM);
				expect(Math.abs(stop.distanceM - haversine(place, stops.find((s) => s.id === stop.id)!))).toBeLessThan(5);
				// The same stop as the scan, unless two are within a few metres of each other.
				const twin = expected[i]!;
				if (twin.id !== stop.id) expect(Math.abs(twin.distance - stop.distanceM), place.name).toBeLessThan(5);
			}
		}
		// Lecco's places are mostly within a kilometre of a bus stop.
		expect(withStops).toBeGreaterThan(sample.length / 2);
	});

	it('near San Nicolò, in the centre, the nearest stop is a few minutes away on foot', async () => {
		const [parish] = await resources.list({ near: { lon: 9.38878, lat: 45.85585, radius: 5000 }, categories: ['parish'], limit: 1 });
		const [nearest] = (await transit.nearestStops([parish!.id], 1, 1000)).get(parish!.id) ?? [];
		expect(nearest).toBeDefined();
		expect(nearest!.distanceM).toBeLessThan(400);
		expect(['bus', 'rail']).toContain(nearest!.kind);
	});

	it('gives no stops for a confidential place, whose point is only its rione', async () => {
		const confidential = (await resources.list({ limit: 5000 })).filter((r) => r.approximate);
		expect(confidential.length).toBeGreaterThan(0);
		const found = await transit.nearestStops(
			confidential.map((r) => r.id),
			3,
			50_000
		);
		expect(found.size).toBe(0);
	});

	it('answers nothing for no ids, unknown ids or no stops asked for', async () => {
		expect((await transit.nearestStops([], 3, 1000)).size).toBe(0);
		expect((await transit.nearestStops(['00000000-0000-0000-0000-000000000000'], 3, 1000)).size).toBe(0);
		const [first] = (await resources.list({ limit: 200 })).filter((r) => !r.approximate);
		expect((await transit.nearestStops([first!.id], 0, 1000)).size).toBe(0);
		expect((await transit.nearestStops([first!.id], 2, 1)).get(first!.id) ?? []).toHaveLength(0);
	});
});
