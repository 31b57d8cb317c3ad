import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapRows, mappingFor, type ImportRow } from '../../src/lib/domain/imports';
import { createUser } from '../../src/lib/server/auth/users';
import type { User } from '../../src/lib/server/db/accounts';
import { sql } from '../../src/lib/server/db/client';
import * as imports from '../../src/lib/server/db/imports';
import * as partner from '../../src/lib/server/db/partner';
import { readImportFile } from '../../src/lib/server/imports/files';
import { commitImport, type ImportInput } from '../../src/lib/server/imports/imports';
import * as edits from '../../src/lib/server/partner/edits';
import { ADDRESS_ROWS, BAD_ROWS, ROWS, fixtureRows, toCsv } from '../setup/import-fixture';

// Issue 15, item 3: a file of 50 associations with three bad rows — the report, the refusal that
// writes nothing, the fixed rows committed with their provenance, the re-import that changes
// nothing and keeps what a partner edited, and the rollback of a commit that fails half-way.

const run = Date.now().toString(36);
const SOURCE = `test-import-${run}`;
const source = { id: SOURCE, name: `Elenco associazioni (test ${run})`, licence: 'CC BY 4.0', url: '' };
const MARGIN = 3000;
let admin: User;
let editor: User;

function table() {
	const file = readImportFile('associazioni.csv', new TextEncoder().encode(toCsv(fixtureRows(`T${run}`))));
	const mapping = mappingFor(file.columns, null);
	return { file, mapping, rows: mapRows(file.records, mapping) };
}

function input(rows: ImportRow[], mapping = table().mapping): ImportInput {
	return { source, format: 'csv', fileName: 'associazioni.csv', mapping, rows };
}

/** The three bad rows as an administrator fixes them in the preview. */
function fixed(rows: ImportRow[]): ImportRow[] {
	return rows.map((row, i) => {
		const n = i + 1;
		if (n === BAD_ROWS.email) return { ...row, email: 'info7@associazione.example.org' };
		if (n === BAD_ROWS.category) return { ...row, kind: 'Associazioni e terzo settore' };
		if (n === BAD_ROWS.outside) return { ...row, lon: '9.3930', lat: '45.8560' };
		return row;
	});
}

const count = async () => (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM organization WHERE source_id = ${SOURCE}`)[0]!.n;

beforeAll(async () => {
	admin = await createUser({ email: `import-admin-${run}@example.org`, role: 'admin', password: 'correct horse battery staple' });
});

afterAll(async () => {
	await sql`DELETE FROM organization WHERE source_id = ${SOURCE}`;
	await sql`DELETE FROM import_run WHERE source_id = ${SOURCE}`;
	await sql`DELETE FROM source WHERE id = ${SOURCE}`;
	await sql`DELETE FROM app_user WHERE email LIKE ${`import-%-${run}@example.org`}`;
});

describe('importing a CSV of associations', () => {
	it('reads the spreadsheet, guesses the mapping from the Italian headers and reports the three bad rows', async () => {
		const { file, mapping, rows } = table();
		expect(file.records).toHaveLength(ROWS);
		expect(mapping).toMatchObject({ ref: 'id', name: 'nome', kind: 'categoria', email: 'email', lat: 'lat', lon: 'lon', address: 'indirizzo', needs: 'bisogni', opening_hours: 'orari' });
		const refused = await commitImport(input(rows), admin, { servedMarginM: MARGIN });
		expect(refused.ok).toBe(false);
		const report = refused.check!.rows;
		expect(refused.check!.invalid).toBe(3);
		expect(report.filter((r) => r.problems.length > 0).map((r) => [r.row, r.problems])).toEqual([
			[BAD_ROWS.email, [{ field: 'email', code: 'email' }]],
			[BAD_ROWS.category, [{ field: 'kind', code: 'unknown_code' }]],
			[BAD_ROWS.outside, [{ field: 'lon', code: 'outside_area' }]]
		]);
		// Rows with only an address are placed by the gazetteer, the others at their own coordinates.
		for (const n of ADDRESS_ROWS) expect(report[n - 1]).toMatchObject({ pointFrom: 'gazetteer', neighbourhood: 'Pescarenico' });
		expect(report[0]).toMatchObject({ pointFrom: 'coordinates', point: { lon: 9.385, lat: 45.845 } });
		// All or nothing: not one row was written, no source, no mapping.
		expect(await count()).toBe(0);
		expect(await imports.savedMapping(SOURCE)).toBeNull();
	});

	it('commits the fixed rows in one go, with their source, licence and import recorded per record', async () => {
		const { rows, mapping } = table();
		const dry = await commitImport(input(fixed(rows)), admin, { servedMarginM: MARGIN, dryRun: true });
		expect(dry).toMatchObject({ ok: true, created: 0 });
		expect(await count()).toBe(0);

		const done = await commitImport(input(fixed(rows)), admin, { servedMarginM: MARGIN, address: '192.0.2.1' });
		expect(done).toMatchObject({ ok: true, created: ROWS, updated: 0, unchanged: 0, kept: [] });
		if (!done.ok) return;
		const records = await sql<{ ref: string; licence: string; run: string; kind: string; email: string | null; website: string | null; needs: string[]; hours: string | null }[]>`
			SELECT o.source_ref AS ref, r.licence, o.import_run_id::text AS run, o.kind, o.email, o.website,
				ARRAY(SELECT sn.need FROM service_need sn JOIN service s ON s.id = sn.service_id WHERE s.organization_id = o.id ORDER BY sn.need) AS needs,
				(SELECT oh.expression FROM service s JOIN service_at_location sal ON sal.service_id = s.id
					LEFT JOIN schedule sch ON sch.service_at_location_id = sal.id LEFT JOIN opening_hours oh ON oh.id = sch.opening_hours_id
					WHERE s.organization_id = o.id) AS hours
			FROM organization o JOIN import_run r ON r.id = o.import_run_id
			WHERE o.source_id = ${SOURCE} ORDER BY o.source_ref`;
		expect(records).toHaveLength(ROWS);
		expect(new Set(records.map((r) => r.run))).toEqual(new Set([done.runId]));
		expect(records.every((r) => r.licence === 'CC BY 4.0' && r.kind === 'partner')).toBe(true);
		expect(records[BAD_ROWS.category - 1]).toMatchObject({ kind: 'partner' });
		expect(records[4]).toMatchObject({ ref: 'ass-005', website: 'https://www.associazione5.example.org' });
		expect(records[0]).toMatchObject({ needs: ['elderly'], hours: null });
		expect(records[5]).toMatchObject({ needs: ['food', 'listening'], hours: 'Mo-Fr 09:00-12:00' });
		// On the public map with their source.
		const [shown] = await sql<{ n: number; source: string }[]>`
			SELECT count(*)::int AS n, min(s.name) AS source FROM public_resource p JOIN source s ON s.id = p.source_id WHERE p.source_id = ${SOURCE}`;
		expect(shown).toEqual({ n: ROWS, source: source.name });
		expect(await imports.savedMapping(SOURCE)).toEqual(mapping);
		const [event] = await sql<{ detail: Record<string, unknown> }[]>`
			SELECT detail FROM audit_event WHERE action = 'directory.import' AND subject_id = ${done.runId}`;
		expect(event!.detail).toMatchObject({ source: SOURCE, rows: ROWS, created: ROWS });
	});

	it('imports again by external id without duplicating, and never overwrites what a partner edited since', async () => {
		const [org] = await sql<{ id: string; updated_at: Date }[]>`SELECT id::text, updated_at FROM organization WHERE source_id = ${SOURCE} AND source_ref = 'ass-002'`;
		const again = await commitImport(input(fixed(table().rows)), admin, { servedMarginM: MARGIN });
		expect(again).toMatchObject({ ok: true, created: 0, updated: ROWS, unchanged: ROWS, kept: [] });
		expect(await count()).toBe(ROWS);
		const [same] = await sql<{ updated_at: Date }[]>`SELECT updated_at FROM organization WHERE id = ${org!.id}::uuid`;
		expect(same!.updated_at).toEqual(org!.updated_at);

		// A partner of association 2 rewrites its description on the partner pages.
		editor = await createUser({ email: `import-partner-${run}@example.org`, role: 'partner', password: 'correct horse battery staple', organization: org!.id });
		const values = edits.organizationValues((await partner.organizationPage(org!.id))!.fields);
		const form = new FormData();
		form.set('name', values.name);
		form.set('description', 'Scritta dal partner');
		form.set('email', values.email);
		form.set('website', values.website);
		for (const phone of values.phones) {
			form.append('phone_number', phone.number);
			form.append('phone_description', phone.description);
		}
		const saved = await edits.save('organization', org!.id, org!.id, edits.parseOrganizationForm(form), { id: editor.id, email: editor.email, address: '192.0.2.1' }, null);
		expect(saved).toMatchObject({ ok: true, status: 'saved' });

		// The source's next file changes that description and the email: the email follows the file, the description stays the partner's.
		const next = fixed(table().rows).map((row) => (row.ref === 'ass-002' ? { ...row, description: 'Nuova descrizione dal file', email: 'nuova@associazione.example.org' } : row));
		const third = await commitImport(input(next), admin, { servedMarginM: MARGIN });
		expect(third).toMatchObject({ ok: true, created: 0, unchanged: ROWS - 1, kept: [{ entity: 'organization', record: `${SOURCE}/ass-002`, field: 'description', reason: 'edited' }] });
		const [after] = await sql<{ description: string; email: string }[]>`SELECT description, email FROM organization WHERE id = ${org!.id}::uuid`;
		expect(after).toEqual({ description: 'Scritta dal partner', email: 'nuova@associazione.example.org' });
	});

	it('refuses a source that belongs to the seed, and rolls the whole import back when a write fails half-way', async () => {
		const { rows } = table();
		const seedSource = await commitImport({ ...input(fixed(rows)), source: { ...source, id: 'geonames' } }, admin, { servedMarginM: MARGIN });
		expect(seedSource).toMatchObject({ ok: false, sourceProblems: [{ field: 'id', code: 'invalid' }] });

		// The database refuses the 40th organisation (a trigger stands for any failure while writing).
		const other = `${SOURCE}-b`;
		const victim = `T${run} Associazione 40`;
		await sql.unsafe(`CREATE OR REPLACE FUNCTION test_import_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN IF NEW.name = '${victim}' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$`);
		await sql`CREATE TRIGGER test_import_refuse BEFORE INSERT ON organization FOR EACH ROW EXECUTE FUNCTION test_import_refuse()`;
		try {
			await expect(commitImport({ ...input(fixed(rows)), source: { ...source, id: other } }, admin, { servedMarginM: MARGIN })).rejects.toThrow();
		} finally {
			await sql`DROP TRIGGER test_import_refuse ON organization`;
			await sql`DROP FUNCTION test_import_refuse()`;
		}
		const [left] = await sql<{ orgs: number; sources: number; runs: number }[]>`
			SELECT (SELECT count(*)::int FROM organization WHERE source_id = ${other}) AS orgs,
				(SELECT count(*)::int FROM source WHERE id = ${other}) AS sources,
				(SELECT count(*)::int FROM import_run WHERE source_id = ${other}) AS runs`;
		expect(left).toEqual({ orgs: 0, sources: 0, runs: 0 });
	});
});
