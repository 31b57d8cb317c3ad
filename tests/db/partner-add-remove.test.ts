import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/users';
import type { User } from '../../src/lib/server/db/accounts';
import * as audit from '../../src/lib/server/db/audit';
import { sql } from '../../src/lib/server/db/client';
import * as coverage from '../../src/lib/server/db/coverage';
import * as directory from '../../src/lib/server/db/directory';
import { matchResources } from '../../src/lib/server/db/match';
import * as partner from '../../src/lib/server/db/partner';
import * as resources from '../../src/lib/server/db/resources';
import * as changes from '../../src/lib/server/partner/changes';
import * as edits from '../../src/lib/server/partner/edits';
import type { DirectoryBundle } from '../../src/lib/server/seed/bundle';

// Partners adding and removing places and services (changes.ts createLocation, createService,
// remove, and revert of both), on an organisation of a test source removed afterwards.
const SOURCE = 'test-partner-add';
const run = Date.now().toString(36);
const PASSWORD = 'correct horse battery staple';
const SERVED_MARGIN_M = 2000;
// Points in Lecco's rioni (the served area).
const NEW_PLACE = { lon: '9.3990', lat: '45.8540' };

const bundle: DirectoryBundle = {
	source: { id: SOURCE, name: 'Test partner add', licence: 'CC0', url: null, attribution: 'Test' },
	verified_at: '2026-11-01',
	demo: false,
	organizations: [
		{
			ref: 'g',
			name: 'Associazione Gamma (test)',
			kind: 'partner',
			description: 'Gamma',
			phones: [],
			locations: [{ ref: 'sede', name: 'Sede Gamma', lon: 9.4053, lat: 45.8521, confidential: false }],
			services: [
				{ ref: 'spesa', name: 'Spesa Gamma', description: '', category: 'partner', needs: ['food'], audiences: [], accepting_new: null, phones: [], at: [{ location: 'sede', opening_hours: '24/7' }] }
			]
		},
		{
			ref: 'd',
			name: 'Associazione Delta (test)',
			kind: 'partner',
			description: 'Delta',
			phones: [],
			locations: [{ ref: 'sede', name: 'Sede Delta', lon: 9.39, lat: 45.85, confidential: false }],
			services: [
				{ ref: 'ascolto', name: 'Ascolto Delta', description: '', category: 'partner', needs: ['listening'], audiences: [], accepting_new: null, phones: [], at: [{ location: 'sede' }] }
			]
		}
	]
};

let gamma: { org: string; sede: string };
let delta: { org: string; sede: string };
let editor: User;
const actor = () => ({ id: editor.id, email: editor.email, address: '192.0.2.11' });

function form(entries: Record<string, string | string[]>): FormData {
	const data = new FormData();
	for (const [key, value] of Object.entries(entries)) for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
	return data;
}

async function historyCount(organizationId = gamma.org): Promise<number> {
	const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM record_change WHERE organization_id = ${organizationId}::uuid`;
	return row!.n;
}

async function servicesNamed(name: string): Promise<number> {
	const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM service WHERE name = ${name}`;
	return row!.n;
}

/** The public pins of a service (public_resource ids). */
async function pinsOf(serviceId: string): Promise<string[]> {
	const rows = await sql<{ id: string }[]>`SELECT id::text FROM public_resource WHERE service_id = ${serviceId}::uuid ORDER BY id`;
	return rows.map((r) => r.id);
}

const auditCount = async (action: string, subjectId: string) => (await audit.list({ action, subjectId, limit: 100 })).length;

beforeAll(async () => {
	await directory.syncBundle(bundle);
	const rows = await sql<{ org: string; ref: string; location: string }[]>`
		SELECT o.id::text AS org, o.source_ref AS ref, l.id::text AS location
		FROM organization o JOIN location l ON l.organization_id = o.id WHERE o.source_id = ${SOURCE}`;
	const of = (ref: string) => rows.find((r) => r.ref === ref)!;
	gamma = { org: of('g').org, sede: of('g').location };
	delta = { org: of('d').org, sede: of('d').location };
	editor = await createUser({ email: `gamma-${run}@example.org`, role: 'partner', password: PASSWORD, organization: gamma.org });
});

afterAll(async () => {
	await sql`DELETE FROM organization WHERE source_id = ${SOURCE}`;
	await sql`DELETE FROM source WHERE id = ${SOURCE}`;
	await sql`DELETE FROM app_user WHERE email LIKE ${`%-${run}@example.org`}`;
});

describe('adding, removing and restoring places and services', () => {
	let place: string;
	let service: string;
	let createServiceChange: number;

	it('a new place is checked like an edit (the point before any SQL), then written with its history row and audit event', async () => {
		const placeForm = (point: { lon: string; lat: string }) =>
			form({ name: 'Sala Gamma', address: 'Via Gamma 2', postal_code: '23900', city: 'Lecco', lon: point.lon, lat: point.lat, accessibility: 'Ingresso senza gradini' });
		expect(await edits.parseLocationForm(placeForm({ lon: '', lat: '' }), SERVED_MARGIN_M)).toMatchObject({ ok: false, errors: { point: 'point_required' } });
		expect(await edits.parseLocationForm(placeForm({ lon: '12.49', lat: '41.89' }), SERVED_MARGIN_M)).toMatchObject({ ok: false, errors: { point: 'outside_area' } });
		expect(await edits.parseLocationForm(placeForm({ lon: '9.4', lat: '95' }), SERVED_MARGIN_M)).toMatchObject({ ok: false, errors: { point: 'point_invalid' } });

		const parsed = await edits.parseLocationForm(placeForm(NEW_PLACE), SERVED_MARGIN_M);
		if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
		const created = await changes.createLocation(gamma.org, parsed.fields, actor());
		expect(created.status).toBe('created');
		if (created.status !== 'created') return;
		place = created.id;

		expect(await partner.currentFields('location', gamma.org, place)).toMatchObject({ name: 'Sala Gamma', address: 'Via Gamma 2', accessibility: 'Ingresso senza gradini', removed: false });
		const [change] = await partner.changes({ entityId: place });
		expect(change).toMatchObject({ id: created.changeId, action: 'create', entity: 'location', actor_email: editor.email, before: {}, reverted_by: null });
		expect(change!.after).toMatchObject({ name: 'Sala Gamma', lon: 9.399, lat: 45.854, confidential: false });
		expect(change!.after).not.toHaveProperty('removed');
		expect(await auditCount('location.create', place)).toBe(1);
		expect((await partner.organizationPage(gamma.org))!.locations.map((l) => l.name)).toContain('Sala Gamma');
	});

	it('a new service needs a kind and one of the organisation’s own places, and is public at once with its hours', async () => {
		const page = (await partner.organizationPage(gamma.org))!;
		const places = page.locations.filter((l) => !l.removed).map((l) => l.id);
		const serviceForm = (extra: Record<string, string | string[]>) =>
			form({ name: 'Doposcuola Gamma', description: 'Compiti insieme', needs: ['homework'], audiences: ['children'], accepting_new: 'yes', [edits.hoursField(place)]: 'Mo-Fr 15:00-18:00', ...extra });
		expect(edits.parseNewServiceForm(serviceForm({ category: 'partner' }), places)).toMatchObject({ ok: false, errors: { at: 'at_required' } });
		expect(edits.parseNewServiceForm(serviceForm({ category: 'partner', at: delta.sede }), places)).toMatchObject({ ok: false, errors: { at: 'unknown_location' } });
		expect(edits.parseNewServiceForm(serviceForm({ category: 'nope', at: place }), places)).toMatchObject({ ok: false, errors: { category: 'unknown_code' } });
		expect(edits.parseNewServiceForm(serviceForm({ category: 'partner', at: place, [edits.hoursField(place)]: 'Mo 25:00-26:00' }), places)).toMatchObject({
			ok: false,
			errors: { [edits.hoursField(place)]: 'hours_invalid' }
		});

		// Past the form: another organisation's place is refused by the write itself, writing nothing.
		const good = edits.parseNewServiceForm(serviceForm({ category: 'partner', at: place }), places);
		if (!good.ok) throw new Error(JSON.stringify(good.errors));
		const historyBefore = await historyCount();
		expect(await changes.createService(gamma.org, { ...good.service, locationIds: [delta.sede] }, actor())).toEqual({ status: 'unknown_location' });
		expect(await servicesNamed('Doposcuola Gamma')).toBe(0);
		expect(await historyCount()).toBe(historyBefore);

		const created = await changes.createService(gamma.org, good.service, actor());
		expect(created.status).toBe('created');
		if (created.status !== 'created') return;
		service = created.id;
		createServiceChange = created.changeId;

		const [pin] = await pinsOf(service);
		expect(pin).toBeDefined();
		const detail = (await resources.get(pin!))!;
		expect(detail).toMatchObject({ name: 'Doposcuola Gamma', accepting_new: true });
		const matched = await matchResources({ at: { lon: 9.399, lat: 45.854 }, needs: ['homework'], maxDistanceM: 50, limit: 10 });
		expect(matched.map((r) => r.id)).toContain(pin);
		expect(await partner.currentFields('service', gamma.org, service)).toMatchObject({
			needs: ['homework'],
			audiences: ['children'],
			[edits.hoursField(place)]: 'Mo-Fr 15:00-18:00',
			removed: false
		});
		const [change] = await partner.changes({ entityId: service });
		expect(change).toMatchObject({ action: 'create', entity: 'service', before: {} });
		expect(change!.after).toMatchObject({ name: 'Doposcuola Gamma', category: 'partner', [edits.hoursField(place)]: 'Mo-Fr 15:00-18:00' });
		expect(await auditCount('service.create', service)).toBe(1);
	});

	it('a place that still hosts an active service is not removed, with the services named', async () => {
		const historyBefore = await historyCount();
		expect(await changes.remove('location', gamma.org, place, actor())).toEqual({ status: 'blocked', reason: 'hosts_services', names: ['Doposcuola Gamma'] });
		expect((await partner.currentFields('location', gamma.org, place))!.removed).toBe(false);
		expect(await historyCount()).toBe(historyBefore);
	});

	it('a removed service leaves the public reads and marks the coverage stale, is kept in the history, and cannot be edited', async () => {
		const [pin] = await pinsOf(service);
		const fieldsBefore = await partner.currentFields('service', gamma.org, service);
		await sql`UPDATE coverage_state SET dirty_since = NULL`;

		const removed = await changes.remove('service', gamma.org, service, actor());
		expect(removed.status).toBe('removed');
		expect(await resources.get(pin!)).toBeNull();
		expect((await resources.list({ q: 'Doposcuola Gamma', limit: 5 })).map((r) => r.id)).not.toContain(pin);
		expect((await matchResources({ at: { lon: 9.399, lat: 45.854 }, needs: ['homework'], maxDistanceM: 50, limit: 10 })).map((r) => r.id)).not.toContain(pin);
		expect((await coverage.state()).dirty_since).not.toBeNull();
		expect((await partner.organizationsOf(editor.id))[0]!.services).toBe(1);

		const [change] = await partner.changes({ entityId: service });
		expect(change).toMatchObject({ action: 'remove', before: { removed: false }, after: { removed: true }, reverted_by: null });
		expect(await auditCount('service.remove', service)).toBe(1);
		expect(await changes.remove('service', gamma.org, service, actor())).toEqual({ status: 'already' });
		expect(await changes.update('service', gamma.org, service, { name: 'Mai' }, actor())).toEqual({ status: 'missing' });
		expect(await partner.currentFields('service', gamma.org, service)).toEqual({ ...fieldsBefore, removed: true });
	});

	it('the place can go once its services are gone, and a service is not restored at a removed place', async () => {
		expect((await changes.remove('location', gamma.org, place, actor())).status).toBe('removed');
		expect((await partner.organizationPage(gamma.org))!.locations.find((l) => l.id === place)).toMatchObject({ removed: true });

		const historyBefore = await historyCount();
		expect(await changes.restore('service', gamma.org, service, actor())).toEqual({ status: 'blocked', reason: 'location_removed', names: ['Sala Gamma'] });
		expect((await partner.currentFields('service', gamma.org, service))!.removed).toBe(true);
		expect(await historyCount()).toBe(historyBefore);
	});

	it('restoring the place, then the service, gives both back exactly as they were, at the same public pin', async () => {
		const fieldsBefore = await partner.currentFields('service', gamma.org, service);
		const restoredPlace = await changes.restore('location', gamma.org, place, actor());
		expect(restoredPlace.status).toBe('reverted');
		const restored = await changes.restore('service', gamma.org, service, actor());
		expect(restored.status).toBe('reverted');
		expect(await partner.currentFields('service', gamma.org, service)).toEqual({ ...fieldsBefore, removed: false });
		const [pin] = await pinsOf(service);
		expect((await resources.get(pin!))!.name).toBe('Doposcuola Gamma');
		const [change] = await partner.changes({ entityId: service });
		expect(change).toMatchObject({ action: 'revert', before: { removed: true }, after: { removed: false } });
		expect(await auditCount('service.revert', service)).toBe(1);
	});

	it('undoing the addition of a service removes it, even after an edit; undoing that gives it back', async () => {
		expect(await changes.update('service', gamma.org, service, { description: 'Compiti e merenda' }, actor())).toMatchObject({ status: 'saved' });
		const undone = await changes.revertOwn(gamma.org, createServiceChange, actor());
		expect(undone.status).toBe('reverted');
		expect(await pinsOf(service)).toEqual([]);
		expect((await partner.currentFields('service', gamma.org, service))!.description).toBe('Compiti e merenda');
		if (undone.status !== 'reverted') return;
		expect(await changes.revertOwn(gamma.org, createServiceChange, actor())).toMatchObject({ status: 'already' });

		// A partner undoes additions and removals only, of its own organisation.
		const [edit] = (await partner.changes({ entityId: service })).filter((c) => c.action === 'update');
		expect(await changes.revertOwn(gamma.org, edit!.id, actor())).toEqual({ status: 'missing' });
		expect(await changes.revertOwn(delta.org, undone.changeId, actor())).toEqual({ status: 'missing' });

		expect((await changes.revertOwn(gamma.org, undone.changeId, actor())).status).toBe('reverted');
		expect(await pinsOf(service)).toHaveLength(1);
	});
});

describe('atomicity of an addition', () => {
	it('a failing part of a new service leaves no service, no history row and no audit event', async () => {
		const historyBefore = await historyCount();
		const auditBefore = (await audit.list({ action: 'service.create', limit: 1000 })).length;
		const fields = {
			name: 'Servizio mai nato',
			description: '',
			needs: ['food', 'no-such-need'],
			audiences: [],
			accepting_new: null,
			email: null,
			url: null,
			closed_from: null,
			closed_until: null,
			closure_note: null,
			[edits.hoursField(gamma.sede)]: null
		};
		// Past the form's checks (called directly): the service row is written first, then the
		// database refuses the unknown need, and everything rolls back.
		await expect(changes.createService(gamma.org, { category: 'partner', fields, locationIds: [gamma.sede] }, actor())).rejects.toThrow(/service_need/);
		// Same with hours the database refuses, after the needs and the pin went in.
		const badHours = { ...fields, needs: ['food'], [edits.hoursField(gamma.sede)]: 'Mo 25:00-26:00' };
		await expect(changes.createService(gamma.org, { category: 'partner', fields: badHours, locationIds: [gamma.sede] }, actor())).rejects.toThrow(/opening_hours/);
		expect(await servicesNamed('Servizio mai nato')).toBe(0);
		expect(await historyCount()).toBe(historyBefore);
		expect((await audit.list({ action: 'service.create', limit: 1000 })).length).toBe(auditBefore);
	});

	it('a place the database refuses (its postal code) is not written, nor its history', async () => {
		const historyBefore = await historyCount();
		const broken = { name: 'Sala rotta', address: null, postal_code: '123', city: null, confidential: false, accessibility: null, lon: 9.399, lat: 45.854 };
		await expect(changes.createLocation(gamma.org, broken, actor())).rejects.toThrow();
		expect(await historyCount()).toBe(historyBefore);
		const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM location WHERE name = 'Sala rotta'`;
		expect(row!.n).toBe(0);
	});
});
