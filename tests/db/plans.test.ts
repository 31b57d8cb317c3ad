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
		}

		// Who could take part: by distance alone (not by opening hours), both partners among them.
		const nearby = await plans.organizationsNearby(actor, id);
		expect(nearby.map((o) => o.id)).toEqual(expect.arrayContaining([bakery, parish]));
		for (let i = 1; i < nearby.length; i++) expect(nearby[i]!.walk_min).toBeGreaterThanOrEqual(nearby[i - 1]!.walk_min);

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
