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
