import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/users';
import type { Role } from '../../src/lib/server/db/accounts';
import { sql } from '../../src/lib/server/db/client';
import * as scenarios from '../../src/lib/server/planning/scenarios';

/**
 * Saved "what if" scenarios (planning_scenario): planners and administrators only, the body
 * validated on the way in and out, every write and read audited in the same transaction, and
 * nothing written anywhere else.
 */
let counter = 0;
async function actor(role: Role): Promise<scenarios.Actor> {
	counter += 1;
	const user = await createUser({ email: `scenari${counter}-${Date.now()}@atlante.test`, role, password: 'Sette nani nel bosco 1937' });
	return { user, address: '127.0.0.1' };
}

const body = { need: 'homework', within: 15, add: [{ at: [9.39, 45.85], needs: ['homework', 'youth'], hours: 'Lu-Ve 14:30-18:30' }], hide: [] };

async function auditOf(id: string) {
	return sql<{ action: string; actor_email: string }[]>`SELECT action, actor_email FROM audit_event WHERE subject_type = 'planning_scenario' AND subject_id = ${id} ORDER BY id`;
}

async function directoryCounts() {
	const [row] = await sql<{ services: number; locations: number; organizations: number }[]>`
		SELECT (SELECT count(*)::int FROM service) AS services, (SELECT count(*)::int FROM location) AS locations,
			(SELECT count(*)::int FROM organization) AS organizations`;
	return row!;
}

describe('saved scenarios', () => {
	it('are saved, reopened, updated, listed and deleted by planners and administrators, each step audited', async () => {
		const planner = await actor('planner');
		const admin = await actor('admin');
		const directory = await directoryCounts();
		const id = await scenarios.save(planner, { name: '  Doposcuola a Bonacina ', body });
		const opened = await scenarios.open(admin, id);
		expect(opened.name).toBe('Doposcuola a Bonacina');
		expect(opened.body).toEqual(body);
		expect(opened.createdBy).toBe(planner.user.email);
		expect(await scenarios.save(admin, { id, name: 'Seconda versione', body: { ...body, within: 20 } })).toBe(id);
		expect((await scenarios.open(planner, id)).body.within).toBe(20);
		expect((await scenarios.list(planner)).map((s) => s.id)).toContain(id);
		await scenarios.remove(admin, id);
		await expect(scenarios.open(planner, id)).rejects.toMatchObject({ status: 404, code: 'not_found' });
		expect((await auditOf(id)).map((e) => [e.action, e.actor_email])).toEqual([
			['planning_scenario.create', planner.user.email],
			['planning_scenario.read', admin.user.email],
			['planning_scenario.update', admin.user.email],
			['planning_scenario.read', planner.user.email],
			['planning_scenario.delete', admin.user.email]
		]);
		// Only planning_scenario and the audit trail were written.
		expect(await directoryCounts()).toEqual(directory);
	});

	it('are not there for workers and partners, whatever they ask', async () => {
		const planner = await actor('planner');
		const id = await scenarios.save(planner, { name: 'Riservato', body });
		// A refused role never reaches the database: the account need not exist (a partner's would need an organisation).
		for (const role of ['worker', 'partner'] as const) {
			const other: scenarios.Actor = { user: { id: crypto.randomUUID(), email: `${role}@atlante.test`, role, disabled: false }, address: null };
			await expect(scenarios.open(other, id)).rejects.toMatchObject({ status: 404 });
			await expect(scenarios.list(other)).rejects.toMatchObject({ status: 404 });
			await expect(scenarios.save(other, { name: 'x', body })).rejects.toMatchObject({ status: 404 });
			await expect(scenarios.save(other, { id, name: 'x', body })).rejects.toMatchObject({ status: 404 });
			await expect(scenarios.remove(other, id)).rejects.toMatchObject({ status: 404 });
		}
		expect((await scenarios.open(planner, id)).name).toBe('Riservato');
	});

	it('refuse a bad name or body with its problem, storing nothing and auditing nothing', async () => {
		const planner = await actor('planner');
		const count = async () => (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM planning_scenario`)[0]!.n;
		const before = await count();
		const cases: [unknown, unknown, string][] = [
			['', body, 'name'],
			['x'.repeat(121), body, 'name'],
			['a\u0000b', body, 'name'],
			[42, body, 'name'],
			['Ok', null, 'body'],
			['Ok', { ...body, need: 'pizza' }, 'body'],
			['Ok', { ...body, add: [{ at: [9.39, 95], needs: ['homework'] }] }, 'body'],
			['Ok', { ...body, hide: ['not-an-id'] }, 'body'],
			['Ok', { ...body, add: [{ at: [9.39, 45.85], needs: ['homework'], hours: '\ud800' }] }, 'body']
		];
		for (const [name, b, code] of cases) {
			await expect(scenarios.save(planner, { name, body: b }), JSON.stringify([name, b]).slice(0, 60)).rejects.toMatchObject({ status: 400, code });
		}
		await expect(scenarios.save(planner, { id: 'nonsense', name: 'Ok', body })).rejects.toMatchObject({ status: 404 });
		await expect(scenarios.save(planner, { id: '00000000-0000-0000-0000-000000000000', name: 'Ok', body })).rejects.toMatchObject({ status: 404 });
		expect(await count()).toBe(before);
		const [audited] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_event WHERE actor_id = ${planner.user.id}`;
		expect(audited!.n).toBe(0);
	});

	it('never hand out a stored body that no longer validates', async () => {
		const planner = await actor('planner');
		const id = await scenarios.save(planner, { name: 'Vecchio', body });
		await sql`UPDATE planning_scenario SET body = ${sql.json({ need: 'retired-need' })} WHERE id = ${id}`;
		await expect(scenarios.open(planner, id)).rejects.toMatchObject({ status: 404 });
	});
});
