import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshStore } from '../setup/fresh-store';
import { mapRows, mappingFor, type ImportRow } from '../../src/lib/domain/imports';
import { sql } from '../../src/lib/server/db/client';
import { dataPackage } from '../../src/lib/server/hsds/export';
import { readImportFile } from '../../src/lib/server/imports/files';
import { commitImport, type ImportInput } from '../../src/lib/server/imports/imports';
import { hsdsAnswers } from '../setup/hsds-answers';
import { hsdsFixture } from '../setup/hsds-fixture';

// Issue 15, item 3: HSDS data packages imported faithfully — every organisation with all its
// places and services, schedules as OSM opening hours, taxonomy terms as the atlas's category,
// needs and audiences (an unknown term reported, not dropped), rioni and capacity — all or nothing
// and idempotent; and the round trip: the Lecco seed's package exported from this store and
// imported into a fresh one answers the same through the HSDS API.

const run = Date.now().toString(36);
const SOURCE = `test-hsds-${run}`;
const source = { id: SOURCE, name: `Associazione Due Sedi (test ${run})`, licence: 'CC BY 4.0', url: '' };
const MARGIN = 3000;
const ORG = `org-${run}`;

const fixturePackage = (options: { hours?: string } = {}) => hsdsFixture(run, options);

function read(bytes: Uint8Array) {
	const table = readImportFile('due-sedi.zip', bytes);
	const mapping = mappingFor(table.columns, null);
	return { table, mapping, rows: mapRows(table.records, mapping) };
}

function input(rows: ImportRow[]): ImportInput {
	const { table, mapping } = read(fixturePackage());
	return { source, format: 'hsds', fileName: 'due-sedi.zip', mapping, rows, credits: table.credits };
}

/** The unknown term as an administrator settles it in the preview: cleared, knowingly. */
const settled = (rows: ImportRow[]) => rows.map((row) => ({ ...row, terms: '' }));

async function stored() {
	return sql<{ service: string; category: string; place: string; address: string | null; hours: string | null; needs: string[]; areas: string[]; capacity: number | null; accepting_new: boolean | null; phones: string[]; accessibility: string | null }[]>`
		SELECT s.name AS service, s.category, l.name AS place, l.address_1 AS address, oh.expression AS hours,
			ARRAY(SELECT sn.need FROM service_need sn WHERE sn.service_id = s.id ORDER BY 1) AS needs,
			ARRAY(SELECT n.name FROM service_area a JOIN neighbourhood n ON n.id = a.neighbourhood_id WHERE a.service_id = s.id ORDER BY 1) AS areas,
			s.capacity, s.accepting_new, l.accessibility_description AS accessibility,
			ARRAY(SELECT p.number FROM phone p WHERE p.service_id = s.id ORDER BY 1) AS phones
		FROM organization o JOIN service s ON s.organization_id = o.id
		JOIN service_at_location sal ON sal.service_id = s.id JOIN location l ON l.id = sal.location_id
		LEFT JOIN schedule sch ON sch.service_at_location_id = sal.id LEFT JOIN opening_hours oh ON oh.id = sch.opening_hours_id
		WHERE o.source_id = ${SOURCE} ORDER BY s.name`;
}

const organizations = async () => (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM organization WHERE source_id = ${SOURCE}`)[0]!.n;

afterAll(async () => {
	await sql`DELETE FROM organization WHERE source_id = ${SOURCE}`;
	await sql`DELETE FROM import_mapping WHERE source_id = ${SOURCE}`;
	await sql`DELETE FROM import_run WHERE source_id = ${SOURCE}`;
	await sql`DELETE FROM source WHERE id = ${SOURCE}`;
});

describe('importing an HSDS data package', () => {
	it('reads one row per service at a place, with its schedule as OSM hours, and reports the unknown term', async () => {
		const { table, rows } = read(fixturePackage());
		expect(table.credits).toBe('Associazione Due Sedi, Lecco, CC BY 4.0');
		expect(rows).toHaveLength(2);
		expect(rows[0]).toMatchObject({
			ref: ORG,
			kind: 'partner',
			service: 'Spesa solidale',
			location_ref: 'l1',
			service_ref: 's1',
			phone: '0341 123456 (Segreteria)',
			address: 'Via Roma 1',
			needs: 'food',
			opening_hours: 'Mo 09:00-12:00,15:00-17:00; We,Fr 09:00-12:00',
			areas: 'Centro',
			capacity: '20',
			accepting_new: 'true'
		});
		expect(rows[1]).toMatchObject({ service: 'Ascolto anziani', location_ref: 'l2', opening_hours: 'Tu 10:00-12:00; We[1,3] 17:00-19:00', terms: 'Open Eligibility: seniors', service_phone: '0341 654321' });

		const refused = await commitImport(input(rows), null, { servedMarginM: MARGIN });
		expect(refused.ok).toBe(false);
		expect(refused.check!.rows.map((r) => r.problems)).toEqual([[], [{ field: 'terms', code: 'unknown_code' }]]);
		expect(await organizations()).toBe(0);
	});

	it('reports a rione the atlas does not know, and a schedule a week cannot say', async () => {
		const { rows } = read(fixturePackage());
		const odd = rows.map((row, i) => (i === 0 ? { ...row, areas: 'Atlantide' } : row));
		const checked = await commitImport(input(settled(odd)), null, { servedMarginM: MARGIN, dryRun: true });
		expect(checked.check!.rows[0]!.problems).toEqual([{ field: 'areas', code: 'unknown_code' }]);
		// A time that is no time: the rows say more than a week can, and the row says so.
		const unreadable = read(fixturePackage({ hours: 'x' })).rows;
		const report = await commitImport(input(settled(unreadable)), null, { servedMarginM: MARGIN, dryRun: true });
		expect(report.check!.rows[0]!.problems).toEqual([{ field: 'opening_hours', code: 'hours_invalid' }]);
	});

	it('writes the organisation with both places and services, their hours, terms, rioni and capacity, in one go', async () => {
		const { rows } = read(fixturePackage());
		const done = await commitImport(input(settled(rows)), null, { servedMarginM: MARGIN });
		expect(done).toMatchObject({ ok: true, created: 1, updated: 0 });
		expect(await organizations()).toBe(1);
		expect(await stored()).toEqual([
			{ service: 'Ascolto anziani', category: 'partner', place: 'Sportello di quartiere', address: null, hours: 'Tu 10:00-12:00; We[1,3] 17:00-19:00', needs: [], areas: [], capacity: null, accepting_new: null, phones: ['0341 654321'], accessibility: 'Ingresso senza gradini' },
			{ service: 'Spesa solidale', category: 'partner', place: 'Sede centrale', address: 'Via Roma 1', hours: 'Mo 09:00-12:00,15:00-17:00; We,Fr 09:00-12:00', needs: ['food'], areas: ['Centro'], capacity: 20, accepting_new: true, phones: [], accessibility: null }
		]);
		const [org] = await sql<{ website: string; phones: string[]; attribution: string; licence: string; run_licence: string }[]>`
			SELECT o.website, ARRAY(SELECT p.number || ' ' || p.description FROM phone p WHERE p.organization_id = o.id) AS phones,
				src.attribution, src.licence, r.licence AS run_licence
			FROM organization o JOIN source src ON src.id = o.source_id JOIN import_run r ON r.id = o.import_run_id
			WHERE o.source_id = ${SOURCE}`;
		expect(org).toEqual({ website: 'https://www.duesedi.example.org', phones: ['0341 123456 Segreteria'], attribution: 'Associazione Due Sedi, Lecco, CC BY 4.0', licence: 'CC BY 4.0', run_licence: 'CC BY 4.0' });
	});

	it('imports the same package again without writing anything, and a changed schedule as an update', async () => {
		const before = await stored();
		const again = await commitImport(input(settled(read(fixturePackage()).rows)), null, { servedMarginM: MARGIN });
		expect(again).toMatchObject({ ok: true, created: 0, updated: 1, unchanged: 1, kept: [] });
		expect(await stored()).toEqual(before);
		const changed = await commitImport(input(settled(read(fixturePackage({ hours: '14:00' })).rows)), null, { servedMarginM: MARGIN });
		expect(changed).toMatchObject({ ok: true, created: 0, updated: 1, unchanged: 0 });
		expect((await stored()).find((s) => s.service === 'Spesa solidale')!.hours).toBe('Mo 09:00-12:00,14:00-17:00; We,Fr 09:00-12:00');
		expect(await organizations()).toBe(1);
	});

	it('leaves a field edited since the last import as it was edited, and says so', async () => {
		// As a partner's page writes it: the service's own row, not the import's snapshot of it.
		await sql`UPDATE service SET name = 'Ascolto anziani (al telefono)' WHERE source_ref = 's2'
			AND organization_id = (SELECT id FROM organization WHERE source_id = ${SOURCE} AND source_ref = ${ORG})`;
		const again = await commitImport(input(settled(read(fixturePackage()).rows)), null, { servedMarginM: MARGIN });
		expect(again).toMatchObject({ ok: true, created: 0, updated: 1, unchanged: 0 });
		if (!again.ok) return;
		expect(again.kept).toEqual([{ entity: 'service', record: `${SOURCE}/${ORG}/s2`, name: 'Ascolto anziani', field: 'name', reason: 'edited' }]);
		const services = await stored();
		expect(services.map((s) => s.service)).toEqual(['Ascolto anziani (al telefono)', 'Spesa solidale']);
		// The rest followed the package (its schedule back to 15:00).
		expect(services[1]!.hours).toBe('Mo 09:00-12:00,15:00-17:00; We,Fr 09:00-12:00');
	});
});

// The round trip: this store's public directory (the Lecco seed; the demo set left out, as the
// export leaves it) exported as a data package and imported into a fresh store holding only the
// territory, run as a process of its own (one store per process), which answers the same.
describe('the Lecco package round trip', () => {
	const server = inject('databaseUrl') !== null;
	let dir: string;
	let env: NodeJS.ProcessEnv;
	let cleanup: () => Promise<void> = async () => {};

	beforeAll(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-hsds-roundtrip-'));
		// The assets without the directory's seed bundles and the demo set: migrations, functions, territory.
		const assets = path.join(dir, 'db');
		fs.mkdirSync(path.join(assets, 'seed', 'lecco'), { recursive: true });
		for (const folder of ['migrations', 'functions']) fs.symlinkSync(path.resolve('db', folder), path.join(assets, folder));
		for (const name of fs.readdirSync('db/seed/lecco').filter((n) => !n.endsWith('.directory.json'))) {
			fs.symlinkSync(path.resolve('db/seed/lecco', name), path.join(assets, 'seed', 'lecco', name));
		}
		// The seed's schools and pharmacies reach into the province, beyond the 3 km an import accepts
		// around Lecco by default: the fresh store serves as far (the largest margin the setting takes).
		({ env, drop: cleanup } = await freshStore({
			server,
			purpose: 'hsds_roundtrip',
			dataDir: path.join(dir, 'data'),
			env: { LOG_LEVEL: 'silent', ATLANTE_DB_ASSETS: assets, ATLANTE_DEMO: '0', ATLANTE_SEED: '1', ATLANTE_SERVED_MARGIN_M: '100000' }
		}));
	});

	afterAll(async () => {
		await cleanup();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('answers the same services, organisations, places, schedules and terms as the store it came from', { timeout: 600_000 }, async () => {
		const file = path.join(dir, 'datapackage.zip');
		fs.writeFileSync(file, await dataPackage('https://atlante.test', { excludeDemo: true }));
		const expected = await hsdsAnswers();
		expect(expected.services.length).toBeGreaterThan(100);

		const out = path.join(dir, 'answers.json');
		const result = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'tests/setup/hsds-roundtrip.ts', file, out], { env, encoding: 'utf8', timeout: 540_000 });
		expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
		const got = JSON.parse(fs.readFileSync(out, 'utf8')) as {
			before: number;
			first: { ok: boolean; rows: number; problems: unknown[]; created: number };
			second: { ok: boolean; created: number; unchanged: number; kept: number };
			source: { attribution: string };
			answers: Awaited<ReturnType<typeof hsdsAnswers>>;
		};
		expect(got.before).toBe(0);
		expect(got.first.problems).toEqual([]);
		expect(got.first).toMatchObject({ ok: true, rows: expected.pins.length });
		// Idempotent: the second import finds every organisation unchanged.
		expect(got.second).toMatchObject({ ok: true, created: 0, unchanged: got.first.created, kept: 0 });
		// The package's credits travel with the records (its sources' attribution and licences).
		const credits = readImportFile('datapackage.zip', new Uint8Array(fs.readFileSync(file))).credits;
		expect(credits).toBeTruthy();
		expect(got.source.attribution).toBe(credits);
		for (const part of ['services', 'organizations', 'pins', 'taxonomies', 'terms'] as const) {
			expect(got.answers[part], part).toEqual(expected[part]);
		}
	});
});
