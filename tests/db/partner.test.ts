import { isHttpError } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInRome } from '../../src/lib/domain/dates';
import { provenanceOf } from '../../src/lib/domain/provenance';
import { requireOrganization } from '../../src/lib/server/auth/access';
import { createUser } from '../../src/lib/server/auth/users';
import type { User } from '../../src/lib/server/db/accounts';
import * as audit from '../../src/lib/server/db/audit';
import { sql } from '../../src/lib/server/db/client';
import * as directory from '../../src/lib/server/db/directory';
import { matchResources } from '../../src/lib/server/db/match';
import * as partner from '../../src/lib/server/db/partner';
import * as resources from '../../src/lib/server/db/resources';
import * as changes from '../../src/lib/server/partner/changes';
import * as edits from '../../src/lib/server/partner/edits';
import type { DirectoryBundle } from '../../src/lib/server/seed/bundle';
import { romeDate as romeDay } from '../setup/clock';

// Two organisations of a test source, each with staff; removed afterwards (the history stays:
// it is append-only and outlives what it describes).
const SOURCE = 'test-partner';
const run = Date.now().toString(36);
const PASSWORD = 'correct horse battery staple';
const SEDE = { lon: 9.4053, lat: 45.8521 };
const OTHER_PLACE = { lon: 9.3935, lat: 45.8565 };

const bundle: DirectoryBundle = {
	source: { id: SOURCE, name: 'Test partner', licence: 'CC0', url: null, attribution: 'Test' },
	verified_at: '2026-11-01',
	demo: false,
	organizations: [
		{
			ref: 'a',
			name: 'Associazione Alfa (test)',
			kind: 'partner',
			description: 'Prima descrizione',
			phones: [{ number: '0341 000 001' }],
			locations: [
				{ ref: 'sede', name: 'Sede Alfa', ...SEDE, address: 'Via Alfa 1', postal_code: '23900', city: 'Lecco', confidential: false },
				{ ref: 'altra', name: 'Sala Alfa', ...OTHER_PLACE, confidential: false }
			],
			services: [
				{
					ref: 'spesa',
					name: 'Spesa solidale Alfa',
					description: 'Pacchi alimentari',
					category: 'partner',
					needs: ['food'],
					audiences: ['families'],
					accepting_new: true,
					phones: [],
					at: [
						{ location: 'sede', opening_hours: '24/7' },
						{ location: 'altra', opening_hours: 'Mo 09:00-12:00' }
					]
				}
			]
		},
		{
			ref: 'b',
			name: 'Associazione Beta (test)',
			kind: 'partner',
			description: 'Beta',
			phones: [],
			locations: [{ ref: 'sede', name: 'Sede Beta', lon: 9.39, lat: 45.85, confidential: false }],
			services: [
				{
					ref: 'ascolto',
					name: 'Ascolto Beta',
					description: '',
					category: 'partner',
					needs: ['listening'],
					audiences: [],
					accepting_new: null,
					phones: [],
					at: [{ location: 'sede', opening_hours: '24/7' }]
				}
			]
		}
	]
};

interface Ids {
	org: string;
	service: string;
	sede: string;
	altra: string;
	/** The public pin of the service at its main location. */
	pin: string;
}

let alfa: Ids;
let beta: { org: string; service: string; location: string };
let editorA: User;
let viewerA: User;
let editorB: User;
let admin: User;
const actor = () => ({ id: editorA.id, email: editorA.email, address: '192.0.2.1' });
const adminActor = () => ({ id: admin.id, email: admin.email, address: '192.0.2.9' });

function form(entries: Record<string, string | string[]>): FormData {
	const data = new FormData();
	for (const [key, value] of Object.entries(entries)) for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
	return data;
}

/** The service form as the page renders it for the current values, with `overrides` typed over. */
async function serviceForm(overrides: Record<string, string | string[]> = {}): Promise<FormData> {
	const page = (await partner.servicePage(alfa.org, alfa.service))!;
	const values = edits.serviceValues(page.fields, page.locations.map((l) => l.id));
	return form({
		name: values.name,
		description: values.description,
		needs: values.needs,
		audiences: values.audiences,
		accepting_new: values.accepting_new,
		email: values.email,
		url: values.url,
		closed_from: values.closed_from,
		closed_until: values.closed_until,
		closure_note: values.closure_note,
		...Object.fromEntries(Object.entries(values.hours).map(([id, expression]) => [edits.hoursField(id), expression])),
		...overrides
	});
}

async function saveService(overrides: Record<string, string | string[]>, who = actor(), version: string | null = null) {
	const page = (await partner.servicePage(alfa.org, alfa.service))!;
	const parsed = edits.parseServiceForm(await serviceForm(overrides), page.locations.map((l) => l.id));
	return edits.save('service', alfa.org, alfa.service, parsed, who, version);
}

const asActor = (user: User) => ({ user, address: '192.0.2.7' });

async function historyCount(): Promise<number> {
	const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM record_change WHERE organization_id = ${alfa.org}::uuid`;
	return row!.n;
}

beforeAll(async () => {
	await directory.syncBundle(bundle);
	const rows = await sql<{ org: string; ref: string; service: string; location: string; location_ref: string; pin: string }[]>`
		SELECT o.id::text AS org, o.source_ref AS ref, s.id::text AS service, l.id::text AS location, l.source_ref AS location_ref, sal.id::text AS pin
		FROM organization o JOIN service s ON s.organization_id = o.id JOIN service_at_location sal ON sal.service_id = s.id
		JOIN location l ON l.id = sal.location_id WHERE o.source_id = ${SOURCE}`;
	const a = rows.filter((r) => r.ref === 'a');
	const b = rows.find((r) => r.ref === 'b')!;
	alfa = {
		org: a[0]!.org,
		service: a[0]!.service,
		sede: a.find((r) => r.location_ref === 'sede')!.location,
		altra: a.find((r) => r.location_ref === 'altra')!.location,
		pin: a.find((r) => r.location_ref === 'sede')!.pin
	};
	beta = { org: b.org, service: b.service, location: b.location };
	editorA = await createUser({ email: `alfa-${run}@example.org`, role: 'partner', password: PASSWORD, organization: alfa.org });
	viewerA = await createUser({ email: `alfa-viewer-${run}@example.org`, role: 'partner', password: PASSWORD, organization: alfa.org, organizationRole: 'viewer' });
	editorB = await createUser({ email: `beta-${run}@example.org`, role: 'partner', password: PASSWORD, organization: beta.org });
	admin = await createUser({ email: `admin-${run}@example.org`, role: 'admin', password: PASSWORD });
});

afterAll(async () => {
	await sql`DELETE FROM organization WHERE source_id = ${SOURCE}`;
	await sql`DELETE FROM source WHERE id = ${SOURCE}`;
	await sql`DELETE FROM app_user WHERE email LIKE ${`%-${run}@example.org`}`;
});

describe('partner edits', () => {
	it('an organisation edit is public at once, and kept in the history with who, before and after', async () => {
		const parsed = edits.parseOrganizationForm(
			form({
				name: 'Associazione Alfa ETS (test)',
				description: 'Nuova descrizione',
				email: 'info@alfa.example.org',
				website: '',
				phone_number: ['0341 000 001', '0341 000 002', ''],
				phone_description: ['', 'Sportello', '']
			})
		);
		const outcome = await edits.save('organization', alfa.org, alfa.org, parsed, actor(), null);
		expect(outcome).toMatchObject({ ok: true, status: 'saved' });

		const detail = await resources.get(alfa.pin);
		expect(detail!.organization).toMatchObject({
			name: 'Associazione Alfa ETS (test)',
			description: 'Nuova descrizione',
			email: 'info@alfa.example.org',
			phones: [
				{ number: '0341 000 001', description: null },
				{ number: '0341 000 002', description: 'Sportello' }
			]
		});
		const [change] = await partner.changes({ organizationId: alfa.org, limit: 1 });
		expect(change).toMatchObject({
			actor_email: editorA.email,
			entity: 'organization',
			entity_id: alfa.org,
			action: 'update',
			before: { name: 'Associazione Alfa (test)', description: 'Prima descrizione', email: null, phones: [{ number: '0341 000 001', description: null }] },
			after: { name: 'Associazione Alfa ETS (test)', description: 'Nuova descrizione', email: 'info@alfa.example.org' },
			reverted_by: null
		});
		// Only what changed is kept: the website was empty and stays empty.
		expect(Object.keys(change!.after).sort()).toEqual(['description', 'email', 'name', 'phones']);
		const [event] = await audit.list({ action: 'organization.update', subjectId: alfa.org, limit: 1 });
		expect(event).toMatchObject({ actor_email: editorA.email, detail: { change: change!.id } });

		// Saving the same values again changes nothing and records nothing.
		const before = await historyCount();
		expect(await edits.save('organization', alfa.org, alfa.org, parsed, actor(), null)).toMatchObject({ ok: true, status: 'unchanged' });
		expect(await historyCount()).toBe(before);
	});

	it('a service edit (needs, capacity, hours at one place) is what the public list and detail show at once', async () => {
		const outcome = await saveService({
			description: 'Pacchi alimentari e vestiti',
			needs: ['food', 'clothing'],
			accepting_new: 'no',
			[edits.hoursField(alfa.sede)]: 'Mo-Fr 09:00-18:00'
		});
		expect(outcome).toMatchObject({ ok: true, status: 'saved' });
		const [listed] = (await resources.list({ q: 'Spesa solidale Alfa', limit: 5 })).filter((r) => r.id === alfa.pin);
		expect(listed).toMatchObject({ needs: ['food', 'clothing'], accepting_new: false });
		const detail = await resources.get(alfa.pin);
		expect(detail).toMatchObject({ description: 'Pacchi alimentari e vestiti', opening_hours: 'Mo-Fr 09:00-18:00', accepting_new: false });
		const [change] = await partner.changes({ entityId: alfa.service, limit: 1 });
		expect(change!.before).toEqual({
			description: 'Pacchi alimentari',
			needs: ['food'],
			accepting_new: true,
			[edits.hoursField(alfa.sede)]: '24/7'
		});
		// The other place's hours were not touched, so they are not part of the change.
		expect(change!.after).not.toHaveProperty(edits.hoursField(alfa.altra));
	});

	it('an administrator reverts a change: the fields come back, as a new change; a second revert is refused', async () => {
		const [change] = await partner.changes({ entityId: alfa.service, limit: 1 });
		const result = await changes.revert(change!.id, adminActor());
		expect(result.status).toBe('reverted');
		const fields = (await partner.currentFields('service', alfa.org, alfa.service))!;
		expect(fields).toMatchObject({ description: 'Pacchi alimentari', needs: ['food'], accepting_new: true, [edits.hoursField(alfa.sede)]: '24/7' });
		expect((await resources.get(alfa.pin))!.opening_hours).toBe('24/7');

		const [undo, original] = await partner.changes({ entityId: alfa.service, limit: 2 });
		expect(undo).toMatchObject({ action: 'revert', reverts: change!.id, actor_email: admin.email, before: change!.after, after: change!.before });
		expect(original).toMatchObject({ id: change!.id, reverted_by: undo!.id });
		expect(await changes.revert(change!.id, adminActor())).toEqual({ status: 'already', by: undo!.id });
		expect((await audit.list({ action: 'service.revert', subjectId: alfa.service, limit: 1 }))[0]).toMatchObject({ actor_email: admin.email });
	});

	it('refuses to revert a change whose fields were changed again since, naming the later change; other fields do not block', async () => {
		expect(await saveService({ description: 'Versione 1' })).toMatchObject({ status: 'saved' });
		const [first] = await partner.changes({ entityId: alfa.service, limit: 1 });
		expect(await saveService({ description: 'Versione 2' })).toMatchObject({ status: 'saved' });
		const [second] = await partner.changes({ entityId: alfa.service, limit: 1 });
		expect(await saveService({ accepting_new: 'unknown' })).toMatchObject({ status: 'saved' });
		const [third] = await partner.changes({ entityId: alfa.service, limit: 1 });

		const count = await historyCount();
		expect(await changes.revert(first!.id, adminActor())).toEqual({ status: 'conflict', fields: ['description'], later: [second!.id] });
		expect(await historyCount()).toBe(count);
		expect((await partner.currentFields('service', alfa.org, alfa.service))!.description).toBe('Versione 2');

		// Newest first works: the description goes back step by step, the capacity change stays.
		expect((await changes.revert(second!.id, adminActor())).status).toBe('reverted');
		expect((await changes.revert(first!.id, adminActor())).status).toBe('reverted');
		const fields = (await partner.currentFields('service', alfa.org, alfa.service))!;
		expect(fields).toMatchObject({ description: 'Pacchi alimentari', accepting_new: null });
		expect((await changes.revert(third!.id, adminActor())).status).toBe('reverted');
		expect((await partner.currentFields('service', alfa.org, alfa.service))!.accepting_new).toBe(true);
	});

	it('refuses a save made on a form loaded before someone else saved, writing nothing', async () => {
		const loaded = (await partner.servicePage(alfa.org, alfa.service))!.version;
		expect(await saveService({ description: 'Salvata da un collega' })).toMatchObject({ status: 'saved' });
		const count = await historyCount();
		const late = await saveService({ description: 'La mia versione' }, actor(), loaded);
		expect(late).toMatchObject({ ok: false, status: 'stale', errors: { form: 'stale' }, values: { description: 'La mia versione' } });
		expect(await historyCount()).toBe(count);
		expect((await partner.currentFields('service', alfa.org, alfa.service))!.description).toBe('Salvata da un collega');
		// The form now carries the new version: saving again goes through.
		if (late.ok || late.status !== 'stale') throw new Error('expected stale');
		expect(await saveService({ description: 'Pacchi alimentari' }, actor(), late.version!)).toMatchObject({ status: 'saved' });
	});

	it('moves a location within the served area, and refuses a point outside it with the values kept', async () => {
		const ok = await edits.parseLocationForm(
			form({ name: 'Sede Alfa', address: 'Via Nuova 2', postal_code: '23900', city: 'Lecco', lon: '9,3935', lat: '45.8566', confidential: 'on' }),
			3000
		);
		expect(ok.ok).toBe(true);
		expect(await edits.save('location', alfa.org, alfa.sede, ok, actor(), null)).toMatchObject({ status: 'saved' });
		const detail = (await resources.get(alfa.pin))!;
		// Confidential now: shown as its rione only.
		expect(detail.approximate).toBe(true);
		expect(detail.address).toBeNull();
		const [row] = await sql<{ lon: number; lat: number }[]>`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM location WHERE id = ${alfa.sede}::uuid`;
		expect(row).toEqual({ lon: 9.3935, lat: 45.8566 });

		const milan = await edits.parseLocationForm(form({ name: 'Sede Alfa', lon: '9.19', lat: '45.464' }), 3000);
		expect(milan).toMatchObject({ ok: false, errors: { point: 'outside_area' }, values: { lon: '9.19', lat: '45.464' } });
		const nonsense = await edits.parseLocationForm(form({ name: '', lon: 'abc', lat: '95', postal_code: '239' }), 3000);
		expect(nonsense).toMatchObject({ ok: false, errors: { name: 'required', point: 'point_invalid', postal_code: 'postal_code' } });

		// Back where it was, for the tests that follow.
		const back = await edits.parseLocationForm(
			form({ name: 'Sede Alfa', address: 'Via Alfa 1', postal_code: '23900', city: 'Lecco', lon: String(SEDE.lon), lat: String(SEDE.lat) }),
			3000
		);
		expect(await edits.save('location', alfa.org, alfa.sede, back, actor(), null)).toMatchObject({ status: 'saved' });
		expect((await resources.get(alfa.pin))!.approximate).toBe(false);
	});

	it('the accessibility note: written on the place\'s form, public at once, in the history and revertable (issue 12)', async () => {
		const place = { name: 'Sede Alfa', address: 'Via Alfa 1', postal_code: '23900', city: 'Lecco', lon: String(SEDE.lon), lat: String(SEDE.lat) };
		const note = 'Ingresso senza gradini da via Alfa; bagno accessibile al piano terra.';
		const parsed = await edits.parseLocationForm(form({ ...place, accessibility: `  ${note}  ` }), 3000);
		expect(parsed).toMatchObject({ ok: true, fields: { accessibility: note } });
		const saved = await edits.save('location', alfa.org, alfa.sede, parsed, actor(), null);
		if (!saved.ok || saved.status !== 'saved') throw new Error('expected a saved change');
		expect((await resources.get(alfa.pin))!.accessibility).toEqual({ description: note });
		expect((await partner.changes({ entityId: alfa.sede, limit: 1 }))[0]).toMatchObject({ before: { accessibility: null }, after: { accessibility: note } });
		// Too long: refused with the field's code, the text kept.
		const long = await edits.parseLocationForm(form({ ...place, accessibility: 'x'.repeat(1001) }), 3000);
		expect(long).toMatchObject({ ok: false, errors: { accessibility: 'too_long' }, values: { accessibility: 'x'.repeat(1001) } });
		// Reverted: gone from the public detail again.
		expect(await changes.revert(saved.changeId!, actor())).toMatchObject({ status: 'reverted' });
		expect((await resources.get(alfa.pin))!.accessibility).toBeNull();
	});

	it('applies the pact form\'s rules to a place: a confidential one must lie in a rione (its public point is the rione\'s)', async () => {
		// Malgrate: in the served area (within the margin) but in no rione of Lecco.
		const malgrate = { name: 'Sede Alfa', lon: '9.3705', lat: '45.85' };
		expect(await edits.parseLocationForm(form({ ...malgrate, confidential: 'on' }), 3000)).toMatchObject({ ok: false, errors: { point: 'confidential_outside_rione' } });
		expect(await edits.parseLocationForm(form(malgrate), 3000)).toMatchObject({ ok: true });
	});

	it('checks every field and says what is wrong, keeping what was typed', () => {
		const service = edits.parseServiceForm(
			form({
				name: '',
				needs: ['food', 'teleportation'],
				email: 'not an email',
				url: 'ftp://example.org',
				closed_from: '',
				closed_until: '2026-02-30',
				closure_note: 'Ferie',
				[edits.hoursField(alfa.sede)]: 'Mo-Fr 25:00-12:00'
			}),
			[alfa.sede, alfa.altra]
		);
		expect(service.ok).toBe(false);
		if (service.ok) return;
		expect(service.errors).toEqual({
			name: 'required',
			needs: 'unknown_code',
			email: 'email',
			url: 'url',
			closed_until: 'date',
			closed_from: 'closure_from',
			[edits.hoursField(alfa.sede)]: 'hours_invalid'
		});
		expect(service.values[`hours`]).toEqual({ [alfa.sede]: 'Mo-Fr 25:00-12:00' });
		expect(service.values.closure_note).toBe('Ferie');

		const order = edits.parseServiceForm(form({ name: 'X', closed_from: '2026-12-10', closed_until: '2026-12-01' }), []);
		expect(order).toMatchObject({ ok: false, errors: { closed_until: 'closure_order' } });

		const org = edits.parseOrganizationForm(form({ name: 'A', email: 'a@b', phone_number: ['12'], phone_description: [''] }));
		expect(org).toMatchObject({ ok: false, errors: { email: 'email', 'phone.0': 'phone' }, values: { phones: [{ number: '12' }] } });
	});

	it('previews opening hours: the week for a valid expression, the problem for an invalid one', () => {
		const valid = edits.previewHours('Mo-Fr 09:00-12:00; PH off');
		expect(valid.state).toBe('valid');
		if (valid.state === 'valid') expect(valid.table!.days).toHaveLength(7);
		expect(edits.previewHours('Mo-Fr 9-')).toMatchObject({ state: 'invalid', code: 'hours_invalid' });
		expect(edits.previewHours('  ')).toEqual({ state: 'empty' });
	});
});

describe('temporary closure', () => {
	it('makes open_now false in the list, the detail and the matcher, without hiding the service', async () => {
		const at = { lon: SEDE.lon, lat: SEDE.lat };
		const open = (await resources.list({ q: 'Spesa solidale Alfa', limit: 5 })).find((r) => r.id === alfa.pin);
		expect(open!.open_now).toBe(true); // 24/7

		expect(
			await saveService({ closed_from: romeDay(0), closed_until: romeDay(3), closure_note: 'Chiuso per inventario' })
		).toMatchObject({ status: 'saved' });
		const listed = (await resources.list({ q: 'Spesa solidale Alfa', limit: 5 })).find((r) => r.id === alfa.pin);
		expect(listed!.open_now).toBe(false);
		expect((await resources.list({ q: 'Spesa solidale Alfa', openNow: true, limit: 5 })).map((r) => r.id)).not.toContain(alfa.pin);
		const detail = (await resources.get(alfa.pin))!;
		expect(detail.open_now).toBe(false);
		expect(detail.closure).toEqual({ from: romeDay(0), until: romeDay(3), note: 'Chiuso per inventario', active: true });
		expect(detail.services[0]!.closure).toEqual(detail.closure);

		const matched = (await matchResources({ at, needs: ['food'], maxDistanceM: 50, limit: 10 })).find((r) => r.id === alfa.pin);
		expect(matched).toMatchObject({ open_now: false });
		const openOnly = await matchResources({ at, needs: ['food'], maxDistanceM: 50, limit: 10, openNow: true });
		expect(openOnly.map((r) => r.id)).not.toContain(alfa.pin);

		// Announced for later: open now, the closure shown as coming.
		expect(await saveService({ closed_from: romeDay(5), closed_until: '', closure_note: '' })).toMatchObject({ status: 'saved' });
		expect((await resources.get(alfa.pin))!).toMatchObject({ open_now: true, closure: { from: romeDay(5), until: null, note: null, active: false } });
		expect((await matchResources({ at, needs: ['food'], maxDistanceM: 50, limit: 10, openNow: true })).map((r) => r.id)).toContain(alfa.pin);

		// Over: no closure shown.
		await sql`UPDATE service SET closed_from = ${romeDay(-10)}::date, closed_until = ${romeDay(-2)}::date WHERE id = ${alfa.service}::uuid`;
		expect((await resources.get(alfa.pin))!).toMatchObject({ open_now: true, closure: null });
		expect(await saveService({ closed_from: '', closed_until: '' })).toMatchObject({ status: 'saved' });
	});
});

describe('record-level access', () => {
	it('requireOrganization lets the organisation\'s editors and administrators in, and answers 404 to anyone else (audited)', async () => {
		await expect(requireOrganization(asActor(editorA), alfa.org, 'editor')).resolves.toMatchObject({ id: editorA.id });
		await expect(requireOrganization(asActor(viewerA), alfa.org, 'viewer')).resolves.toMatchObject({ id: viewerA.id });
		await expect(requireOrganization(asActor(admin), beta.org, 'editor')).resolves.toMatchObject({ id: admin.id });
		const refusals = [
			[editorA, beta.org, 'editor'],
			[editorA, beta.org, 'viewer'],
			[editorB, alfa.org, 'viewer'],
			[viewerA, alfa.org, 'editor']
		] as const;
		for (const [user, org, need] of refusals) {
			const refusal = await requireOrganization(asActor(user), org, need).then(
				() => null,
				(problem: unknown) => problem
			);
			expect(isHttpError(refusal) && refusal.status, `${user.email} on ${org} as ${need}`).toBe(404);
		}
		// Refused as if the organisation did not exist, and written down.
		const [denied] = await audit.list({ action: 'authz.denied', subjectType: 'organization', subjectId: alfa.org, limit: 1 });
		expect(denied).toMatchObject({ actor_email: viewerA.email, detail: { need: 'editor' } });
	});

	it('a record of another organisation is not found through this one, and nothing is written', async () => {
		expect(await partner.servicePage(alfa.org, beta.service)).toBeNull();
		expect(await partner.locationPage(alfa.org, beta.location)).toBeNull();
		const parsed = edits.parseServiceForm(form({ name: 'Preso!', description: 'Non tuo' }), []);
		expect(await edits.save('service', alfa.org, beta.service, parsed, actor(), null)).toEqual({ ok: false, status: 'missing' });
		expect(await edits.save('organization', alfa.org, beta.org, edits.parseOrganizationForm(form({ name: 'Preso!' })), actor(), null)).toEqual({
			ok: false,
			status: 'missing'
		});
		// Hours at a location the service is not offered at (here: another organisation's) are refused.
		const sneaky = edits.parseServiceForm(await serviceForm({ [edits.hoursField(beta.location)]: 'Mo 10:00-11:00' }), [alfa.sede, alfa.altra, beta.location]);
		await expect(edits.save('service', alfa.org, alfa.service, sneaky, actor(), null)).rejects.toThrow(/has no field/);
		expect((await partner.currentFields('service', beta.org, beta.service))!.name).toBe('Ascolto Beta');
		expect(await partner.changes({ organizationId: beta.org })).toEqual([]);
	});
});

describe('da verificare', () => {
	it('flags records not confirmed for 6 months to their partner and to admins, until confirmed', async () => {
		await sql`UPDATE organization SET verified_at = current_date - 200 WHERE id = ${alfa.org}::uuid`;
		await sql`UPDATE service SET verified_at = current_date - 190 WHERE id = ${alfa.service}::uuid`;
		await sql`UPDATE organization SET verified_at = current_date - 150 WHERE id = ${beta.org}::uuid`;

		const [mine] = await partner.organizationsOf(editorA.id);
		expect(mine).toMatchObject({ id: alfa.org, stale: true, stale_services: 1, services: 1, role: 'editor' });
		const flagged = await partner.staleRecords();
		const entry = flagged.find((o) => o.id === alfa.org);
		expect(entry).toMatchObject({ stale: true, stale_services: [{ id: alfa.service, name: 'Spesa solidale Alfa' }] });
		expect(entry!.staff).toEqual([editorA.email]);
		// Five months is not yet six.
		expect(flagged.some((o) => o.id === beta.org)).toBe(false);
		// The public page says the same: "da verificare", never "confirmed" (one rule, domain/provenance.ts).
		const [pin] = await sql<{ id: string }[]>`SELECT id::text FROM public_resource WHERE service_id = ${alfa.service}::uuid LIMIT 1`;
		const shown = async () => provenanceOf((await resources.provenanceFacts(pin!.id))!, todayInRome()).kind;
		expect(await shown()).toBe('stale');

		expect(await changes.confirm(alfa.org, actor())).toEqual({ confirmed: 2 });
		// Stamped with Rome's date, whatever the database session's time zone (the tests set UTC+14).
		const [stamped] = await sql<{ verified_at: string }[]>`SELECT verified_at::text FROM organization WHERE id = ${alfa.org}::uuid`;
		expect(stamped!.verified_at).toBe(romeDay(0));
		expect((await partner.staleRecords()).some((o) => o.id === alfa.org)).toBe(false);
		expect((await partner.organizationsOf(editorA.id))[0]).toMatchObject({ stale: false, stale_services: 0 });
		expect(await shown()).toBe('partner');
		const verifies = (await partner.changes({ organizationId: alfa.org, limit: 2 })).filter((c) => c.action === 'verify');
		expect(verifies).toHaveLength(2);
		expect(await changes.revert(verifies[0]!.id, adminActor())).toEqual({ status: 'not-revertable' });
	});

	it('saving a record confirms it too', async () => {
		await sql`UPDATE service SET verified_at = current_date - 400 WHERE id = ${alfa.service}::uuid`;
		expect(await saveService({ description: 'Pacchi alimentari, confermato' })).toMatchObject({ status: 'saved' });
		expect((await partner.servicePage(alfa.org, alfa.service))!.stale).toBe(false);
	});
});

describe('atomicity', () => {
	it('a failing part of a save leaves the record, the history and the audit trail as they were', async () => {
		const fieldsBefore = await partner.currentFields('service', alfa.org, alfa.service);
		const historyBefore = await historyCount();
		const auditBefore = (await audit.list({ action: 'service.update', subjectId: alfa.service, limit: 1000 })).length;
		// Past the form's checks (called directly): the service row is written first, then the
		// database refuses the unknown need, and everything rolls back.
		const broken = { ...fieldsBefore!, description: 'Mai salvata', needs: ['food', 'no-such-need'] };
		await expect(changes.update('service', alfa.org, alfa.service, broken, actor())).rejects.toThrow(/service_need/);
		// Same with an opening_hours expression that cannot be read, after the needs went in.
		const badHours = { ...fieldsBefore!, description: 'Mai salvata', needs: ['clothing'], [edits.hoursField(alfa.altra)]: 'Mo 25:00-26:00' };
		await expect(changes.update('service', alfa.org, alfa.service, badHours, actor())).rejects.toThrow(/opening_hours/);

		expect(await partner.currentFields('service', alfa.org, alfa.service)).toEqual(fieldsBefore);
		expect(await historyCount()).toBe(historyBefore);
		expect((await audit.list({ action: 'service.update', subjectId: alfa.service, limit: 1000 })).length).toBe(auditBefore);
	});

	it('the history is append-only', async () => {
		await expect(sql`UPDATE record_change SET actor_email = 'someone@else.org' WHERE organization_id = ${alfa.org}::uuid`).rejects.toThrow(/append-only/);
		await expect(sql`DELETE FROM record_change WHERE organization_id = ${alfa.org}::uuid`).rejects.toThrow(/append-only/);
	});
});
