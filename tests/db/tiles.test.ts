import { describe, expect, it } from 'vitest';
import { currentBackend, sql } from '../../src/lib/server/db/client';
import * as tilesDb from '../../src/lib/server/db/tiles';
import { encodeInApp, resourceTile } from '../../src/lib/server/tiles';
import { decodeTile, tileOf } from '../setup/mvt-decode';

// Public vector tiles (db/functions/resource_tiles.sql, src/lib/server/tiles): the SQL encoding
// (ST_AsMVT, server only) and the app's own (embedded) give the same decoded tiles; counts add up;
// only public points.

const LECCO = { lon: 9.3905, lat: 45.8555 };
/** Tiles over Lecco at every zoom the map asks for, clusters and single resources. */
const TILES = [0, 5, 8, 10, 11, 12, 13, 14, 15, 16].map((z) => tileOf(z, LECCO.lon, LECCO.lat));

const publicCount = async () => (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM public_resource`)[0]!.n;

/** Web Mercator → lon/lat of a point in tile coordinates (extent 4096). */
function lonLatOf(tile: { z: number; x: number; y: number }, px: number, py: number) {
	const n = 2 ** tile.z;
	const lon = ((tile.x + px / 4096) / n) * 360 - 180;
	const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * (tile.y + py / 4096)) / n))) * 180) / Math.PI;
	return { lon, lat };
}

describe('public vector tiles', () => {
	it.skipIf(currentBackend() !== 'server')('ST_AsMVT and the app encode the same features, tile by tile (server)', async () => {
		let features = 0;
		for (const tile of [...TILES, { ...TILES[8]!, categories: ['school', 'parish'] }]) {
			const bySql = decodeTile(await tilesDb.encodedTile(tile));
			const byApp = decodeTile(await encodeInApp(tile));
			expect(byApp).toEqual(bySql);
			features += bySql.points.length;
		}
		expect(features).toBeGreaterThan(50);
	});

	it('encodes exactly the rows of resource_tile_features, in layer "clusters" below zoom 14 and "resources" from it', async () => {
		for (const tile of TILES) {
			const rows = await tilesDb.tileFeatures(tile);
			const decoded = decodeTile(await resourceTile(tile));
			const expected = rows
				.map((row) => ({ layer: row.layer, x: row.tx, y: row.ty, properties: row.properties }))
				.sort((a, b) => a.y - b.y || a.x - b.x || JSON.stringify(a.properties).localeCompare(JSON.stringify(b.properties)));
			expect(decoded.points).toEqual(expected);
			if (rows.length === 0) continue;
			const layer = tile.z >= 14 ? 'resources' : 'clusters';
			expect(Object.keys(decoded.layers)).toEqual([layer]);
			expect(decoded.layers[layer]).toMatchObject({ extent: 4096, version: 2, length: rows.length });
		}
	});

	it('counts every public resource once at low zoom, by category too', async () => {
		const total = await publicCount();
		expect(total).toBeGreaterThan(100);
		const world = decodeTile(await resourceTile({ z: 0, x: 0, y: 0 }));
		const sum = (points: { properties: Record<string, unknown> }[]) => points.reduce((n, p) => n + Number(p.properties.count), 0);
		expect(sum(world.points)).toBe(total);
		for (const cluster of world.points) {
			const { count, ...categories } = cluster.properties;
			expect(Object.values(categories).reduce((n: number, v) => n + Number(v), 0)).toBe(count);
		}
		// The 3 × 3 block of zoom-11 tiles around Lecco holds every resource of the seed once, though
		// a resource on a tile's edge could fall in either: no margin at this zoom.
		const centre = tileOf(11, LECCO.lon, LECCO.lat);
		let block = 0;
		for (let dx = -1; dx <= 1; dx++) {
			for (let dy = -1; dy <= 1; dy++) block += sum(decodeTile(await resourceTile({ z: 11, x: centre.x + dx, y: centre.y + dy })).points);
		}
		const [inBlock] = await sql<{ n: number }[]>`
			SELECT count(*)::int AS n FROM public_resource
			WHERE geom && ST_Transform(ST_MakeEnvelope(
				ST_XMin(ST_TileEnvelope(11, ${centre.x - 1}, ${centre.y - 1})), ST_YMin(ST_TileEnvelope(11, ${centre.x + 1}, ${centre.y + 1})),
				ST_XMax(ST_TileEnvelope(11, ${centre.x + 1}, ${centre.y + 1})), ST_YMax(ST_TileEnvelope(11, ${centre.x - 1}, ${centre.y - 1})), 3857), 4326)`;
		expect(block).toBe(inBlock!.n);
		// Filtered by category, only that category is counted.
		const schools = decodeTile(await resourceTile({ z: 0, x: 0, y: 0, categories: ['school'] })).points;
		const [schoolCount] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM public_resource WHERE category = 'school'`;
		expect(sum(schools)).toBe(schoolCount!.n);
		expect(schools.every((p) => Object.keys(p.properties).sort().join() === 'count,school')).toBe(true);
	});

	it('shows a confidential place only at its rione, marked approximate, and nothing but public resources', async () => {
		const hidden = await sql<{ id: string; lon: number; lat: number; plon: number; plat: number }[]>`
			SELECT sal.id::text, ST_X(l.geom) AS lon, ST_Y(l.geom) AS lat, ST_X(l.public_geom) AS plon, ST_Y(l.public_geom) AS plat
			FROM location l JOIN service_at_location sal ON sal.location_id = l.id
			JOIN public_resource r ON r.id = sal.id
			WHERE l.confidential`;
		expect(hidden.length).toBeGreaterThan(0);
		for (const place of hidden) {
			// Where the true point is, its tile has no feature of that id…
			const atTruth = tileOf(16, place.lon, place.lat);
			const there = decodeTile(await resourceTile(atTruth)).points.filter((p) => p.properties.id === place.id);
			const atLabel = tileOf(16, place.plon, place.plat);
			const sameTile = atTruth.x === atLabel.x && atTruth.y === atLabel.y;
			if (!sameTile) expect(there).toEqual([]);
			// …and at the rione's label point it is, approximate.
			const shown = decodeTile(await resourceTile(atLabel)).points.filter((p) => p.properties.id === place.id);
			expect(shown).toHaveLength(1);
			expect(shown[0]!.properties.approximate).toBe(true);
			const at = lonLatOf(atLabel, shown[0]!.x, shown[0]!.y);
			expect(Math.abs(at.lon - place.plon)).toBeLessThan(1e-4);
			expect(Math.abs(at.lat - place.plat)).toBeLessThan(1e-4);
		}
		// Every single resource of a tile is a public one, with only the public properties.
		const tile = tileOf(14, LECCO.lon, LECCO.lat);
		const points = decodeTile(await resourceTile(tile)).points;
		expect(points.length).toBeGreaterThan(5);
		const ids = points.map((p) => String(p.properties.id));
		const [known] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM public_resource WHERE id::text = ANY(${ids})`;
		expect(known!.n).toBe(new Set(ids).size);
		for (const p of points) expect(Object.keys(p.properties).sort()).toEqual(['approximate', 'category', 'demo', 'id', 'name']);
	});

	it('an empty tile is empty', async () => {
		// Open sea off West Africa at zoom 10.
		expect((await resourceTile(tileOf(10, -20, 0))).length).toBe(0);
	});
});
