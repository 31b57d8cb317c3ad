import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FeatureCollection } from 'geojson';
import proj4 from 'proj4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/server/db/client';
import * as census from '../../src/lib/server/db/census';
import { CensusImportError, importSections } from '../../src/lib/server/territory/census';
import { CensusFileError } from '../../src/lib/server/territory/census-read';

// `npm run import:sections` on the fixtures of tests/fixtures/census (written by make.ts there):
// six sections in Lecco (1,262 residents) and one in Civate, in EPSG:32632 as ISTAT publishes.

const dir = 'tests/fixtures/census';
const fixture = (name: string) => path.join(dir, name);
const LECCO = { sections: 6, residents: 310 + 255 + 420 + 180 + 0 + 97 };
let tmp: string;

beforeAll(() => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-census-'));
});

afterAll(async () => {
	fs.rmSync(tmp, { recursive: true, force: true });
	await sql`DELETE FROM census_section`;
});

const geojson = () => JSON.parse(fs.readFileSync(fixture('sections-2011.geojson'), 'utf8')) as FeatureCollection;
function write(name: string, data: unknown): string {
	const file = path.join(tmp, name);
	fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
	return file;
}

describe('importing ISTAT census sections', () => {
	it('a 2021 shapefile with the census variables table: the served comune only, reprojected, residents joined', async () => {
		const directory = () => sql`SELECT (SELECT count(*) FROM organization)::int AS o, (SELECT count(*) FROM service)::int AS s,
			(SELECT count(*) FROM location)::int AS l, (SELECT md5(string_agg(id::text || name, ',' ORDER BY id)) FROM neighbourhood) AS n`;
		const before = await directory();
		const report = await importSections({ file: fixture('sections.shp'), census: fixture('sezioni-2021.csv') });
		expect(report).toMatchObject({ crs: 'prj', read: 7, kept: LECCO.sections, residents: LECCO.residents, codeField: 'SEZ21_ID', populationField: 'P1', referenceDate: '2021-12-31', written: true });
		expect(report.filter).toEqual({ by: 'field', field: 'PRO_COM', comuni: ['097042'] });
		expect(await census.summary()).toEqual({ sections: 6, residents: LECCO.residents, referenceDate: '2021-12-31', source: 'istat-sezioni-2021' });
		expect((await sql`SELECT 1 FROM census_section WHERE code = '970220000001'`).length).toBe(0);
		const [source] = await sql<{ licence: string }[]>`SELECT licence FROM source WHERE id = 'istat-sezioni-2021'`;
		expect(source?.licence).toBe('CC BY 4.0');
		// It writes census_section only: the directory and the rioni are as they were.
		expect(await directory()).toEqual(before);
	});

	it("reprojects from UTM 32N: Acquate's label point lies in Acquate's section, and that section in the rione Acquate", async () => {
		const [row] = await sql<{ code: string; rione: string; residents: number }[]>`
			SELECT s.code, n.name AS rione, s.residents FROM census_section s
			JOIN neighbourhood n ON ST_Intersects(n.geom, ST_PointOnSurface(s.geom))
			WHERE ST_Intersects(s.geom, ST_SetSRID(ST_MakePoint(9.40863, 45.8603), 4326))`;
		expect(row).toEqual({ code: '970420000001', rione: 'Acquate', residents: 310 });
		// An independent check of the reprojection: the section's centre is where proj4 sends it back.
		const [centre] = await sql<{ x: number; y: number }[]>`
			SELECT ST_X(c)::float8 AS x, ST_Y(c)::float8 AS y FROM (SELECT ST_Centroid(ST_Transform(geom, 32632)) AS c FROM census_section WHERE code = '970420000001') t`;
		const [x, y] = proj4('EPSG:4326', '+proj=utm +zone=32 +datum=WGS84 +units=m +no_defs', [9.40863, 45.8603]);
		expect(Math.hypot(centre!.x - x!, centre!.y - y!)).toBeLessThan(1);
		// Olate's section keeps its hole: 120 m square less a 40 m one.
		const [olate] = await sql<{ area: number }[]>`SELECT ST_Area(ST_Transform(geom, 32632))::float8 AS area FROM census_section WHERE code = '970420000006'`;
		expect(olate!.area).toBeCloseTo(120 * 120 - 40 * 40, -1);
	});

	it('sums residents per rione, and the totals equal the file', async () => {
		const totals = await sql<{ rione: string; residents: number }[]>`
			SELECT n.name AS rione, sum(s.residents)::int AS residents FROM census_section s
			JOIN neighbourhood n ON ST_Intersects(n.geom, ST_PointOnSurface(s.geom)) GROUP BY n.name ORDER BY n.name`;
		expect(totals).toEqual([
			{ rione: 'Acquate', residents: 310 },
			{ rione: 'Centro', residents: 420 },
			{ rione: 'Germanedo', residents: 255 },
			{ rione: 'Laorca', residents: 0 },
			{ rione: 'Maggianico', residents: 180 },
			{ rione: 'Olate', residents: 97 }
		]);
	});

	it('reads the same sections from the zip ISTAT distributes', async () => {
		await sql`DELETE FROM census_section`;
		const report = await importSections({ file: fixture('sections.zip'), census: fixture('sezioni-2021.csv') });
		expect(report).toMatchObject({ kept: 6, residents: LECCO.residents, crs: 'prj' });
		expect((await census.summary()).sections).toBe(6);
	});

	it('a shapefile without its .prj is taken as ISTAT publishes, EPSG:32632 (or --crs)', async () => {
		for (const ext of ['shp', 'shx', 'dbf']) fs.copyFileSync(fixture(`sections.${ext}`), path.join(tmp, `noprj.${ext}`));
		const report = await importSections({ file: path.join(tmp, 'noprj.shp'), census: fixture('sezioni-2021.csv'), dryRun: true });
		expect(report).toMatchObject({ crs: 'EPSG:32632', kept: 6, residents: LECCO.residents });
		expect(report.perRione.find((r) => r.rione === 'Centro')).toEqual({ rione: 'Centro', sections: 1, residents: 420 });
	});

	it('a 2011-style projected GeoJSON with P1 on the features, replacing every row', async () => {
		const report = await importSections({ file: fixture('sections-2011.geojson') });
		expect(report).toMatchObject({ kept: 6, residents: LECCO.residents, codeField: 'SEZ2011', populationField: 'P1', crs: 'EPSG:32632', referenceDate: '2011-10-09' });
		const summary = await census.summary();
		expect(summary).toMatchObject({ sections: 6, residents: LECCO.residents, referenceDate: '2011-10-09', source: 'istat-sezioni-2011' });
		// The 2021 codes are gone: the table is exactly the last file's sections.
		expect((await sql`SELECT 1 FROM census_section WHERE code = '970420000001'`).length).toBe(0);
		expect((await sql`SELECT 1 FROM census_section WHERE code = '97042000001'`).length).toBe(1);
	});

	it('without a comune field, keeps the sections that lie in the served comune', async () => {
		const data = geojson();
		for (const f of data.features) delete f.properties!.PRO_COM;
		const report = await importSections({ file: write('no-comune.geojson', data), dryRun: true });
		expect(report).toMatchObject({ read: 7, kept: 6, residents: LECCO.residents, filter: { by: 'area' } });
	});

	it('--dry-run reads, checks and reports, and writes nothing', async () => {
		const before = await census.summary();
		const audits = (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_event WHERE action = 'census_section.import'`)[0]!.n;
		const report = await importSections({ file: fixture('sections.shp'), census: fixture('sezioni-2021.csv'), dryRun: true });
		expect(report).toMatchObject({ kept: 6, residents: LECCO.residents, written: false });
		expect(report.perRione.find((r) => r.rione === 'Acquate')).toEqual({ rione: 'Acquate', sections: 1, residents: 310 });
		expect(await census.summary()).toEqual(before);
		expect((await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_event WHERE action = 'census_section.import'`)[0]!.n).toBe(audits);
	});

	it('refuses a bad file whole, saying what is wrong, and leaves the table as it was', async () => {
		const before = await census.summary();
		const bowtie = geojson();
		const [x, y] = (bowtie.features[1]!.geometry as { coordinates: number[][][] }).coordinates[0]![0]!;
		(bowtie.features[1]!.geometry as { coordinates: number[][][] }).coordinates = [[[x!, y!], [x! + 100, y! + 100], [x! + 100, y!], [x!, y! + 100], [x!, y!]]];
		bowtie.features[2]!.properties!.P1 = -3;
		bowtie.features[3]!.properties!.SEZ2011 = bowtie.features[0]!.properties!.SEZ2011;
		const error = await importSections({ file: write('bad.geojson', bowtie) }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(CensusImportError);
		const problems = (error as CensusImportError).problems.join('\n');
		expect(problems).toMatch(/section 97042000002: polygon 1 is not valid: its boundary crosses itself/);
		expect(problems).toMatch(/section 97042000003: population -3 is not a whole number/);
		expect(problems).toMatch(/section 97042000001: appears more than once/);
		expect(await census.summary()).toEqual(before);

		const cases: [string, RegExp][] = [
			[write('missing-p1.csv', 'SEZ21_ID;P2\n970420000001;3\n'), /needs columns SEZ21_ID and P1/],
			[write('partial.csv', 'SEZ21_ID;P1\n970420000001;3\n'), /section 970420000002: no population \(P1 in partial\.csv\)/]
		];
		for (const [csv, message] of cases) {
			await expect(importSections({ file: fixture('sections.shp'), census: csv })).rejects.toThrow(message);
		}
		await expect(importSections({ file: fixture('sections.shp') })).rejects.toThrow(/No population field .*--census/);
		await expect(importSections({ file: write('x.geojson', '{') })).rejects.toBeInstanceOf(CensusFileError);
		await expect(importSections({ file: write('x.kml', '<kml/>') })).rejects.toThrow(/expected a \.shp/);
		// Coordinates in the wrong CRS land far from Lecco: refused, not imported somewhere else.
		const data = geojson();
		delete (data as { crs?: unknown }).crs;
		await expect(importSections({ file: write('wrong-crs.geojson', data), crs: 'EPSG:3857' })).rejects.toThrow(/outside the served comune/);
		await expect(importSections({ file: fixture('sections-2011.geojson'), referenceDate: '2021-02-30' })).rejects.toThrow(/not a real day/);
		expect(await census.summary()).toEqual(before);
	});

	it('the command: usage errors exit 2 before touching any database', () => {
		const result = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/import-sections.ts'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } });
		expect(result.status).toBe(2);
		expect(result.stderr).toMatch(/Usage: npm run import:sections/);
	});
});
