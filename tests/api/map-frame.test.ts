import { describe, expect, inject, it } from 'vitest';

// Issue 14, item 6: the map's first frame is in the page as the server renders it — the resources
// as the map's pins, over the outlines drawn by the server as an SVG image of their own — so the map
// shows at once and without JavaScript, and MapLibre replaces it when ready.
const base = inject('baseUrl');

async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
	return fetch(base + path, { headers: { 'accept-language': 'it', ...headers } });
}

describe('the map\'s first frame', () => {
	it('is in the home page: one pin per resource, with the category\'s symbol, over the outlines image', async () => {
		const resources = (await (await get('/api/resources?limit=5000')).json()) as { features: { properties: { category: string; demo?: boolean } }[] };
		const page = await (await get('/', { accept: 'text/html' })).text();
		const frame = page.slice(page.indexOf('<div class="map-frame'), page.indexOf('</div></div>', page.indexOf('<div class="map-frame')));
		expect(frame).toContain('aria-hidden="true"');
		expect(frame).toMatch(/<img class="outlines[^"]*" src="\/basemap\/frame\.svg"/);
		const pins = [...frame.matchAll(/<use href="#frame-pin-([a-z]+)(-demo)?" x="(-?[\d.]+)%" y="(-?[\d.]+)%"/g)];
		// Every resource falls in Lecco's view or its surroundings: each has its pin.
		expect(pins).toHaveLength(resources.features.length);
		const byCategory = (list: string[]) => list.reduce<Record<string, number>>((all, c) => ({ ...all, [c]: (all[c] ?? 0) + 1 }), {});
		expect(byCategory(pins.map((p) => `${p[1]}${p[2] ?? ''}`))).toEqual(
			byCategory(resources.features.map((f) => `${f.properties.category}${f.properties.demo ? '-demo' : ''}`))
		);
		// Most are inside the city's view (0–100 %).
		const inside = pins.filter((p) => [p[3], p[4]].every((v) => Number(v) >= 0 && Number(v) <= 100));
		expect(inside.length).toBeGreaterThan(pins.length / 2);
	});

	it('follows the view the address asks for', async () => {
		const page = await (await get('/?bbox=9.385,45.853,9.392,45.858', { accept: 'text/html' })).text();
		expect(page).toContain('src="/basemap/frame.svg?bbox=9.385,45.853,9.392,45.858"');
	});

	it('draws its outlines as a cacheable SVG image, for the served city or a view', async () => {
		const response = await get('/basemap/frame.svg');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
		expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
		const svg = await response.text();
		expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="-?\d+ -?\d+ \d+ \d+"/);
		expect((svg.match(/<path /g) ?? []).length).toBeGreaterThan(10);
		const again = await get('/basemap/frame.svg', { 'if-none-match': response.headers.get('etag')! });
		expect(again.status).toBe(304);
		const view = await get('/basemap/frame.svg?bbox=9.385,45.853,9.392,45.858');
		expect(view.status).toBe(200);
		expect(await view.text()).not.toBe(svg);
		// The whole world is drawn too (inside Mercator's limits), not a server error.
		expect((await get('/basemap/frame.svg?bbox=-180,-90,180,90')).status).toBe(200);
	});

	it('refuses a malformed view with a 400 that says why', async () => {
		for (const bbox of ['9.4,45.9,9.3,45.8', 'a,b,c,d', '1,2,3', '0,0,200,10']) {
			const response = await get(`/basemap/frame.svg?bbox=${bbox}`);
			expect(response.status).toBe(400);
			expect(((await response.json()) as { error: string }).error).toMatch(/bbox/);
		}
	});
});
