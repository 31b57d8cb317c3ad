import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { decodeTile, tileOf } from '../setup/mvt-decode';

// GET /api/tiles/{z}/{x}/{y}.mvt (issue 15, item 5) against the built app: a vector tile GDAL and
// Mapbox's reader open, cached with an ETag, counting every public resource at low zoom; addresses
// outside the grid are 400, anything but digits 404.
const base = inject('baseUrl');
const LECCO = { lon: 9.3905, lat: 45.8555 };

async function tile(address: { z: number; x: number; y: number }, query = '', init?: RequestInit) {
	const response = await fetch(`${base}/api/tiles/${address.z}/${address.x}/${address.y}.mvt${query}`, init);
	return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

describe('GET /api/tiles/{z}/{x}/{y}.mvt', () => {
	it('answers a vector tile, public and cacheable, with an ETag a repeat gets 304 for', async () => {
		const { response, bytes } = await tile(tileOf(14, LECCO.lon, LECCO.lat));
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
		expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
		expect(response.headers.get('access-control-allow-origin')).toBe('*');
		const etag = response.headers.get('etag');
		expect(etag).toMatch(/^"[\w-]+"$/);
		expect(decodeTile(bytes).points.length).toBeGreaterThan(5);
		const again = await tile(tileOf(14, LECCO.lon, LECCO.lat), '', { headers: { 'if-none-match': etag! } });
		expect(again.response.status).toBe(304);
		expect(again.bytes.length).toBe(0);
		// Another tile, another tag.
		const other = await tile(tileOf(13, LECCO.lon, LECCO.lat), '', { headers: { 'if-none-match': etag! } });
		expect(other.response.status).toBe(200);
		expect(other.response.headers.get('etag')).not.toBe(etag);
	});

	it('counts every public resource of /api/resources in the clusters of the whole world, and by category', async () => {
		const all = (await (await fetch(`${base}/api/resources?limit=5000`)).json()).features as { properties: { category: string } }[];
		expect(all.length).toBeGreaterThan(100);
		expect(all.length).toBeLessThan(5000);
		const world = decodeTile((await tile({ z: 0, x: 0, y: 0 })).bytes);
		expect(Object.keys(world.layers)).toEqual(['clusters']);
		expect(world.points.reduce((n, p) => n + Number(p.properties.count), 0)).toBe(all.length);
		const parishes = decodeTile((await tile({ z: 0, x: 0, y: 0 }, '?category=parish')).bytes);
		expect(parishes.points.reduce((n, p) => n + Number(p.properties.parish), 0)).toBe(all.filter((f) => f.properties.category === 'parish').length);
	});

	it('is read by GDAL (ogrinfo): the layer and its feature count', async () => {
		const address = tileOf(14, LECCO.lon, LECCO.lat);
		const { bytes } = await tile(address);
		const decoded = decodeTile(bytes);
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-tile-'));
		try {
			const file = path.join(dir, `${address.y}.mvt`);
			fs.writeFileSync(file, bytes);
			const info = execFileSync('ogrinfo', ['-ro', '-so', '-oo', `Z=${address.z}`, '-oo', `X=${address.x}`, '-oo', `Y=${address.y}`, file, 'resources'], { encoding: 'utf8' });
			expect(info).toMatch(/Layer name: resources/);
			expect(info).toMatch(/Geometry: Point/);
			expect(Number(/Feature Count: (\d+)/.exec(info)?.[1])).toBe(decoded.points.length);
			// The attributes GDAL reads are the public ones.
			for (const field of ['id', 'name', 'category', 'approximate', 'demo']) expect(info).toMatch(new RegExp(`^${field}: `, 'm'));
			// And the points land in Lecco: GDAL's own georeferencing of the tile.
			const extent = /Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)/.exec(info);
			const lon = (Number(extent![1]) / 20037508.342789244) * 180;
			expect(lon).toBeGreaterThan(9.3);
			expect(lon).toBeLessThan(9.5);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('refuses addresses outside the tile grid (400) and anything but digits (404), in the API format', async () => {
		for (const [address, status] of [
			['23/0/0.mvt', 400],
			['1/2/0.mvt', 400],
			['1/0/2.mvt', 400],
			['0/0/99999999.mvt', 400],
			['-1/0/0.mvt', 404],
			['a/0/0.mvt', 404],
			['1.5/0/0.mvt', 404],
			['0/0/0.pbf', 404],
			['0/0/0', 404],
			['0/0/123456789.mvt', 404]
		] as const) {
			const response = await fetch(`${base}/api/tiles/${address}`);
			expect({ address, status: response.status }).toEqual({ address, status });
			expect(response.headers.get('content-type')).toMatch(/^application\/json/);
			expect((await response.json()).error).toBeTruthy();
		}
		const badCategory = await fetch(`${base}/api/tiles/0/0/0.mvt?category=nope`);
		expect(badCategory.status).toBe(400);
	});
});
