import { describe, expect, it } from 'vitest';
import { isOpenAt } from '../../src/lib/domain/opening-hours';
import { sql } from '../../src/lib/server/db/client';
import * as resources from '../../src/lib/server/db/resources';
import { nextInRome } from '../setup/clock';

const PIAZZA_CERMENATI = { lon: 9.38878, lat: 45.85585 };

/** Great-circle distance in metres (the sphere PostGIS geography approximates closely enough here). */
function haversine(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
	const rad = Math.PI / 180;
	const dLat = (b.lat - a.lat) * rad;
	const dLon = (b.lon - a.lon) * rad;
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
	return 2 * 6_371_008 * Math.asin(Math.sqrt(h));
}

describe('public resources on the real Lecco data', () => {
	it('near Piazza Cermenati the nearest parish is San Nicolò, with its distance', async () => {
		const [nearest] = await resources.list({ near: { ...PIAZZA_CERMENATI, radius: 5000 }, categories: ['parish'], limit: 5 });
		expect(nearest).toBeDefined();
		expect(nearest!.name).toMatch(/Nicol[oò]/);
		expect(nearest!.demo).toBe(false);
		// About 94 m north of the square; geography distances agree with a haversine within 0.5 %.
		expect(nearest!.distance_m).toBeGreaterThan(80);
		expect(nearest!.distance_m).toBeLessThan(110);
		expect(Math.abs(nearest!.distance_m! - haversine(PIAZZA_CERMENATI, nearest!))).toBeLessThan(1);
	});

	it('has all 44 schools of the city, each in a rione', async () => {
		const schools = await resources.list({ categories: ['school'], limit: 5000 });
		const realInLecco = schools.filter((s) => !s.demo && s.neighbourhood !== null);
		expect(realInLecco).toHaveLength(44);
		// And the ones just outside the city are kept for walking distances across the border.
		expect(schools.filter((s) => !s.demo && s.neighbourhood === null).length).toBeGreaterThan(20);
	});

	it('sorts by distance when near is given, and keeps to the radius', async () => {
		const list = await resources.list({ near: { ...PIAZZA_CERMENATI, radius: 1500 }, limit: 5000 });
		expect(list.length).toBeGreaterThan(20);
		const distances = list.map((r) => r.distance_m!);
		expect(distances).toEqual([...distances].sort((a, b) => a - b));
		expect(Math.max(...distances)).toBeLessThanOrEqual(1500);
		for (const r of list) expect(Math.abs(r.distance_m! - haversine(PIAZZA_CERMENATI, r))).toBeLessThan(Math.max(2, r.distance_m! * 0.005));
	});

	it('filters by need, audience, category and bounding box', async () => {
		const food = await resources.list({ needs: ['food'], limit: 5000 });
		expect(food.length).toBeGreaterThan(0);
		for (const r of food) expect(r.needs).toContain('food');
		const elderlyCustodia = await resources.list({ categories: ['custodia'], audiences: ['elderly'], limit: 5000 });
		expect(elderlyCustodia.length).toBeGreaterThan(0);
		for (const r of elderlyCustodia) {
			expect(r.category).toBe('custodia');
			expect(r.audiences).toContain('elderly');
		}
		const box = { west: 9.385, south: 45.85, east: 9.395, north: 45.86 };
		const inBox = await resources.list({ bbox: box, limit: 5000 });
		expect(inBox.length).toBeGreaterThan(0);
		for (const r of inBox) {
			expect(r.lon).toBeGreaterThanOrEqual(box.west);
			expect(r.lon).toBeLessThanOrEqual(box.east);
			expect(r.lat).toBeGreaterThanOrEqual(box.south);
			expect(r.lat).toBeLessThanOrEqual(box.north);
		}
	});

	it('finds text regardless of accents and case', async () => {
		const plain = await resources.list({ q: 'NICOLO', limit: 50 });
		expect(plain.some((r) => /Nicol[oò]/.test(r.name))).toBe(true);
		// LIKE wildcards in the text are matched literally, not as wildcards.
		expect(await resources.list({ q: '%', limit: 50 })).toEqual([]);
		expect(await resources.list({ q: '_', limit: 50 })).toEqual([]);
	});

	it('says open_now exactly as the opening_hours library does, and filters on it', async () => {
		// The next Thursday, 10:00 and 16:00 in Rome: always within the expanded horizon (8 days).
		const morning = nextInRome(4, 10, 0);
		for (const at of [morning, nextInRome(4, 16, 0, morning)]) {
			const all = await resources.list({ limit: 5000, at });
			const rows = await sql<{ id: string; expression: string | null }[]>`
				SELECT sal.id::text, oh.expression FROM service_at_location sal
				LEFT JOIN schedule s ON s.service_at_location_id = sal.id
				LEFT JOIN opening_hours oh ON oh.id = s.opening_hours_id`;
			const expressions = new Map(rows.map((r) => [r.id, r.expression]));
			let known = 0;
			for (const r of all) {
				const expression = expressions.get(r.id);
				if (!expression) {
					expect(r.open_now).toBeNull();
					continue;
				}
				known++;
				expect(r.open_now, `${r.name}: ${expression}`).toBe(isOpenAt(expression, at));
			}
			expect(known).toBeGreaterThan(20);
			const open = await resources.list({ limit: 5000, at, openNow: true });
			expect(open.map((r) => r.id).sort()).toEqual(all.filter((r) => r.open_now).map((r) => r.id).sort());
		}
	});

	it('shows a confidential location only as its rione, never its true point', async () => {
		const confidential = await sql<{ id: string; true_lon: number; true_lat: number; label_lon: number; label_lat: number }[]>`
			SELECT sal.id::text, ST_X(l.geom) AS true_lon, ST_Y(l.geom) AS true_lat,
				ST_X(n.label_point) AS label_lon, ST_Y(n.label_point) AS label_lat
			FROM location l JOIN service_at_location sal ON sal.location_id = l.id
			JOIN neighbourhood n ON n.id = l.neighbourhood_id
			WHERE l.confidential`;
		expect(confidential.length).toBeGreaterThan(0);
		const all = await resources.list({ limit: 5000 });
		for (const secret of confidential) {
			const shown = all.find((r) => r.id === secret.id)!;
			expect(shown.approximate).toBe(true);
			expect(shown.address).toBeNull();
			expect([shown.lon, shown.lat]).toEqual([secret.label_lon, secret.label_lat]);
			expect([shown.lon, shown.lat]).not.toEqual([secret.true_lon, secret.true_lat]);
			const detail = await resources.get(secret.id);
			expect(detail!.lon).toBe(secret.label_lon);
			expect(JSON.stringify(detail)).not.toContain(String(secret.true_lon));
		}
	});

	it('returns full detail for an id, and null for unknown or malformed ids', async () => {
		const [first] = await resources.list({ categories: ['parish'], limit: 1 });
		const detail = await resources.get(first!.id);
		expect(detail).toMatchObject({ id: first!.id, name: first!.name, organization: { name: expect.any(String) } });
		expect(detail!.services[0]!.name).toBe(first!.name);
		expect(detail!.source.licence).toBeTruthy();
		expect(await resources.get('00000000-0000-0000-0000-000000000000')).toBeNull();
		expect(await resources.get('not-a-uuid')).toBeNull();
	});
});
