import { describe, expect, inject, it } from 'vitest';

// Issue 15, item 4: before a deployment imports an OpenStreetMap extract, the imported basemap layer
// is an empty collection (the map draws nothing from it) and every walk is the estimate. With an
// import (tests/db/territory-imports.test.ts) both change.
const base = inject('baseUrl');

describe('the territory layers before any import', () => {
	it('GET /basemap/territory.geojson is an empty, public, cacheable FeatureCollection', async () => {
		const response = await fetch(base + '/basemap/territory.geojson');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
		expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
		expect(response.headers.get('set-cookie')).toBeNull();
		expect(await response.json()).toEqual({ type: 'FeatureCollection', features: [] });
		const again = await fetch(base + '/basemap/territory.geojson', { headers: { 'if-none-match': response.headers.get('etag')! } });
		expect(again.status).toBe(304);
	});

	it('/api/match says there is no network, and every walk is the estimate', async () => {
		const response = await fetch(base + '/api/match?at=9.3905,45.8555&needs=food,health');
		const body = (await response.json()) as { walking: { network: boolean }; results: { resources: { walk_basis: string }[] }[] };
		expect(body.walking.network).toBe(false);
		const walks = body.results.flatMap((r) => r.resources.map((x) => x.walk_basis));
		expect(walks.length).toBeGreaterThan(0);
		expect(new Set(walks)).toEqual(new Set(['estimate']));
	});
});
