import { afterAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/server/db/client';
import * as directory from '../../src/lib/server/db/directory';
import type { DirectoryBundle } from '../../src/lib/server/seed/bundle';

const SOURCE = 'test-directory';

function bundle(overrides: Partial<DirectoryBundle> = {}): DirectoryBundle {
	return {
		source: { id: SOURCE, name: 'Test', licence: 'CC0', url: null, attribution: 'Test' },
		verified_at: '2026-11-01',
		demo: false,
		organizations: [
			{
				ref: 'org-a',
				name: 'Associazione A',
				kind: 'partner',
				description: '',
				phones: [{ number: '0341 000 001' }],
				locations: [{ ref: 'main', name: 'Sede', lon: 9.405, lat: 45.852, confidential: false }],
				services: [
					{
						ref: 'food',
						name: 'Spesa solidale A',
						description: '',
						category: 'partner',
						needs: ['food', 'money'],
						audiences: ['families'],
						accepting_new: true,
						phones: [],
						at: [{ location: 'main', opening_hours: 'Mo-Fr 09:00-12:00' }]
					}
				]
			}
		],
		...overrides
	};
}

async function snapshot() {
	return sql`
		SELECT o.source_ref AS org, s.source_ref AS service, s.name, l.source_ref AS location,
			ST_AsText(l.geom) AS point, oh.expression AS hours,
			ARRAY(SELECT need FROM service_need WHERE service_id = s.id ORDER BY need) AS needs
		FROM organization o
		LEFT JOIN service s ON s.organization_id = o.id
		LEFT JOIN service_at_location sal ON sal.service_id = s.id
		LEFT JOIN location l ON l.id = sal.location_id
		LEFT JOIN schedule sch ON sch.service_at_location_id = sal.id
		LEFT JOIN opening_hours oh ON oh.id = sch.opening_hours_id
		WHERE o.source_id = ${SOURCE}
		ORDER BY 1, 2, 4`;
}

afterAll(async () => {
	await sql`DELETE FROM organization WHERE source_id = ${SOURCE}`;
	await sql`DELETE FROM source WHERE id = ${SOURCE}`;
});

describe('syncing a directory bundle', () => {
	it('writes organisations, locations, services, needs and hours', async () => {
		await directory.syncBundle(bundle());
		const rows = await snapshot();
		expect(rows).toEqual([
			{ org: 'org-a', service: 'food', name: 'Spesa solidale A', location: 'main', point: 'POINT(9.405 45.852)', hours: 'Mo-Fr 09:00-12:00', needs: ['food', 'money'] }
		]);
	});

	it('updates in place when synced again, and removes what the bundle dropped', async () => {
		const first = bundle();
		const org = first.organizations[0]!;
		const changed = bundle({
			organizations: [
				{
					...org,
					services: [{ ...org.services[0]!, name: 'Emporio A', needs: ['food'], at: [{ location: 'main', opening_hours: null }] }]
				}
			]
		});
		const [before] = await sql`SELECT id FROM organization WHERE source_id = ${SOURCE}`;
		await directory.syncBundle(changed);
		const [after] = await sql`SELECT id FROM organization WHERE source_id = ${SOURCE}`;
		expect(after!.id).toBe(before!.id);
		expect(await snapshot()).toEqual([
			{ org: 'org-a', service: 'food', name: 'Emporio A', location: 'main', point: 'POINT(9.405 45.852)', hours: null, needs: ['food'] }
		]);
		const report = await directory.syncBundle(bundle({ organizations: [] }));
		expect(report.removed).toBe(1);
		expect(await snapshot()).toEqual([]);
	});

	it('refuses invalid opening hours before writing anything', async () => {
		const bad = bundle();
		bad.organizations[0]!.services[0]!.at[0]!.opening_hours = 'Mo-Fr 25:00-12';
		await expect(directory.syncBundle(bad)).rejects.toThrow(/not valid OSM opening_hours/);
		expect(await snapshot()).toEqual([]);
	});

	it('refuses a point outside the world before writing anything', async () => {
		const bad = bundle();
		bad.organizations[0]!.locations[0]!.lat = 95;
		await expect(directory.syncBundle(bad)).rejects.toThrow(/latitude 95 is outside/);
		expect(await snapshot()).toEqual([]);
	});

	it('refuses a service offered at a location the organisation does not have', async () => {
		const bad = bundle();
		bad.organizations[0]!.services[0]!.at = [{ location: 'elsewhere' }];
		await expect(directory.syncBundle(bad)).rejects.toThrow(/no location with ref "elsewhere"/);
	});

	it('loads a location\'s accessibility note when the file has one, and clears it when the file drops it (issue 12)', async () => {
		const note = 'Ingresso con rampa; ascensore per il primo piano.';
		const withNote = bundle();
		withNote.organizations[0]!.locations[0]!.accessibility = note;
		await directory.syncBundle(withNote);
		const accessibility = async () =>
			(await sql`SELECT l.accessibility_description AS note FROM location l JOIN organization o ON o.id = l.organization_id WHERE o.source_id = ${SOURCE}`)[0]!.note;
		expect(await accessibility()).toBe(note);
		await directory.syncBundle(bundle());
		expect(await accessibility()).toBeNull();
		await directory.syncBundle(bundle({ organizations: [] }));
	});

	it('refuses a record the forms would refuse, naming the field and the same problem code', async () => {
		const bad = bundle();
		bad.organizations[0]!.website = 'ftp://esempio.it';
		bad.organizations[0]!.locations[0]!.accessibility = 'x'.repeat(1001);
		await expect(directory.syncBundle(bad)).rejects.toThrow(/website: url; locations\.0\.accessibility: too_long/);
		expect(await snapshot()).toEqual([]);
	});

	it('writes all or nothing: a database refusal in the second organisation leaves no trace of the first', async () => {
		const good = bundle().organizations[0]!;
		// The field rules refuse the malformed e-mail (syncBundle checks them first): written here
		// without them, as syncBundle writes after its checks, only the database catches this one.
		const broken = { ...good, ref: 'org-b', name: 'B', email: 'not-an-email' };
		const fresh = { id: `${SOURCE}-atomic`, name: 'Fresh', licence: 'CC0', url: null, attribution: 'Fresh' };
		await expect(directory.syncBundle(bundle({ source: fresh, organizations: [good, broken] }))).rejects.toThrow(/email: email/);
		await expect(sql.begin((tx) => directory.applyBundle(tx, bundle({ source: fresh, organizations: [good, broken] })))).rejects.toThrow(/organization_email_check/);
		const [left] = await sql`SELECT (SELECT count(*)::int FROM organization WHERE source_id = ${fresh.id}) AS orgs,
			(SELECT count(*)::int FROM source WHERE id = ${fresh.id}) AS sources`;
		expect(left).toEqual({ orgs: 0, sources: 0 });
	});
});
