import fs from 'node:fs';
import { describe, expect, inject, it } from 'vitest';

// The public HTTP API contract (PRODUCT.md, "Public HTTP API"), checked against the built app.
const base = inject('baseUrl');

async function get(path: string, init?: RequestInit) {
	const response = await fetch(base + path, init);
	const text = await response.text();
	return { response, status: response.status, type: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
}

interface Feature {
	type: 'Feature';
	id: string;
	geometry: { type: 'Point'; coordinates: [number, number] };
	properties: Record<string, unknown>;
}

describe('GET /api/needs', () => {
	it('lists the 16 needs with Italian and English labels, cacheable', async () => {
		const { status, type, body, response } = await get('/api/needs');
		expect(status).toBe(200);
		expect(type).toMatch(/^application\/json/);
		expect(body).toHaveLength(16);
		expect(body[0]).toEqual({ code: 'food', label_it: 'Cibo e spesa', label_en: 'Food' });
		const etag = response.headers.get('etag');
		expect(etag).toBeTruthy();
		expect(response.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
		const again = await fetch(base + '/api/needs', { headers: { 'if-none-match': etag! } });
		expect(again.status).toBe(304);
	});
});

describe('GET /api/resources', () => {
	it('answers a GeoJSON FeatureCollection of public resources with the documented properties', async () => {
		const { status, type, body } = await get('/api/resources');
		expect(status).toBe(200);
		expect(type).toMatch(/^application\/geo\+json/);
		expect(body.type).toBe('FeatureCollection');
		expect(body.features.length).toBe(200); // the default limit; there are more
		for (const f of body.features as Feature[]) {
			expect(typeof f.id).toBe('string');
			expect(f.geometry.type).toBe('Point');
			expect(f.geometry.coordinates).toHaveLength(2);
			expect(Object.keys(f.properties)).toEqual(
				expect.arrayContaining(['name', 'category', 'needs', 'audiences', 'neighbourhood', 'address', 'open_now', 'demo', 'approximate'])
			);
			expect(f.properties).not.toHaveProperty('distance_m');
			expect(Array.isArray(f.properties.needs)).toBe(true);
			expect([true, false, null]).toContain(f.properties.open_now);
		}
	});

	it('near Piazza Cermenati: the nearest parish is San Nicolò, distances ascending integers', async () => {
		const { body } = await get('/api/resources?near=9.38878,45.85585&radius=3000&category=parish');
		const features = body.features as Feature[];
		expect(features[0]!.properties.name).toMatch(/Nicol[oò]/);
		const distances = features.map((f) => f.properties.distance_m as number);
		for (const d of distances) expect(Number.isInteger(d)).toBe(true);
		expect(distances).toEqual([...distances].sort((a, b) => a - b));
		expect(distances[0]).toBeLessThan(150);
	});

	it('has the 44 schools inside the city', async () => {
		const { body } = await get('/api/resources?category=school&limit=5000');
		const real = (body.features as Feature[]).filter((f) => !f.properties.demo && f.properties.neighbourhood !== null);
		expect(real).toHaveLength(44);
	});

	it('filters by need, open_now and text, and honours limit', async () => {
		const { body } = await get('/api/resources?need=homework&limit=3');
		expect(body.features.length).toBeLessThanOrEqual(3);
		for (const f of body.features as Feature[]) expect(f.properties.needs).toContain('homework');
		const open = await get('/api/resources?open_now=true&limit=5000');
		for (const f of open.body.features as Feature[]) expect(f.properties.open_now).toBe(true);
		const text = await get('/api/resources?q=nicolo');
		expect((text.body.features as Feature[]).some((f) => /Nicol[oò]/.test(String(f.properties.name)))).toBe(true);
	});

	it('marks demo records', async () => {
		const { body } = await get('/api/resources?limit=5000');
		const demo = (body.features as Feature[]).filter((f) => f.properties.demo === true);
		expect(demo.length).toBeGreaterThan(30);
		// Their organisations say so in their names too, wherever they are shown.
		const { body: detail } = await get(`/api/resources/${demo[0]!.id}`);
		expect(detail.properties.demo).toBe(true);
		expect(detail.properties.organization.name).toMatch(/\(esempio\)$/);
		expect(detail.properties.source.id).toBe('atlante-demo');
	});

	it.each([
		['near=9.39', /near must be two numbers/],
		['near=9.39,45.85&radius=99999', /radius must be from 1 to 50000/],
		['bbox=9.5,45.8,9.3,45.9', /west < east/],
		['category=church', /unknown category "church": valid values are/],
		['need=beer', /unknown need "beer"/],
		['open_now=perhaps', /open_now must be true or false/],
		['limit=-1', /limit must be a whole number/]
	])('answers 400 with an actionable message for %s', async (query, message) => {
		const { status, type, body } = await get(`/api/resources?${query}`);
		expect(status).toBe(400);
		expect(type).toMatch(/^application\/json/);
		expect(body.error).toMatch(message);
	});

	it('never answers 500 to odd input', async () => {
		const odd = ['near=%00,%00', 'q=%27%3B%20DROP%20TABLE%20organization%3B--', 'bbox=NaN,1,2,3', 'near=1e999,0', 'limit=99999999999999999999',
			'category=', 'q=' + encodeURIComponent('%_\\'), 'radius=abc', 'near=9.39,45.85&radius=1e3'];
		for (const query of odd) {
			const { status } = await get(`/api/resources?${query}`);
			expect(status, query).toBeLessThan(500);
		}
		const { body } = await get('/api/resources?category=parish');
		expect(body.features.length).toBeGreaterThan(0);
	});
});

describe('GET /api/resources/{id}', () => {
	it('answers one Feature with full detail', async () => {
		const { body: list } = await get('/api/resources?near=9.38878,45.85585&category=parish&limit=1');
		const id = (list.features as Feature[])[0]!.id;
		const { status, type, body } = await get(`/api/resources/${id}`);
		expect(status).toBe(200);
		expect(type).toMatch(/^application\/geo\+json/);
		expect(body).toMatchObject({ type: 'Feature', id, geometry: { type: 'Point' } });
		expect(body.properties).toMatchObject({
			organization: { id: expect.any(String), name: expect.any(String) },
			description: expect.any(String),
			services: expect.any(Array),
			source: { id: 'geonames-parrocchie', licence: expect.any(String) }
		});
		expect(body.properties).toHaveProperty('opening_hours');
		expect(body.properties.organization).toHaveProperty('phones');
	});

	it.each(['00000000-0000-0000-0000-000000000000', 'nope', '1%27%20OR%201=1'])('answers 404 for %s', async (id) => {
		const { status, body } = await get(`/api/resources/${id}`);
		expect(status).toBe(404);
		expect(body.error).toMatch(/No public resource/);
	});
});

describe('GET /api/neighbourhoods', () => {
	it('answers the rioni as derived (Multi)Polygons with counts by category', async () => {
		const { status, type, body } = await get('/api/neighbourhoods');
		expect(status).toBe(200);
		expect(type).toMatch(/^application\/geo\+json/);
		const names = body.features.map((f: Feature) => f.properties.name);
		expect(names).toEqual(expect.arrayContaining(['Acquate', 'Germanedo', 'Pescarenico', 'Santo Stefano']));
		for (const f of body.features) {
			expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
			expect(f.properties.derived).toBe(true);
			expect(Object.keys(f.properties.counts)).toEqual(['partner', 'institution', 'parish', 'school', 'shop', 'custodia', 'health']);
		}
		const total = body.features.reduce((sum: number, f: Feature) => sum + (f.properties.total as number), 0);
		expect(total).toBeGreaterThan(100);
	});
});

describe('unknown endpoints', () => {
	it('answer 404 in the API error format', async () => {
		const { status, body } = await get('/api/nothing-here');
		expect(status).toBe(404);
		expect(body.error).toMatch(/no API endpoint/);
	});
});

describe('GET /api/places', () => {
	const fields = ['id', 'kind', 'lat', 'lon', 'name', 'near_stop', 'neighbourhood'];

	it('answers places with a point by default, each with the documented fields, cacheable', async () => {
		const { status, type, body, response } = await get('/api/places?q=p.za%20cermenati');
		expect(status).toBe(200);
		expect(type).toMatch(/^application\/json/);
		expect(response.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
		expect(body[0]).toMatchObject({ name: 'Piazza Mario Cermenati', kind: 'place', neighbourhood: 'Centro', near_stop: null });
		for (const place of body) {
			expect(Object.keys(place).sort()).toEqual(fields);
			expect(typeof place.lon).toBe('number');
			expect(typeof place.lat).toBe('number');
		}
		// A street placed at the stop named after it says which stop.
		const street = await get('/api/places?q=via%20ghislanzoni');
		expect(street.body[0]).toMatchObject({ name: 'Via Antonio Ghislanzoni', kind: 'street', near_stop: expect.stringMatching(/Ghislanzoni/) });
	});

	it('lists a street with no known position only when asked to, with a null point', async () => {
		const placed = await get('/api/places?q=piazza%20garibaldi');
		expect(placed.body.some((p: { name: string }) => p.name === 'Piazza Giuseppe Garibaldi')).toBe(false);
		const all = await get('/api/places?q=piazza%20garibaldi&include_unplaced=true');
		expect(all.body[0]).toEqual({
			name: 'Piazza Giuseppe Garibaldi', kind: 'street', id: null, lon: null, lat: null, near_stop: null, neighbourhood: null
		});
		const bad = await get('/api/places?q=piazza&include_unplaced=sometimes');
		expect(bad.status).toBe(400);
		expect(JSON.stringify(bad.body)).toMatch(/include_unplaced/);
	});
});

describe('GET /api/places/gazetteer.json', () => {
	it('is the public, cacheable gazetteer of the offline place search: every name with its key and point, no house numbers', async () => {
		const { status, type, body, response } = await get('/api/places/gazetteer.json');
		expect(status).toBe(200);
		expect(type).toMatch(/^application\/json/);
		expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
		const etag = response.headers.get('etag');
		expect(etag).toBeTruthy();
		expect((await fetch(base + '/api/places/gazetteer.json', { headers: { 'if-none-match': etag! } })).status).toBe(304);
		expect(body.format).toBe(1);
		const places = body.places as { name: string; kind: string; key: string; lon: number | null; near_stop: string | null }[];
		for (const place of places) expect(Object.keys(place).sort()).toEqual(['id', 'key', 'kind', 'lat', 'lon', 'name', 'near_stop', 'neighbourhood']);
		expect(new Set(places.map((p) => p.kind))).toEqual(new Set(['neighbourhood', 'place', 'street', 'resource']));
		expect(places.find((p) => p.name === 'Piazza Mario Cermenati')).toMatchObject({ kind: 'place', key: 'piazza mario cermenati' });
		expect(places.find((p) => p.name === 'Via Antonio Ghislanzoni')).toMatchObject({ kind: 'street', near_stop: expect.stringMatching(/Ghislanzoni/) });
		expect(places.find((p) => p.name === 'Piazza Giuseppe Garibaldi')).toMatchObject({ kind: 'street', lon: null });
		// What /api/places answers and nothing else: no ANNCSU house numbers.
		expect(places.some((p) => p.kind === 'address')).toBe(false);
	});
});

describe('GET /api/match', () => {
	const germanedo = async () => {
		const { body } = await get('/api/places?q=Germanedo');
		const place = (body as { name: string; lon: number; lat: number }[]).find((p) => p.name === 'Germanedo')!;
		return `${place.lon},${place.lat}`;
	};

	it('a family in Germanedo needing homework and food: per need, in request order, the nearest with walking times, available first', async () => {
		const at = await germanedo();
		const { status, type, body, response } = await get(`/api/match?at=${at}&needs=homework,food`);
		expect(status).toBe(200);
		expect(type).toMatch(/^application\/json/);
		// A family's place and needs: no cache may keep them.
		expect(response.headers.get('cache-control')).toBe('no-store');
		expect(body.at).toEqual(at.split(',').map(Number));
		expect(body.neighbourhood).toBe('Germanedo');
		expect(body.results.map((r: { need: string }) => r.need)).toEqual(['homework', 'food']);
		for (const { need, resources } of body.results) {
			expect(resources.length).toBe(5);
			for (const r of resources) {
				expect(Object.keys(r)).toEqual(expect.arrayContaining(['id', 'name', 'category', 'distance_m', 'walk_min', 'open_now', 'accepting', 'covers']));
				expect(Number.isInteger(r.distance_m)).toBe(true);
				expect(Number.isInteger(r.walk_min)).toBe(true);
				expect(r.walk_min).toBeGreaterThanOrEqual(r.distance_m / 75);
				expect(r.covers).toContain(need);
			}
			const available = resources.map((r: { open_now: boolean | null; accepting: boolean | null }) => r.open_now !== false && r.accepting !== false);
			expect(available).toEqual([...available].sort((a, b) => Number(b) - Number(a)));
			// The first homework resource really is nearby: within a 30-minute walk.
			expect(resources[0].walk_min).toBeLessThanOrEqual(30);
		}
		// Each resource offers the need: its public record says so.
		const first = body.results[0].resources[0];
		const detail = await get(`/api/resources/${first.id}`);
		expect(detail.body.properties.needs).toContain('homework');
	});

	it('honours limit, max_walk_min, open_now, audience and category; removes duplicate needs', async () => {
		const at = await germanedo();
		const { body } = await get(`/api/match?at=${at}&needs=food,food,community&limit=2&max_walk_min=30&audience=families&category=partner,shop`);
		expect(body.results.map((r: { need: string }) => r.need)).toEqual(['food', 'community']);
		for (const { resources } of body.results) {
			expect(resources.length).toBeLessThanOrEqual(2);
			for (const r of resources) {
				expect(r.walk_min).toBeLessThanOrEqual(30);
				expect(['partner', 'shop']).toContain(r.category);
			}
		}
		const open = await get(`/api/match?at=${at}&needs=food&open_now=true&limit=20`);
		for (const r of open.body.results[0].resources) expect(r.open_now).toBe(true);
		const far = await get(`/api/match?at=${at}&needs=legal&max_walk_min=1`);
		expect(far.status).toBe(200);
		expect(far.body.results).toEqual([{ need: 'legal', resources: [] }]);
	});

	it.each([
		['needs=food', /at is required/],
		['at=9.39,45.85', /needs is required: one or more of food, clothing/],
		['at=9.39,45.85&needs=food,pizza', /unknown needs "pizza": valid values are food, clothing/],
		['at=9.39,45.85&needs=food&audience=aliens', /unknown audience "aliens": valid values are children/],
		['at=9.19,45.46&needs=food', /outside the area this atlas serves/],
		['at=45.85,9.39&needs=food', /outside the area this atlas serves/],
		['at=9.39&needs=food', /at must be two numbers/],
		['at=9.39,45.85&needs=food&limit=21', /limit must be from 1 to 20/],
		['at=9.39,45.85&needs=food&max_walk_min=0', /max_walk_min must be from 1 to 180/],
		['at=9.39,45.85&needs=food&open_now=maybe', /open_now must be true or false/]
	])('answers 400 with a message for %s', async (query, message) => {
		const { status, type, body, response } = await get(`/api/match?${query}`);
		expect(status).toBe(400);
		expect(type).toMatch(/^application\/json/);
		expect(body.error).toMatch(message);
		expect(response.headers.get('cache-control')).toBe('no-store');
	});

	it('keeps nothing about the search: the app log never mentions the place or the needs', async () => {
		await get('/api/match?at=9.41234,45.84321&needs=disability,money');
		await get('/api/match?at=9.41234,45.84321&needs=disability,nonsense');
		const log = fs.readFileSync(inject('appLog'), 'utf8');
		expect(log.length).toBeGreaterThan(0);
		expect(log).not.toMatch(/9\.41234|45\.84321|disability|\/api\/match/);
	});
});
