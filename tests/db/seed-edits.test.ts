import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/users';
import type { User } from '../../src/lib/server/db/accounts';
import { sql } from '../../src/lib/server/db/client';
import * as partner from '../../src/lib/server/db/partner';
import * as edits from '../../src/lib/server/partner/edits';
import type { DirectoryBundle } from '../../src/lib/server/seed/bundle';
import { seed } from '../../src/lib/server/seed/load';

// Issue 10: a changed seed file must not overwrite what a partner edited since it was loaded.
// A fixture bundle in a copy of db/ (the real seed files there are unchanged, so only it loads).

const SOURCE = 'test-seed-edits';
const FILE = 'lecco/zz-test-seed-edits.directory.json';
const run = Date.now().toString(36);
let assets: string;
let editor: User;

const v1: DirectoryBundle = {
	source: { id: SOURCE, name: 'Test seed edits', licence: 'CC0', url: null, attribution: 'Test' },
	verified_at: '2026-01-15',
	demo: false,
	organizations: [
		{
			ref: 'x',
			name: 'Associazione Seme (test)',
			kind: 'partner',
			description: 'Descrizione dal file',
			phones: [{ number: '0341 000 010' }],
			locations: [{ ref: 'sede', name: 'Sede Seme', lon: 9.4053, lat: 45.8521, address: 'Via Seme 1', confidential: false }],
			services: [
				{
					ref: 'spesa',
					name: 'Spesa Seme',
					description: 'Pacchi',
					category: 'partner',
					needs: ['food'],
					audiences: ['families'],
					accepting_new: true,
					phones: [],
					at: [{ location: 'sede', opening_hours: 'Mo 09:00-12:00' }]
				},
				{
					ref: 'vecchio',
					name: 'Servizio che il file toglierà',
					description: '',
					category: 'partner',
					needs: ['listening'],
					audiences: [],
					accepting_new: null,
					phones: [],
					at: [{ location: 'sede', opening_hours: null }]
				}
			]
		}
	]
};

function write(bundle: DirectoryBundle) {
	fs.writeFileSync(path.join(assets, 'seed', FILE), JSON.stringify(bundle));
}

function form(entries: Record<string, string | string[]>): FormData {
	const data = new FormData();
	for (const [key, value] of Object.entries(entries)) for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
	return data;
}

async function ids() {
	const [row] = await sql<{ org: string; service: string; sede: string }[]>`
		SELECT o.id::text AS org, s.id::text AS service, l.id::text AS sede
		FROM organization o JOIN service s ON s.organization_id = o.id AND s.source_ref = 'spesa'
		JOIN location l ON l.organization_id = o.id AND l.source_ref = 'sede'
		WHERE o.source_id = ${SOURCE} AND o.source_ref = 'x'`;
	return row!;
}

async function organizations() {
	return sql<{ ref: string; name: string; description: string; services: string[] }[]>`
		SELECT o.source_ref AS ref, o.name, o.description,
			ARRAY(SELECT s.name FROM service s WHERE s.organization_id = o.id ORDER BY s.name) AS services
		FROM organization o WHERE o.source_id = ${SOURCE} ORDER BY o.source_ref`;
}

beforeAll(async () => {
	assets = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-seed-edits-'));
	fs.cpSync('db', assets, { recursive: true });
	write(v1);
	const first = await seed({ dbAssetsDir: assets, demo: true });
	expect(first).toEqual({ loaded: [FILE], demo: true, kept: [] });
	editor = await createUser({ email: `seme-${run}@example.org`, role: 'partner', password: 'correct horse battery staple', organization: (await ids()).org });
});

afterAll(async () => {
	await sql`DELETE FROM organization WHERE source_id = ${SOURCE}`;
	await sql`DELETE FROM source WHERE id = ${SOURCE}`;
	await sql`DELETE FROM seed_load WHERE name = ${FILE}`;
	await sql`DELETE FROM app_user WHERE email = ${`seme-${run}@example.org`}`;
	fs.rmSync(assets, { recursive: true, force: true });
});

describe('a changed seed file meets partner edits', () => {
	it('keeps the fields a partner edited, updates the others, adds new records and reports what it kept', async () => {
		const { org, service, sede } = await ids();
		const actor = { id: editor.id, email: editor.email, address: '192.0.2.1' };
		// The partner rewrites the organisation's description, and the service's needs and hours, on the partner pages.
		const orgPage = (await partner.organizationPage(org))!;
		const orgValues = edits.organizationValues(orgPage.fields);
		const savedOrg = await edits.save(
			'organization',
			org,
			org,
			edits.parseOrganizationForm(
				form({
					name: orgValues.name,
					description: 'Scritta dal partner',
					email: orgValues.email,
					website: orgValues.website,
					phone_number: orgValues.phones.map((p) => p.number),
					phone_description: orgValues.phones.map((p) => p.description)
				})
			),
			actor,
			null
		);
		expect(savedOrg).toMatchObject({ ok: true, status: 'saved' });
		const servicePage = (await partner.servicePage(org, service))!;
		const { hours, ...values } = edits.serviceValues(servicePage.fields, [sede]);
		expect(hours).toEqual({ [sede]: 'Mo 09:00-12:00' });
		const savedService = await edits.save(
			'service',
			org,
			service,
			edits.parseServiceForm(
				form({ ...values, needs: ['food', 'clothing'], accepting_new: values.accepting_new, [edits.hoursField(sede)]: 'Mo-Fr 09:00-12:00' }),
				[sede]
			),
			actor,
			null
		);
		expect(savedService).toMatchObject({ ok: true, status: 'saved' });

		// The file changes the edited fields and others, drops an untouched service, adds a service and an organisation.
		const org1 = v1.organizations[0]!;
		const v2: DirectoryBundle = {
			...v1,
			verified_at: '2026-02-01',
			organizations: [
				{
					...org1,
					name: 'Associazione Seme ETS (test)',
					description: 'Nuova descrizione dal file',
					services: [
						{ ...org1.services[0]!, name: 'Emporio Seme', needs: ['food', 'money'], at: [{ location: 'sede', opening_hours: 'Tu 09:00-12:00' }] },
						{ ...org1.services[0]!, ref: 'nuovo', name: 'Doposcuola Seme', needs: ['homework'] }
					]
				},
				{ ...org1, ref: 'y', name: 'Associazione Germoglio (test)', services: [{ ...org1.services[0]!, name: 'Spesa Germoglio' }] }
			]
		};
		write(v2);
		const report = await seed({ dbAssetsDir: assets, demo: true });
		expect(report.loaded).toEqual([FILE]);
		expect(report.kept).toEqual([
			{ entity: 'organization', record: `${SOURCE}/x`, name: 'Associazione Seme ETS (test)', field: 'description', reason: 'edited' },
			{ entity: 'service', record: `${SOURCE}/x/spesa`, name: 'Emporio Seme', field: 'needs', reason: 'edited' },
			{ entity: 'service', record: `${SOURCE}/x/spesa`, name: 'Emporio Seme', field: 'hours.sede', reason: 'edited' }
		]);
		expect(await organizations()).toEqual([
			// Name from the file (untouched), description the partner's; the untouched service went, the new one came.
			{ ref: 'x', name: 'Associazione Seme ETS (test)', description: 'Scritta dal partner', services: ['Doposcuola Seme', 'Emporio Seme'] },
			{ ref: 'y', name: 'Associazione Germoglio (test)', description: 'Descrizione dal file', services: ['Spesa Germoglio'] }
		]);
		const fields = (await partner.currentFields('service', org, service))!;
		expect(fields).toMatchObject({ name: 'Emporio Seme', needs: ['clothing', 'food'], [edits.hoursField(sede)]: 'Mo-Fr 09:00-12:00' });
		// The partner confirmed the record today: the file's older date does not move it back.
		const [dates] = await sql<{ org: string }[]>`SELECT to_char(verified_at, 'YYYY-MM-DD') AS org FROM organization WHERE id = ${org}::uuid`;
		expect(dates!.org > '2026-02-01').toBe(true);

		// Loading again changes nothing and reports nothing.
		expect(await seed({ dbAssetsDir: assets, demo: true })).toEqual({ loaded: [], demo: true, kept: [] });
	});

	it('records loaded before snapshots existed: the change history says what was edited', async () => {
		await sql`UPDATE organization SET seeded = NULL WHERE source_id = ${SOURCE}`;
		await sql`UPDATE service SET seeded = NULL WHERE organization_id IN (SELECT id FROM organization WHERE source_id = ${SOURCE})`;
		const bundle = JSON.parse(fs.readFileSync(path.join(assets, 'seed', FILE), 'utf8')) as DirectoryBundle;
		bundle.organizations[0]!.description = 'Terza descrizione dal file';
		bundle.organizations[0]!.phones = [{ number: '0341 000 011' }];
		write(bundle);
		const report = await seed({ dbAssetsDir: assets, demo: true });
		expect(report.kept.map((k) => `${k.record} ${k.field}`)).toEqual([
			`${SOURCE}/x description`,
			`${SOURCE}/x/spesa needs`,
			`${SOURCE}/x/spesa hours.sede`
		]);
		const [row] = await sql<{ description: string; phones: string[] }[]>`
			SELECT o.description, ARRAY(SELECT p.number FROM phone p WHERE p.organization_id = o.id) AS phones
			FROM organization o WHERE o.source_id = ${SOURCE} AND o.source_ref = 'x'`;
		expect(row).toEqual({ description: 'Scritta dal partner', phones: ['0341 000 011'] });
	});

	it('an organisation the file drops stays when a partner edited it; an untouched one goes', async () => {
		const bundle = JSON.parse(fs.readFileSync(path.join(assets, 'seed', FILE), 'utf8')) as DirectoryBundle;
		write({ ...bundle, organizations: [] });
		const report = await seed({ dbAssetsDir: assets, demo: true });
		expect(report.kept).toEqual([
			{ entity: 'organization', record: `${SOURCE}/x`, name: 'Associazione Seme ETS (test)', field: null, reason: 'in use' }
		]);
		expect((await organizations()).map((o) => o.ref)).toEqual(['x']);
	});

	it('a bundle the database refuses loads nothing and stays to be loaded again (one transaction per file)', async () => {
		const [before] = await sql<{ checksum: string }[]>`SELECT checksum FROM seed_load WHERE name = ${FILE}`;
		const bundle = JSON.parse(fs.readFileSync(path.join(assets, 'seed', FILE), 'utf8')) as DirectoryBundle;
		const fresh = { ...v1.organizations[0]!, ref: 'z', name: 'Associazione Zeta (test)' };
		// A refusal only the database makes (a constraint for this test), in the second organisation.
		await sql`ALTER TABLE organization ADD CONSTRAINT test_seed_refusal CHECK (name <> 'Associazione Refusa (test)') NOT VALID`;
		try {
			write({ ...bundle, organizations: [fresh, { ...fresh, ref: 'w', name: 'Associazione Refusa (test)' }] });
			await expect(seed({ dbAssetsDir: assets, demo: true })).rejects.toThrow(/test_seed_refusal/);
		} finally {
			await sql`ALTER TABLE organization DROP CONSTRAINT test_seed_refusal`;
		}
		expect((await organizations()).map((o) => o.ref)).toEqual(['x']);
		const [after] = await sql<{ checksum: string }[]>`SELECT checksum FROM seed_load WHERE name = ${FILE}`;
		expect(after).toEqual(before);
	});
});
