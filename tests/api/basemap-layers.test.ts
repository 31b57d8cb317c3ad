import { describe, expect, inject, it } from 'vitest';

// The map's one basemap source (style.ts, `basemap.mapLayers`): every fill and line the schematic
// basemap draws, from a single collection so MapLibre clips to tiles once a frame.
const base = inject('baseUrl');

interface Collection {
	type: string;
	features: { geometry: { type: string }; properties: { layer: string; name?: string } }[];
}

describe('GET /basemap/layers.geojson', () => {
	it('holds the comuni, the rioni outlines and labels, the landmarks, the lake and the river, each tagged', async () => {
		const response = await fetch(base + '/basemap/layers.geojson');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
		expect(response.headers.get('cache-control')).toBe('public, max-age=300');
		expect(response.headers.get('set-cookie')).toBeNull();
		const body = (await response.json()) as Collection;
		expect(body.type).toBe('FeatureCollection');
		const of = (layer: string) => body.features.filter((f) => f.properties.layer === layer);
		expect(new Set(body.features.map((f) => f.properties.layer))).toEqual(
			new Set(['comune', 'comune-label', 'rione-label', 'landmark', 'rione', 'lake', 'river'])
		);
		// The same rioni as the public API, as outlines.
		const rioni = (await (await fetch(base + '/api/neighbourhoods')).json()) as Collection;
		expect(of('rione').map((f) => f.properties.name).sort()).toEqual(rioni.features.map((f) => f.properties.name).sort());
		expect(new Set(of('rione').map((f) => f.geometry.type))).toEqual(new Set(rioni.features.map((f) => f.geometry.type)));
		// Everything /basemap/areas.geojson holds is there too.
		const areas = (await (await fetch(base + '/basemap/areas.geojson')).json()) as Collection;
		expect(of('comune').length + of('comune-label').length + of('rione-label').length + of('landmark').length).toBe(areas.features.length);
		expect(of('lake').map((f) => f.properties.name)).toEqual(['Lago di Como']);

		const again = await fetch(base + '/basemap/layers.geojson', { headers: { 'if-none-match': response.headers.get('etag')! } });
		expect(again.status).toBe(304);
	});
});
