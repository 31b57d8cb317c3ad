import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/users';
import { sql } from '../../src/lib/server/db/client';
import { currentKey, decryptIdentity, useKeys } from '../../src/lib/server/plans/crypto';
import * as plans from '../../src/lib/server/plans/plans';

const NAME = 'Famiglia Carcano-Oyelaran';

async function worker() {
	const user = await createUser({ email: `lead-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@atlante.test`, role: 'worker', password: 'Sette nani nel bosco 1937' });
	return { user, address: '127.0.0.1' };
}

/** Every row of every table in the schema, as text: what a database dump would hold. */
async function everything(): Promise<string> {
	const tables = await sql<{ name: string }[]>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`;
	const parts: string[] = [];
	for (const { name } of tables) {
		const rows = await sql`SELECT to_jsonb(t)::text AS row FROM ${sql(name)} t`;
		for (const row of rows) parts.push(row.row as string);
	}
	return parts.join('\n');
}

describe('households at rest', () => {
	it('no table holds the household name (or phone) in clear; the plan decrypts it for its lead', async () => {
		const actor = await worker();
		const { id } = await plans.createPlan(actor, {
			household: { name: NAME, neighbourhood: 'Bonacina', phone: '348 123 4567', point: [9.41234, 45.86789] },
			strengths: ['Il papà ripara biciclette per il vicinato'],
			needs: ['work']
		});
		const dump = await everything();
		expect(dump.length).toBeGreaterThan(100_000);
		expect(dump).not.toContain('Carcano');
		expect(dump).not.toContain('348 123 4567');
		// The place is kept no finer than ~100 m.
		const [row] = await sql<{ lon: number; lat: number }[]>`SELECT ST_X(rounded_point) AS lon, ST_Y(rounded_point) AS lat FROM household h JOIN support_plan p ON p.household_id = h.id WHERE p.id = ${id}::uuid`;
		expect(row).toEqual({ lon: 9.412, lat: 45.868 });
		const view = await plans.getPlan(actor, id, { staleDays: 7 });
		expect(view.household).toMatchObject({ name: NAME, phone: '348 123 4567', neighbourhood: 'Bonacina' });
	});

	it.runIf(inject('databaseUrl') && fs.existsSync('/usr/bin/pg_dump'))('a real pg_dump of the server database holds no household name', async () => {
		const dump = execFileSync('/usr/bin/pg_dump', ['--data-only', inject('databaseUrl')!], { maxBuffer: 1 << 30 }).toString();
		expect(dump).toContain('household');
		expect(dump).not.toContain('Carcano');
	});

	it('rotates the key: old values are re-encrypted with the new key and read without the old one', async () => {
		const actor = await worker();
		const { id } = await plans.createPlan(actor, { household: { name: 'Famiglia Rota' }, strengths: ['Tempo libero la sera'] });
		const stored = async () =>
			(await sql<{ key_id: string; identity_ciphertext: string }[]>`
				SELECT key_id, identity_ciphertext FROM household h JOIN support_plan p ON p.household_id = h.id WHERE p.id = ${id}::uuid`)[0]!;
		const before = await stored();
		const original = currentKey()!;
		expect(before.key_id).toBe(original.id);
		// A new current key; the previous one stays as an old key until the rotation is done.
		const next = { id: `k${Date.now()}`, key: randomBytes(32) };
		useKeys({ backend: 'server', dataDir: 'memory://', householdKeys: { current: next, old: [original] } });
		expect(await plans.rotateHouseholdKey()).toBeGreaterThan(0);
		const after = await stored();
		expect(after.key_id).toBe(next.id);
		expect(after.identity_ciphertext).not.toBe(before.identity_ciphertext);
		// The old key can now go: every household still reads.
		useKeys({ backend: 'server', dataDir: 'memory://', householdKeys: { current: next, old: [] } });
		expect(decryptIdentity(after.identity_ciphertext).name).toBe('Famiglia Rota');
		expect((await plans.getPlan(actor, id, { staleDays: 7 })).household.name).toBe('Famiglia Rota');
		expect(await plans.rotateHouseholdKey()).toBe(0);
	});

	it('retention: identities of households whose plans closed long ago are erased, the code and trail kept', async () => {
		const actor = await worker();
		const { id, code } = await plans.createPlan(actor, { household: { name: 'Famiglia Vecchia' }, strengths: ['Resilienza'] });
		await plans.updatePlan(actor, id, { version: 1, status: 'closed', outcome: 'Chiuso' });
		await sql`UPDATE support_plan SET closed_at = now() - interval '25 months' WHERE id = ${id}::uuid`;
		expect(await plans.applyRetention(24)).toBeGreaterThanOrEqual(1);
		const [row] = await sql<{ code: string; identity_ciphertext: string | null; erased: boolean }[]>`
			SELECT h.code, h.identity_ciphertext, h.erased_at IS NOT NULL AS erased FROM household h JOIN support_plan p ON p.household_id = h.id WHERE p.id = ${id}::uuid`;
		expect(row).toEqual({ code, identity_ciphertext: null, erased: true });
		expect(await plans.applyRetention(24)).toBe(0);
	});
});

describe('suggestions for a plan’s needs', () => {
	const orgNamed = async (name: string) => (await sql<{ id: string }[]>`SELECT id::text FROM organization WHERE name = ${name}`)[0]!.id;

	it('proposes the nearest resources per need and, once the consent names an organisation, its resources for those needs too', async () => {
		const actor = await worker();
		const { id } = await plans.createPlan(actor, { household: { name: 'Famiglia Suggerita', neighbourhood: 'Germanedo' }, strengths: ['Orto condiviso'], needs: ['food', 'homework'] });
		const bakery = await orgNamed('Panificio Il Forno del Rione (esempio)');
		const parish = await orgNamed('Comunità parrocchiale di Acquate (esempio)');

		const before = await plans.suggestions(actor, id);
		expect(before.map((s) => s.need)).toEqual(['food', 'homework']);
		for (const s of before) {
			expect(s.resources.length).toBeGreaterThan(0);
			expect(s.resources.length).toBeLessThanOrEqual(5);
			for (const r of s.resources) expect(r).toMatchObject({ nearest: true, covered: false, organization_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
			// No walking network here: the minutes are the straight-line estimate, and each says so (the page words it "circa").
			for (const r of s.resources) expect(r.walk_basis).toBe('estimate');
		}

		// Who could take part: by distance alone (not by opening hours), both partners among them.
		const nearby = await plans.organizationsNearby(actor, id);
		expect(nearby.map((o) => o.id)).toEqual(expect.arrayContaining([bakery, parish]));
		for (let i = 1; i < nearby.length; i++) expect(nearby[i]!.walk_min).toBeGreaterThanOrEqual(nearby[i - 1]!.walk_min);
		for (const o of nearby) expect(o.walk_basis).toBe('estimate');

		await plans.recordConsent(actor, id, { given_on: '2026-01-15', document_ref: 'Modulo 1', scope: [bakery, parish] });
		const after = await plans.suggestions(actor, id);
		const food = after.find((s) => s.need === 'food')!.resources;
		const homework = after.find((s) => s.need === 'homework')!.resources;
		expect(food.filter((r) => r.organization_id === bakery)).toEqual([expect.objectContaining({ covered: true, name: 'Pane sospeso e punto di ascolto' })]);
		expect(homework.filter((r) => r.organization_id === parish)).toEqual([expect.objectContaining({ covered: true, name: "Doposcuola dell'oratorio" })]);
		// The parish's listening centre offers neither need: not proposed.
		expect([...food, ...homework].some((r) => r.name === 'Centro di ascolto' && r.organization_id === parish)).toBe(false);
		// Each resource once per need, the match engine's nearest first.
		for (const list of [food, homework]) {
			expect(new Set(list.map((r) => r.id)).size).toBe(list.length);
			const firstAdded = list.findIndex((r) => !r.nearest);
			if (firstAdded >= 0) expect(list.slice(firstAdded).every((r) => !r.nearest)).toBe(true);
		}
		// And a referral to one of them goes through.
		const suggested = food.find((r) => r.organization_id === bakery)!;
		expect(await plans.addReferral(actor, id, { need: 'food', resource_id: suggested.id })).toEqual({ id: expect.any(String) });
	});

	it('tells who moves a referral on: the receiving partner answers, the lead may only close it', () => {
		expect(plans.nextReferralStatuses('sent', 'partner')).toEqual(['accepted', 'declined']);
		expect(plans.nextReferralStatuses('sent', 'lead')).toEqual(['closed_no_outcome']);
		expect(plans.nextReferralStatuses('accepted', 'partner')).toEqual(['in_progress', 'completed', 'closed_no_outcome']);
		expect(plans.nextReferralStatuses('completed', 'partner')).toEqual([]);
	});
});

describe('stale referrals', () => {
	it('flags to the lead a referral still unanswered after the stale days, on the plan and in the list', async () => {
		const actor = await worker();
		const { id } = await plans.createPlan(actor, { household: { name: 'Famiglia In Attesa', neighbourhood: 'Germanedo' }, strengths: ['Pazienza'], needs: ['food'] });
		const [bakery] = await sql<{ id: string }[]>`SELECT id::text FROM organization WHERE name = 'Panificio Il Forno del Rione (esempio)'`;
		await plans.recordConsent(actor, id, { given_on: '2026-01-15', document_ref: 'Modulo 2', scope: [bakery!.id] });
		const resource = (await plans.suggestions(actor, id))[0]!.resources.find((r) => r.organization_id === bakery!.id)!;
		const { id: referralId } = await plans.addReferral(actor, id, { need: 'food', resource_id: resource.id });
		const flagged = async () => ({
			onPlan: (await plans.getPlan(actor, id, { staleDays: 7 })).referrals[0]!.stale,
			inList: (await plans.listPlans(actor, { staleDays: 7 })).find((p) => p.id === id)!.stale_referrals
		});
		expect(await flagged()).toEqual({ onPlan: false, inList: 0 });
		await sql`UPDATE referral SET created_at = now() - interval '8 days' WHERE id = ${referralId}::uuid`;
		expect(await flagged()).toEqual({ onPlan: true, inList: 1 });
	});
});

describe('one open referral per plan, need and resource (issue 10)', () => {
	const BAKERY = 'Panificio Il Forno del Rione (esempio)';

	/** A plan with consent for the bakery, and the bakery's resource offering food. */
	async function planWithBakery() {
		const actor = await worker();
		const { id } = await plans.createPlan(actor, { household: { name: 'Famiglia Doppia', neighbourhood: 'Germanedo' }, strengths: ['Cucina per tutti'], needs: ['food'] });
		const [bakery] = await sql<{ id: string }[]>`SELECT id::text FROM organization WHERE name = ${BAKERY}`;
		await plans.recordConsent(actor, id, { given_on: '2026-01-15', document_ref: 'Modulo 3', scope: [bakery!.id] });
		const resource = (await plans.suggestions(actor, id))[0]!.resources.find((r) => r.organization_id === bakery!.id)!;
		return { actor, id, resource: resource.id };
	}
	const refusal = (promise: Promise<unknown>) =>
		promise.then(
			() => null,
			(error: unknown) => (error instanceof plans.PlanError ? { status: error.status, code: error.code, message: error.message } : error)
		);

	it('refuses a second open referral with a 409 a person can act on; after a final status a new one may be sent', async () => {
		const { actor, id, resource } = await planWithBakery();
		const first = await plans.addReferral(actor, id, { need: 'food', resource_id: resource });
		expect(await refusal(plans.addReferral(actor, id, { need: 'food', resource_id: resource }))).toEqual({
			status: 409,
			code: 'referralOpen',
			message: expect.stringMatching(/already open \(sent\).*close that referral/)
		});
		const [count] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM referral WHERE plan_id = ${id}::uuid`;
		expect(count!.n).toBe(1);
		// Accepted is still open.
		await sql`UPDATE referral SET status = 'accepted' WHERE id = ${first.id}::uuid`;
		expect(await refusal(plans.addReferral(actor, id, { need: 'food', resource_id: resource }))).toMatchObject({ status: 409, code: 'referralOpen' });
		await plans.setReferralStatus(actor, first.id, { status: 'closed_no_outcome' });
		expect(await plans.addReferral(actor, id, { need: 'food', resource_id: resource })).toEqual({ id: expect.any(String) });
	});

	it('two referrals racing: exactly one is sent, the other gets the same 409 (the index backs the check)', async () => {
		const { actor, id, resource } = await planWithBakery();
		const results = await Promise.all([0, 1, 2].map(() => refusal(plans.addReferral(actor, id, { need: 'food', resource_id: resource }))));
		expect(results.filter((r) => r === null)).toHaveLength(1);
		for (const r of results.filter((r) => r !== null)) expect(r).toMatchObject({ status: 409, code: 'referralOpen' });
		// The database itself refuses a duplicate open referral, whatever code writes it.
		const [open] = await sql<{ need: string; service_at_location_id: string; organization_id: string; created_by: string }[]>`
			SELECT need, service_at_location_id::text, organization_id::text, created_by::text FROM referral WHERE plan_id = ${id}::uuid`;
		await expect(
			sql`INSERT INTO referral (plan_id, need, service_at_location_id, organization_id, created_by)
				VALUES (${id}::uuid, ${open!.need}, ${open!.service_at_location_id}::uuid, ${open!.organization_id}::uuid, ${open!.created_by}::uuid)`
		).rejects.toMatchObject({ code: '23505' });
	});
});

describe('migration 0007 on duplicates sent before the rule', () => {
	it('keeps the furthest along open, closes the others with a step saying why, then the index holds', async () => {
		const actor = await worker();
		const { id } = await plans.createPlan(actor, { household: { name: 'Famiglia Migrata', neighbourhood: 'Germanedo' }, strengths: ['Memoria'], needs: ['food'] });
		const [bakery] = await sql<{ id: string }[]>`SELECT id::text FROM organization WHERE name = 'Panificio Il Forno del Rione (esempio)'`;
		await plans.recordConsent(actor, id, { given_on: '2026-01-15', document_ref: 'Modulo 5', scope: [bakery!.id] });
		const resource = (await plans.suggestions(actor, id))[0]!.resources.find((r) => r.organization_id === bakery!.id)!;
		const migration = fs.readFileSync(new URL('../../db/migrations/0007_plan_referrals_and_sharing.sql', import.meta.url), 'utf8');
		const dedupe = migration.slice(migration.indexOf('WITH ranked'), migration.indexOf('CREATE UNIQUE INDEX'));
		const rollback = new Error('rollback');
		await expect(
			sql.begin(async (tx) => {
				// The world before 0007: no index, three open referrals for one need and resource.
				await tx`DROP INDEX referral_open_idx`;
				const insert = (status: string) => tx<{ id: string }[]>`
					INSERT INTO referral (plan_id, need, service_at_location_id, organization_id, created_by, status)
					VALUES (${id}::uuid, 'food', ${resource.id}::uuid, ${bakery!.id}::uuid, ${actor.user.id}::uuid, ${status}) RETURNING id::text`;
				const [sent] = await insert('sent');
				const [accepted] = await insert('accepted');
				const [again] = await insert('sent');
				// The migration's own text, not request data.
				await tx.unsafe(dedupe);
				const rows = await tx<{ id: string; status: string; note: string | null }[]>`
					SELECT r.id::text, r.status, (SELECT note FROM referral_event e WHERE e.referral_id = r.id ORDER BY e.id DESC LIMIT 1) AS note
					FROM referral r WHERE r.plan_id = ${id}::uuid`;
				const byId = new Map(rows.map((r) => [r.id, r]));
				expect(byId.get(accepted!.id)).toMatchObject({ status: 'accepted', note: null });
				for (const closed of [sent!, again!]) expect(byId.get(closed.id)).toMatchObject({ status: 'closed_no_outcome', note: expect.stringMatching(/duplicate/) });
				await tx.unsafe(migration.slice(migration.indexOf('CREATE UNIQUE INDEX'), migration.indexOf(';', migration.indexOf('CREATE UNIQUE INDEX')) + 1));
				throw rollback;
			})
		).rejects.toBe(rollback);
	});
});

describe('what partners see of a plan, and what the family’s export holds (issue 10)', () => {
	const BAKERY = 'Panificio Il Forno del Rione (esempio)';
	const PARISH = 'Comunità parrocchiale di Acquate (esempio)';
	const FAMILY = { name: 'Famiglia Riservata-Okafor', phone: '347 765 4321', address: 'Via dei Segreti 7', notes: 'Nota riservata della assistente' };

	async function partner(organization: string, organizationRole: 'editor' | 'viewer' = 'editor') {
		const email = `partner-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@atlante.test`;
		const user = await createUser({ email, role: 'partner', password: 'Sette nani nel bosco 1937', organization, organizationRole });
		return { user, address: '10.9.8.7' };
	}

	it('a partner sees the code, rione, shared profile and its own referrals; contact details only once it accepts; never the notes unless shared', async () => {
		const lead = await worker();
		const { id } = await plans.createPlan(lead, {
			household: { ...FAMILY, neighbourhood: 'Germanedo' },
			strengths: ['Il nonno racconta storie'],
			needs: ['food', 'homework']
		});
		const orgs = Object.fromEntries(
			(await sql<{ id: string; name: string }[]>`SELECT id::text, name FROM organization WHERE name IN (${BAKERY}, ${PARISH})`).map((o) => [o.name, o.id])
		);
		await plans.recordConsent(lead, id, { given_on: '2026-01-15', document_ref: 'Modulo 4', scope: [orgs[BAKERY]!, orgs[PARISH]!] });
		const offers = await plans.suggestions(lead, id);
		const food = offers.find((s) => s.need === 'food')!.resources.find((r) => r.organization_id === orgs[BAKERY])!;
		const homework = offers.find((s) => s.need === 'homework')!.resources.find((r) => r.organization_id === orgs[PARISH])!;
		const bakeryReferral = await plans.addReferral(lead, id, { need: 'food', resource_id: food.id });
		const parishReferral = await plans.addReferral(lead, id, { need: 'homework', resource_id: homework.id });
		await plans.addNote(lead, id, { text: 'Il padre ha perso il lavoro a settembre' });
		const baker = await partner(BAKERY);
		const bakerViewer = await partner(BAKERY, 'viewer');

		for (const who of [baker, bakerViewer]) {
			const seen = await plans.getPlan(who, id, { staleDays: 7 });
			const text = JSON.stringify(seen);
			for (const secret of [FAMILY.name, 'Okafor', FAMILY.phone, FAMILY.address, FAMILY.notes, 'perso il lavoro', parishReferral.id, orgs[PARISH]!]) {
				expect(text, `the partner's view holds "${secret}"`).not.toContain(secret);
			}
			expect(seen).toMatchObject({ access: 'member', code: expect.stringMatching(/^F-/), household: { neighbourhood: 'Germanedo' }, consent: null, overrides: [] });
			expect(seen.strengths.map((s) => s.text)).toEqual(['Il nonno racconta storie']);
			expect(seen.needs.map((n) => n.need)).toEqual(['food', 'homework']);
			expect(seen.referrals.map((r) => r.id)).toEqual([bakeryReferral.id]);
			expect(seen.members.map((m) => m.organization_id)).toEqual([orgs[BAKERY]]);
		}

		// Once the bakery accepts, its staff see the contact details on that referral, and the read is audited.
		await plans.setReferralStatus(baker, bakeryReferral.id, { status: 'accepted' });
		const working = await plans.getPlan(bakerViewer, id, { staleDays: 7 });
		expect(working.referrals[0]!.contact).toEqual({ name: FAMILY.name, phone: FAMILY.phone, address: FAMILY.address });
		expect(JSON.stringify(working)).not.toContain(FAMILY.notes);
		expect(working.household).not.toHaveProperty('name');
		const [read] = await sql<{ detail: { referrals: string[]; fields: string[] } }[]>`
			SELECT detail FROM audit_event WHERE action = 'plan.contact_read' AND subject_id = ${id} AND actor_id = ${bakerViewer.user.id}::uuid`;
		expect(read!.detail).toEqual({ referrals: [bakeryReferral.id], fields: ['name', 'phone', 'address'] });

		// The lead decides what else is shared: no profile, but the notes.
		await plans.setSharing(lead, id, { profile: false, notes: true });
		const shared = await plans.getPlan(baker, id, { staleDays: 7 });
		expect(shared).toMatchObject({ strengths: [], needs: [], goals: [], sharing: { profile: false, notes: true }, household: { notes: FAMILY.notes } });
		expect(shared.notes.map((n) => n.text)).toEqual(['Il padre ha perso il lavoro a settembre']);
		// The lead keeps the whole plan.
		const full = await plans.getPlan(lead, id, { staleDays: 7 });
		expect(full.household).toMatchObject(FAMILY);
		expect(full.referrals).toHaveLength(2);
		// Only the lead sets what is shared.
		await expect(plans.setSharing(baker, id, { profile: true, notes: true })).rejects.toMatchObject({ status: 403 });
	});

	it('the family’s export holds no staff address or email and no refused attempts by others', async () => {
		const lead = { ...(await worker()), address: '192.0.2.44' };
		const { id } = await plans.createPlan(lead, { household: { name: 'Famiglia Esportata', neighbourhood: 'Germanedo' }, strengths: ['Coraggio'], needs: ['food'] });
		const stranger = { ...(await partner(PARISH)), address: '198.51.100.77' };
		await expect(plans.getPlan(stranger, id, { staleDays: 7 })).rejects.toMatchObject({ status: 404 });
		const exported = await plans.exportHousehold(lead, id, { staleDays: 7 });
		const trail = JSON.stringify(exported.audit);
		expect(exported.audit.map((e) => e.action)).toEqual(expect.arrayContaining(['plan.created', 'plan.read']));
		expect(trail).not.toContain('192.0.2.44');
		expect(trail).not.toContain('198.51.100.77');
		expect(trail).not.toContain('denied');
		expect(trail).not.toContain('@atlante.test');
		expect(exported.audit.find((e) => e.action === 'plan.created')).toMatchObject({ role: 'lead', organizations: [] });
		expect(exported.plan.household.name).toBe('Famiglia Esportata');
	});
});

describe('the plan module names each refusal, so pages need not check again (issue 12)', () => {
	it('says which problem a page shows for what the plan page used to check itself', async () => {
		const actor = await worker();
		const { id } = await plans.createPlan(actor, { household: { name: 'Famiglia Codici', neighbourhood: 'Germanedo' }, strengths: ['Cucina'], needs: ['food'] });
		const code = (promise: Promise<unknown>) =>
			promise.then(
				() => 'accepted',
				(error: unknown) => (error instanceof plans.PlanError ? `${error.status} ${error.code ?? '-'}` : error)
			);
		expect(await code(plans.updatePlan(actor, id, { version: 1, strengths: [] }))).toBe('400 strengths');
		expect(await code(plans.updatePlan(actor, id, { version: 1, status: 'closed' }))).toBe('400 outcome');
		expect(await code(plans.recordConsent(actor, id, { given_on: '', document_ref: 'Modulo' }))).toBe('400 consentDate');
		expect(await code(plans.recordConsent(actor, id, { given_on: '2099-01-01', document_ref: 'Modulo' }))).toBe('400 consentDate');
		expect(await code(plans.recordConsent(actor, id, { given_on: '2026-01-15', document_ref: ' ' }))).toBe('400 documentRef');
		expect(await code(plans.addMember(actor, id, { organization_id: '' }))).toBe('400 organization');
		expect(await code(plans.setReferralStatus(actor, '00000000-0000-4000-8000-000000000000', { status: 'declined' }))).toBe('400 reason');
		expect(await code(plans.addNote(actor, id, { text: '  ' }))).toBe('400 noteEmpty');
		expect(await code(plans.addMeeting(actor, id, { held_on: '2026-02-30' }))).toBe('400 meetingDate');
		// A problem inside a row is not the field's own: the page says "check what you wrote".
		expect(await code(plans.updatePlan(actor, id, { version: 1, strengths: [{ kind: 'other', text: 'x'.repeat(501) }] }))).toBe('400 -');
		// Nothing was written by any of them.
		expect((await plans.getPlan(actor, id, { staleDays: 7 })).version).toBe(1);
	});
});
