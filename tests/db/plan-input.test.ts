import { afterEach, describe, expect, it, vi } from 'vitest';
import { blankValues } from '../../src/lib/domain/pact-application';
import { createUser } from '../../src/lib/server/auth/users';
import { sql } from '../../src/lib/server/db/client';
import * as validation from '../../src/lib/server/pact/validate';
import * as edits from '../../src/lib/server/partner/edits';
import * as plans from '../../src/lib/server/plans/plans';

// Bad input to the plan service (a 400 saying what to fix, nothing written) and to the pact application.

async function lead() {
	const user = await createUser({ email: `input-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@atlante.test`, role: 'worker', password: 'Sette nani nel bosco 1937' });
	return { user, address: '127.0.0.1' };
}

const orgNamed = async (name: string) => (await sql<{ id: string }[]>`SELECT id::text FROM organization WHERE name = ${name}`)[0]!.id;

/** Rows of the plan's content and consent: what a refused request must leave as it was. */
async function rowsOf(planId: string) {
	const [row] = await sql`
		SELECT (SELECT version FROM support_plan WHERE id = ${planId}::uuid) AS version,
			(SELECT count(*)::int FROM plan_goal WHERE plan_id = ${planId}::uuid) AS goals,
			(SELECT count(*)::int FROM plan_action WHERE plan_id = ${planId}::uuid) AS actions,
			(SELECT count(*)::int FROM plan_strength WHERE plan_id = ${planId}::uuid) AS strengths,
			(SELECT count(*)::int FROM plan_consent WHERE plan_id = ${planId}::uuid) AS consents`;
	return row;
}

async function refused(run: () => Promise<unknown>, message: RegExp) {
	const error = await run().then(
		() => null,
		(e: unknown) => e
	);
	expect(error, `expected a refusal matching ${message}`).toBeInstanceOf(plans.PlanError);
	expect((error as plans.PlanError).status).toBe(400);
	expect((error as plans.PlanError).message).toMatch(message);
}

describe('consent is dated by Lecco’s calendar day', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	// 00:30 in Rome: UTC is still on the previous day (23:30 in winter, 22:30 in summer).
	for (const [season, instant, today, tomorrow] of [
		['winter', '2026-01-15T23:30:00Z', '2026-01-16', '2026-01-17'],
		['summer', '2026-07-15T22:30:00Z', '2026-07-16', '2026-07-17']
	] as const) {
		it(`at 00:30 Rome time in ${season}, a consent dated today is recorded and one dated tomorrow refused`, async () => {
			// Only Date is faked (the database client's timers run as usual); `now` is passed too.
			vi.useFakeTimers({ toFake: ['Date'] });
			vi.setSystemTime(new Date(instant));
			const now = new Date(instant);
			const actor = await lead();
			const { id } = await plans.createPlan(actor, { household: { name: 'Famiglia Mezzanotte', neighbourhood: 'Germanedo' }, strengths: ['Vicini presenti'] });
			const bakery = await orgNamed('Panificio Il Forno del Rione (esempio)');
			await refused(() => plans.recordConsent(actor, id, { given_on: tomorrow, document_ref: 'Modulo M', scope: [bakery] }, now), /future/);
			await plans.recordConsent(actor, id, { given_on: today, document_ref: 'Modulo M', scope: [bakery] }, now);
			expect((await rowsOf(id))!.consents).toBe(1);
		});
	}
});

describe('the plan service refuses bad input with nothing written', () => {
	it('impossible days, out-of-range versions, unknown organisations, NUL and lone surrogates', async () => {
		const actor = await lead();
		const { id } = await plans.createPlan(actor, { household: { name: 'Famiglia Rifiuti', neighbourhood: 'Germanedo' }, strengths: ['Pazienza'] });
		const before = await rowsOf(id);
		const goal = (due_on: string) => ({ version: 1, goals: [{ text: 'Iscrizione', due_on }] });

		// Stored as 2026-03-03 before: JavaScript's calendar rolls it over, PostgreSQL's refused 13.
		await refused(() => plans.updatePlan(actor, id, goal('2026-02-31')), /goals\.0\.due_on: must be a real day/);
		await refused(() => plans.updatePlan(actor, id, goal('2026-13-01')), /goals\.0\.due_on: must be a real day/);
		await refused(() => plans.updatePlan(actor, id, { version: 2147483648, status: 'active' }), /version/);
		await refused(
			() => plans.updatePlan(actor, id, { version: 1, actions: [{ text: 'Colloquio', organization_id: '00000000-0000-4000-8000-000000000000' }] }),
			/actions: no organisation has the id 00000000-0000-4000-8000-000000000000/
		);
		await refused(() => plans.updatePlan(actor, id, { version: 1, strengths: ['Forza\0'] }), /strengths\.0\.text: contains a NUL/);
		await refused(() => plans.updatePlan(actor, id, { version: 1, strengths: ['\ud800'] }), /lone surrogate/);
		await refused(() => plans.addNote(actor, id, { text: 'nota\0' }), /NUL/);
		await refused(() => plans.recordConsent(actor, id, { given_on: '1900-01-01', document_ref: 'Modulo', scope: [] }), /given_on: must be a real day/);
		await refused(() => plans.recordConsent(actor, id, { given_on: '2026-02-31', document_ref: 'Modulo', scope: [] }), /given_on/);
		await refused(() => plans.createPlan(actor, { household: { name: 'Famiglia\0' }, strengths: ['x'] }), /household\.name: contains a NUL/);
		expect(await rowsOf(id)).toEqual(before);

		// What is right still goes through.
		expect(await plans.updatePlan(actor, id, goal('2028-02-29'))).toEqual({ version: 2 });
	});
});

describe('the pact application takes the same text rule', () => {
	it('a NUL or a lone surrogate in a text field is refused for that field with the code "text"', async () => {
		const values = blankValues();
		values.organization.name = 'Associazione\0';
		values.organization.description = 'Descrizione \ud800';
		values.contact.name = 'Maria Rossi';
		const checked = await validation.validate(values, { servedMarginM: 3000 });
		expect(checked.ok).toBe(false);
		if (checked.ok) return;
		expect(checked.errors['organization.name']).toBe('text');
		expect(checked.errors['organization.description']).toBe('text');
		expect(checked.errors['contact.name']).toBeUndefined();
	});
});

describe('partner forms take the same text rule', () => {
	it('a control character in a text field is refused for that field, with the same problem code', () => {
		const form = new FormData();
		form.set('name', 'Associazione\u0007');
		form.set('description', 'Descrizione\u0001');
		form.set('email', '');
		form.set('website', '');
		const parsed = edits.parseOrganizationForm(form);
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.errors).toMatchObject({ name: 'text', description: 'text' });
	});
});
