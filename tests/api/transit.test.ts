import { describe, expect, inject, it } from 'vitest';

// Issue 11: the public layer of bus stops and railway stations, cached like the other basemap layers.
const base = inject('baseUrl');

interface StopFeature {
	type: 'Feature';
	geometry: { type: 'Point'; coordinates: [number, number] };
	properties: { id: string; name: string; kind: 'bus' | 'rail'; rione: string | null };
}

describe('GET /basemap/transit.geojson', () => {
	it('answers a FeatureCollection of 247 bus stops and 2 stations, public and cacheable with an ETag', async () => {
		const response = await fetch(base + '/basemap/transit.geojson');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
		expect(response.headers.get('cache-control')).toBe('public, max-age=300');
		expect(response.headers.get('set-cookie')).toBeNull();
		const body = (await response.json()) as { type: string; features: StopFeature[] };
		expect(body.type).toBe('FeatureCollection');
		expect(body.features.filter((f) => f.properties.kind === 'bus')).toHaveLength(247);
		const stations = body.features.filter((f) => f.properties.kind === 'rail');
		expect(stations.map((f) => f.properties.name).sort()).toEqual(['Lecco', 'Lecco Maggianico']);
		for (const f of body.features) {
			expect(f.geometry.type).toBe('Point');
			expect(Object.keys(f.properties).sort()).toEqual(['id', 'kind', 'name', 'rione']);
			const [lon, lat] = f.geometry.coordinates;
			expect(lon).toBeGreaterThan(9.33);
			expect(lon).toBeLessThan(9.49);
			expect(lat).toBeGreaterThan(45.8);
			expect(lat).toBeLessThan(45.91);
		}
		expect(stations.find((f) => f.properties.id === 'trenord:S01522')?.properties.rione).toBe('Maggianico');

		const etag = response.headers.get('etag');
		expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
		const again = await fetch(base + '/basemap/transit.geojson', { headers: { 'if-none-match': etag! } });
		expect(again.status).toBe(304);
		expect(again.headers.get('etag')).toBe(etag);
	});
});
