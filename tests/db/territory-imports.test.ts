import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metresBetween } from '../../src/lib/domain/walking';
import * as matchApi from '../../src/lib/server/api/match';
import { sql } from '../../src/lib/server/db/client';
import { createUser } from '../../src/lib/server/auth/users';
import * as basemap from '../../src/lib/server/db/basemap';
import * as gazetteer from '../../src/lib/server/db/gazetteer';
import * as territory from '../../src/lib/server/db/territory';
import { AnncsuImportError, importAnncsu } from '../../src/lib/server/territory/anncsu';
import * as plans from '../../src/lib/server/plans/plans';
import { importOsm, OsmImportError } from '../../src/lib/server/territory/osm';
import * as walkNetwork from '../../src/lib/server/territory/walk-network';
import { config } from '../../src/lib/server/startup';
import { floydWarshall } from '../setup/floyd-warshall';

// `npm run import:osm` and `npm run import:anncsu` on the made-up town of tests/fixtures/osm and
// tests/fixtures/anncsu (see their README.md), drawn over an empty patch of Lecco around the
// pharmacy the seed places at 9.410823, 45.847393.

const PBF = 'tests/fixtures/osm/town.osm.pbf';
const CSV = 'tests/fixtures/anncsu/civici.csv';
let tmp: string;

beforeAll(() => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-territory-'));
});

afterAll(async () => {
	fs.rmSync(tmp, { recursive: true, force: true });
	// The other files of this project share the database: leave it without a network.
	await sql`DELETE FROM walk_edge`;
	await sql`DELETE FROM walk_node`;
	await sql`DELETE FROM territory_feature`;
	await sql`DELETE FROM civic_number`;
	await sql`DELETE FROM territory_import`;
});

const osmRows = () => sql`
	SELECT (SELECT md5(string_agg(source || '-' || target || ':' || round(length_m::numeric, 6), ',' ORDER BY source, target)) FROM walk_edge) AS edges,
		(SELECT md5(string_agg(id || ':' || ST_AsText(geom), ',' ORDER BY id)) FROM walk_node) AS nodes,
		(SELECT md5(string_agg(layer || kind || coalesce(name, '') || source_ref || ST_AsText(geom), ',' ORDER BY source_ref, layer)) FROM territory_feature) AS features`;

/** All-pairs shortest route lengths by Floyd–Warshall over the stored edges: the brute force. */
async function bruteForce(): Promise<{ nodes: territory.NetworkNode[]; length: (a: number, b: number) => number }> {
	const { nodes, edges } = await territory.loadNetwork();
	const { index, between } = floydWarshall(nodes, edges);
	return { nodes, length: (a, b) => between(index.get(a)!, index.get(b)!) };
}

describe('npm run import:osm on the fixture town', () => {
	it('makes the walkable network and the basemap layers, and says what it read', async () => {
		const report = await importOsm(PBF);
		expect(report).toMatchObject({ nodes: 16, edges: 18, layers: { street: 8, path: 3, shoreline: 2, landmark: 3 } });
		// The motorway (13–33) and the private street (21–32) are drawn but never walked.
		const pairs = (await sql<{ p: string }[]>`SELECT source || '-' || target AS p FROM walk_edge`).map((r) => r.p);
		expect(pairs).not.toContain('13-33');
		expect(pairs).not.toContain('21-32');
		expect(pairs).toContain('23-33');
		const features = await territory.features();
		const names = (layer: string) => features.features.filter((f) => f.properties.layer === layer).map((f) => f.properties.name).sort();
		expect(names('street')).toEqual(['Superstrada Fittizia', 'Via Alta', 'Via Privata', 'Via dei Tigli', 'Via del Mulino', 'Via della Fonte', 'Vicolo Stretto', null]);
		expect(names('path')).toEqual(["Molo dell'Isola", 'Scalinata della Torre', 'Sentiero del Castagno']);
		// The multipolygon's untagged outer way is shoreline too.
		expect(names('shoreline')).toEqual(['Laghetto', null]);
		expect(names('landmark')).toEqual(['Belvedere del Borgo', 'Chiesa di San Fittizio', 'Parco dei Tigli']);
		const park = features.features.find((f) => f.properties.name === 'Parco dei Tigli')!;
		expect(park.geometry).toEqual({ type: 'Point', coordinates: [9.4122, 45.84745] });
		// OpenStreetMap is cited on the data sources page (ODbL asks for it).
		const [source] = await sql<{ licence: string }[]>`SELECT licence FROM source WHERE id = 'osm'`;
		expect(source?.licence).toBe('ODbL 1.0');
	});

	it("puts the imported layers in the map's one basemap collection, prefixed, beside the areas, rioni and lake", async () => {
		const { features } = await basemap.mapLayers(config().dbAssetsDir);
		const count = (layer: string) => features.filter((f) => f.properties.layer === layer).length;
		// The OSM landmarks are kept apart from the gazetteer's ("landmark"), which the style draws differently.
		expect([count('osm-street'), count('osm-path'), count('osm-shoreline'), count('osm-landmark')]).toEqual([8, 3, 2, 3]);
		expect(features.find((f) => f.properties.name === 'Parco dei Tigli')?.properties.layer).toBe('osm-landmark');
		const [rioni] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM neighbourhood`;
		expect(count('rione')).toBe(rioni!.n);
		expect(count('lake')).toBe(1);
		expect(count('comune')).toBeGreaterThan(0);
	});

	it('is idempotent: the same file again gives the same rows', async () => {
		const before = await osmRows();
		await importOsm(PBF);
		expect(await osmRows()).toEqual(before);
	});

	it('refuses a file that is not an OSM extract, and changes nothing', async () => {
		const before = await osmRows();
		const bad = path.join(tmp, 'bad.osm.pbf');
		fs.writeFileSync(bad, 'not a pbf at all');
		await expect(importOsm(bad)).rejects.toBeInstanceOf(OsmImportError);
		await expect(importOsm('tests/fixtures/osm/town.osm')).rejects.toThrow(/expected an \.osm\.pbf/);
		expect(await osmRows()).toEqual(before);
	});

	it('walking times on the network equal a brute-force shortest path between every pair of nodes', async () => {
		const { nodes, length } = await bruteForce();
		const network = await walkNetwork.current();
		expect(network?.size).toEqual({ nodes: 16, edges: 18 });
		let routed = 0;
		for (const from of nodes) {
			const walks = network!.routes(from, nodes);
			nodes.forEach((to, i) => {
				const expected = length(from.id, to.id);
				if (expected === Infinity) expect(walks[i]).toBeNull();
				else {
					expect(walks[i]!.basis).toBe('route');
					expect(walks[i]!.metres).toBeCloseTo(expected, 6);
					expect(walks[i]!.minutes).toBe(Math.max(1, Math.ceil(expected / 75 - 1e-9)));
					routed++;
				}
			});
		}
		// 14 nodes joined to each other, and the two of the island pier to each other.
		expect(routed).toBe(14 * 14 + 2 * 2);
	});

	it('off the network, or where no route joins, the walk is the straight-line estimate', async () => {
		const near = { lon: 9.41, lat: 45.846 };
		const island = { lon: 9.4163, lat: 45.8452 };
		const far = { lon: 9.39, lat: 45.86 };
		const [toIsland, toFar] = await walkNetwork.walks(near, [
			{ ...island, straightM: metresBetween(near, island) },
			{ ...far, straightM: metresBetween(near, far) }
		]);
		expect(toIsland!.basis).toBe('estimate');
		expect(toFar!.basis).toBe('estimate');
		expect(toFar!.minutes).toBe(Math.ceil((metresBetween(near, far) * 1.3) / 75));
	});

	it('matching routes to the pharmacy on the network ("a piedi") and estimates the rest ("circa")', async () => {
		const at = { lon: 9.41, lat: 45.846 }; // node 12, on Via della Fonte
		const answer = await matchApi.answer(matchApi.matchRequest({ at, needs: ['health'], maxWalkMin: null, limit: 5 }), { servedMarginM: 3000 });
		expect(answer.walking.network).toBe(true);
		const list = answer.results[0]!.resources;
		const pharmacy = list.find((r) => r.name.startsWith('Farmacia Belledo'))!;
		const { length } = await bruteForce();
		const door = { lon: pharmacy.coordinates[0], lat: pharmacy.coordinates[1] };
		const route = length(12, 50) + metresBetween(door, { lon: 9.4108, lat: 45.8474 });
		expect(pharmacy.walk_basis).toBe('route');
		expect(pharmacy.walk_min).toBe(Math.ceil(route / 75));
		for (const other of list.filter((r) => r !== pharmacy)) expect(other.walk_basis).toBe('estimate');
		// A walking limit counts minutes on foot: 3 minutes reach the pharmacy by the route.
		const limited = await matchApi.answer(matchApi.matchRequest({ at, needs: ['health'], maxWalkMin: Math.ceil(route / 75), limit: 5 }), { servedMarginM: 3000 });
		expect(limited.results[0]!.resources.map((r) => r.name)).toContain(pharmacy.name);
		for (const r of limited.results[0]!.resources) expect(r.walk_min).toBeLessThanOrEqual(Math.ceil(route / 75));
	});

	it("a support plan's suggestions and possible partners walk the network as matching does", async () => {
		const user = await createUser({ email: `lead-borgo-${Date.now()}@atlante.test`, role: 'worker', password: 'Sette nani nel bosco 1937' });
		const actor = { user, address: '127.0.0.1' };
		// The household's place rounds to node 12 itself, as in the matching test above.
		const { id } = await plans.createPlan(actor, { household: { name: 'Famiglia del Borgo (esempio)', point: [9.41, 45.846] }, strengths: ['Vicini presenti'], needs: ['health'] });
		const { length } = await bruteForce();
		const [pharmacyRow] = await sql<{ lon: number; lat: number; organization_id: string }[]>`
			SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, organization_id::text FROM public_resource WHERE name LIKE 'Farmacia Belledo%'`;
		const minutes = Math.ceil((length(12, 50) + metresBetween(pharmacyRow!, { lon: 9.4108, lat: 45.8474 })) / 75);

		const [health] = await plans.suggestions(actor, id);
		const pharmacy = health!.resources.find((r) => r.name.startsWith('Farmacia Belledo'))!;
		expect(pharmacy).toMatchObject({ walk_basis: 'route', walk_min: minutes, nearest: true });
		for (const other of health!.resources.filter((r) => r !== pharmacy)) expect(other.walk_basis).toBe('estimate');

		const nearby = await plans.organizationsNearby(actor, id);
		expect(nearby).toContainEqual(expect.objectContaining({ id: pharmacyRow!.organization_id, walk_basis: 'route', walk_min: minutes }));
		expect(nearby.filter((o) => o.walk_basis === 'route').length).toBeGreaterThan(0);
		for (let i = 1; i < nearby.length; i++) expect(nearby[i]!.walk_min).toBeGreaterThanOrEqual(nearby[i - 1]!.walk_min);
	});
});

describe('npm run import:anncsu on the fixture civic numbers', () => {
	const civicRows = async () => (await sql<{ rows: string; n: number }[]>`
		SELECT md5(string_agg(source_ref || street || number || exponent || ST_AsText(geom), ',' ORDER BY source_ref)) AS rows, count(*)::int AS n FROM civic_number`)[0]!;

	it('keeps the served comune\'s numbers with a point, and says what it skipped', async () => {
		const report = await importAnncsu(CSV);
		expect(report).toMatchObject({ read: 9, written: 6, skipped: { otherComune: 1, noNumber: 1, noPoint: 1 }, comuni: ['097042'] });
		const again = await civicRows();
		await importAnncsu(CSV);
		expect(await civicRows()).toEqual(again);
		expect(again.n).toBe(6);
	});

	it('the place search finds the house number: "via dei tigli 12" is at its own door, before the rest', async () => {
		const found = await gazetteer.search('via dei tigli 12');
		expect(found[0]).toEqual({ name: 'Via Dei Tigli 12', kind: 'address', id: null, lon: 9.41075, lat: 45.84715, near_stop: null, neighbourhood: expect.anything() });
		expect(found[1]).toMatchObject({ name: 'Via Dei Tigli 12A', kind: 'address' });
		expect((await gazetteer.search('v. tigli 12/a'))[0]).toMatchObject({ name: 'Via Dei Tigli 12A', lon: 9.4109 });
		expect((await gazetteer.search('Mulino, 12'))[0]).toMatchObject({ name: 'Via Del Mulino 12', lon: 9.411, lat: 45.84815 });
		// A number the street does not have is no address; the name search still answers.
		expect((await gazetteer.search('via dei tigli 99')).some((m) => m.kind === 'address')).toBe(false);
		// Civate's Via dei Tigli 12 was not imported.
		expect((await gazetteer.search('via dei tigli 12', 20)).filter((m) => m.kind === 'address').length).toBe(2);
	});

	it('refuses a file without ANNCSU\'s columns, and changes nothing', async () => {
		const before = await civicRows();
		const bad = path.join(tmp, 'streets.csv');
		fs.writeFileSync(bad, 'progressivo_nazionale,dug,denominazione\n1,VIA,ROMA\n');
		await expect(importAnncsu(bad)).rejects.toThrow(AnncsuImportError);
		await expect(importAnncsu(bad)).rejects.toThrow(/lacks the ANNCSU columns CODICE_ISTAT, ODONIMO/);
		expect(await civicRows()).toEqual(before);
	});
});
