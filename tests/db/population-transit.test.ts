import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/users';
import type { User } from '../../src/lib/server/db/accounts';
import { sql } from '../../src/lib/server/db/client';
import * as population from '../../src/lib/server/db/population';
import * as transit from '../../src/lib/server/db/transit';
import { seed } from '../../src/lib/server/seed/load';

// Issue 11, data: residents per rione (history, an administrator's figure wins), ages and stops.
// The database was seeded from db/seed by the setup file.

const run = Date.now().toString(36);
const email = `popolazione-${run}@example.org`;
let admin: User;
let assets: string;

beforeAll(async () => {
	admin = await createUser({ email, role: 'admin', password: 'correct horse battery staple' });
	assets = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-population-'));
	fs.cpSync('db', assets, { recursive: true });
});

afterAll(async () => {
	await sql`DELETE FROM rione_population WHERE entered_by = ${admin.id} OR source_note LIKE ${`%${run}%`}`;
	await sql`DELETE FROM rione_population WHERE entered_by IS NULL AND residents = 9999`;
	await sql`DELETE FROM seed_load WHERE name = 'lecco/population.csv'`;
	await sql`DELETE FROM app_user WHERE email = ${email}`;
	fs.rmSync(assets, { recursive: true, force: true });
	// The next seed reloads the committed file (a no-op for the rows already there).
	await seed({ dbAssetsDir: 'db' });
});

async function mapRioni(): Promise<string[]> {
	return (await sql<{ name: string }[]>`SELECT name FROM neighbourhood ORDER BY name`).map((r) => r.name);
}

describe('residents per rione', () => {
	it('the seeded figures sum to 47,671 over the 15 rioni of the register, each a rione of the map', async () => {
		const current = await population.currentResidents();
		const seeded = current.filter((c) => c.source === 'comune-lecco-anagrafe-2024');
		expect(seeded).toHaveLength(15);
		expect(seeded.reduce((sum, c) => sum + c.residents, 0)).toBe(47_671);
		expect(seeded.every((c) => c.referenceDate === '2024-12-31' && c.enteredBy === null)).toBe(true);
		const map = await mapRioni();
		expect(seeded.map((c) => c.rione).filter((name) => !map.includes(name))).toEqual([]);
		// The derived map's sixteenth rione, Malnago, is not in the register (see ATTRIBUTION.md).
		expect(map.filter((name) => !current.some((c) => c.rione === name))).toEqual(['Malnago']);
	});

	it("an administrator's newer figure becomes current, and re-seeding (same or changed file) keeps it", async () => {
		await population.enterFigure({ rione: 'Olate', residents: 2400, referenceDate: '2025-06-30', sourceNote: `Anagrafe ${run}`, enteredBy: admin.id });
		const olate = async () => (await population.currentResidents()).find((c) => c.rione === 'Olate')!;
		expect(await olate()).toMatchObject({ residents: 2400, referenceDate: '2025-06-30', source: null, enteredBy: admin.id });

		// The same file again: nothing is added.
		const before = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM rione_population`;
		await sql`DELETE FROM seed_load WHERE name = 'lecco/population.csv'`;
		expect((await seed({ dbAssetsDir: assets })).loaded).toEqual(['lecco/population.csv']);
		expect(await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM rione_population`).toEqual(before);
		expect(await olate()).toMatchObject({ residents: 2400, enteredBy: admin.id });

		// A changed file (a corrected 2024 figure) adds history but the administrator's later figure stays current.
		const file = path.join(assets, 'seed/lecco/population.csv');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^Olate,2361,/m, 'Olate,9999,'));
		expect((await seed({ dbAssetsDir: assets })).loaded).toEqual(['lecco/population.csv']);
		const history = await sql<{ residents: number }[]>`SELECT residents FROM rione_population WHERE rione = 'Olate' ORDER BY id`;
		expect(history.map((h) => h.residents)).toEqual(expect.arrayContaining([2361, 2400, 9999]));
		expect(await olate()).toMatchObject({ residents: 2400, enteredBy: admin.id });
	});

	it('history is never rewritten in place', async () => {
		await expect(sql`UPDATE rione_population SET residents = residents + 1 WHERE rione = 'Centro'`).rejects.toThrow(/history/);
	});

	it("refuses an administrator's figure for an unknown rione, a future date or without a source, writing nothing", async () => {
		const before = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM rione_population`;
		const base = { rione: 'Centro', residents: 6600, referenceDate: '2025-06-30', sourceNote: `Anagrafe ${run}`, enteredBy: admin.id };
		const now = new Date();
		const tomorrow = new Date(now.getTime() + 36 * 3600_000).toISOString().slice(0, 10);
		await expect(population.enterFigure({ ...base, rione: 'Atlantide' }, now)).rejects.toThrow(/not a rione of the map/);
		await expect(population.enterFigure({ ...base, referenceDate: tomorrow }, now)).rejects.toThrow(/future/);
		await expect(population.enterFigure({ ...base, referenceDate: '2025-02-30' }, now)).rejects.toThrow(/real day/);
		await expect(population.enterFigure({ ...base, residents: -1 }, now)).rejects.toThrow(/whole number/);
		await expect(population.enterFigure({ ...base, sourceNote: ' ' }, now)).rejects.toThrow(/comes from/);
		expect(await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM rione_population`).toEqual(before);
	});
});

describe('ages', () => {
	it('holds ages 0 to 100 at 1/1/2025 summing to the ISTAT total', async () => {
		const rows = await population.ages();
		expect(rows).toHaveLength(101);
		expect(rows[0]).toMatchObject({ age: 0, males: 154, females: 162, total: 316, referenceDate: '2025-01-01', source: 'istat-posas-2025' });
		expect(rows.reduce((sum, r) => sum + r.total, 0)).toBe(47_233);
	});
});

describe('transit stops', () => {
	it('holds 247 bus stops and 2 stations, each inside its rione or without one outside Lecco', async () => {
		const stops = await transit.transitStops();
		expect(stops.filter((s) => s.kind === 'bus')).toHaveLength(247);
		expect(stops.filter((s) => s.kind === 'rail').map((s) => s.name)).toEqual(['Lecco', 'Lecco Maggianico']);
		expect(stops.filter((s) => s.kind === 'bus').every((s) => s.validFrom === '2025-09-13' && s.validTo === '2026-06-08')).toBe(true);
		const [check] = await sql<{ wrong: number; outside_lecco_without: number; unplaced_inside: number }[]>`
			SELECT
				count(*) FILTER (WHERE p.neighbourhood IS NOT NULL AND NOT ST_Covers(n.geom, p.geom))::int AS wrong,
				count(*) FILTER (WHERE p.neighbourhood IS NULL AND NOT EXISTS (
					SELECT 1 FROM administrative_area a WHERE a.served AND ST_Covers(a.geom, p.geom)))::int AS outside_lecco_without,
				count(*) FILTER (WHERE p.neighbourhood IS NULL AND EXISTS (
					SELECT 1 FROM administrative_area a WHERE a.served AND ST_Covers(a.geom, p.geom)))::int AS unplaced_inside
			FROM transit_stop_placed p LEFT JOIN neighbourhood n ON n.name = p.neighbourhood`;
		expect(check).toMatchObject({ wrong: 0, unplaced_inside: 0 });
		// Every stop of this feed is in Lecco: all are placed in a rione.
		expect(stops.every((s) => s.neighbourhood !== null)).toBe(true);
		expect(stops.find((s) => s.id === 'trenord:S01522')?.neighbourhood).toBe('Maggianico');
	});

	it("a stop outside every rione has none, and replacing a source's stops removes those its file no longer lists", async () => {
		await transit.replaceStops([
			{ id: `test:${run}`, code: null, name: 'Fermata di prova', kind: 'bus', lon: 9.35, lat: 45.84, source: 'trenord-gtfs', validFrom: null, validTo: null }
		]);
		try {
			const stops = await transit.transitStops();
			expect(stops.find((s) => s.id === `test:${run}`)?.neighbourhood).toBeNull();
			// Replacing a source's stops removes those its file no longer lists.
			expect(stops.filter((s) => s.id.startsWith('trenord:'))).toEqual([]);
		} finally {
			await sql`DELETE FROM transit_stop WHERE id = ${`test:${run}`}`;
			await sql`DELETE FROM seed_load WHERE name = 'lecco/transit-stops.geojson'`;
			await seed({ dbAssetsDir: 'db' });
		}
		expect((await transit.transitStops()).filter((s) => s.kind === 'rail')).toHaveLength(2);
	});
});
