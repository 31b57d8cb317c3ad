import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { requireApplication, requireOrganization, requirePlan, requireReferral, type Actor } from '../../src/lib/server/auth/access';
import { createUser } from '../../src/lib/server/auth/users';
import { sql } from '../../src/lib/server/db/client';
import * as db from '../../src/lib/server/db/plans';
import * as plans from '../../src/lib/server/plans/plans';

// Record-level access (src/lib/server/auth/access.ts): a missing record and a forbidden one get
// the same answer, each refusal is one audit row, and the consent-or-override rule is one rule.

const BAKERY = 'Panificio Il Forno del Rione (esempio)';
const PARISH = 'Comunità parrocchiale di Acquate (esempio)';
const MISSING = '00000000-0000-4000-8000-000000000000';
const PASSWORD = 'Sette nani nel bosco 1937';

let counter = 0;
const email = (who: string) => `access-${who}-${Date.now()}-${++counter}@atlante.test`;
const address = () => `192.0.2.${++counter % 250}`;

async function person(role: 'worker' | 'admin' | 'planner'): Promise<Actor> {
	return { user: await createUser({ email: email(role), role, password: PASSWORD }), address: address() };
}

async function staff(organization: string, organizationRole: 'editor' | 'viewer' = 'editor'): Promise<Actor> {
	return { user: await createUser({ email: email('partner'), role: 'partner', password: PASSWORD, organization, organizationRole }), address: address() };
}

async function organizationId(name: string): Promise<string> {
	const [row] = await sql<{ id: string }[]>`SELECT id::text FROM organization WHERE name = ${name}`;
	return row!.id;
}

/** What a refusal answers (status and message), or 'passed'. */
const answer = (promise: Promise<unknown>) =>
	promise.then(
		() => 'passed',
		(problem: unknown) => (isHttpError(problem) ? `${problem.status} ${problem.body.message}` : problem)
	);

/** Audit rows of this actor since the test began. */
async function refusals(actor: Actor): Promise<{ action: string; subject_type: string; subject_id: string; detail: Record<string, unknown> }[]> {
	return sql`SELECT action, subject_type, subject_id, detail FROM audit_event WHERE actor_id = ${actor.user.id}::uuid AND action LIKE '%.denied' ORDER BY id`;
}

async function planFor(lead: Actor) {
	const { id } = await plans.createPlan(lead, { household: { name: 'Famiglia Accessi', neighbourhood: 'Germanedo' }, strengths: ['Pazienza'], needs: ['food'] });
	return id;
}

describe('plans', () => {
	it('a missing plan and another’s plan answer the same 404, and each refusal is audited once', async () => {
		const lead = await person('worker');
		const id = await planFor(lead);
		const stranger = await person('worker');
		const missing = await answer(requirePlan(stranger, MISSING));
		const forbidden = await answer(requirePlan(stranger, id));
		expect(forbidden).toBe('404 No such plan, or it is not shared with you.');
		expect(missing).toBe(forbidden);
		expect(await refusals(stranger)).toEqual([
			{ action: 'plan.denied', subject_type: 'plan', subject_id: MISSING, detail: {} },
			{ action: 'plan.denied', subject_type: 'plan', subject_id: id, detail: {} }
		]);
		// Its lead passes, and nothing is written for them.
		expect(await requirePlan(lead, id, 'lead')).toMatchObject({ id, access: 'lead' });
		expect(await refusals(lead)).toEqual([]);
	});

	it('a member who is not the lead is told 403 for lead-only work (audited once), and sees the plan', async () => {
		const lead = await person('worker');
		const id = await planFor(lead);
		const baker = await staff(BAKERY);
		await plans.recordConsent(lead, id, { given_on: '2026-01-15', document_ref: 'Modulo 1', scope: [await organizationId(BAKERY)] });
		await plans.addMember(lead, id, { organization_id: await organizationId(BAKERY) });
		expect(await requirePlan(baker, id)).toMatchObject({ id, access: 'member' });
		expect(await answer(requirePlan(baker, id, 'lead'))).toBe('403 Only the plan’s lead worker can do this.');
		expect(await refusals(baker)).toEqual([{ action: 'plan.denied', subject_type: 'plan', subject_id: id, detail: { need: 'lead' } }]);
	});

	it('a referral another organisation may not answer is refused like a missing one, audited on its plan once (not lost with a rollback)', async () => {
		const lead = await person('worker');
		const { id } = await plans.createPlan(lead, { household: { name: 'Famiglia Invio', neighbourhood: 'Germanedo' }, strengths: ['Cucina'], needs: ['food'] });
		const bakery = await organizationId(BAKERY);
		await plans.recordConsent(lead, id, { given_on: '2026-01-15', document_ref: 'Modulo 2', scope: [bakery] });
		const resource = (await plans.suggestions(lead, id))[0]!.resources.find((r) => r.organization_id === bakery)!;
		const { id: referralId } = await plans.addReferral(lead, id, { need: 'food', resource_id: resource.id });

		const parish = await staff(PARISH);
		const missing = await answer(requireReferral(parish, MISSING));
		const forbidden = await answer(plans.setReferralStatus(parish, referralId, { status: 'accepted' }));
		expect(forbidden).toBe('404 No such referral, or it is not shared with you.');
		expect(missing).toBe(forbidden);
		expect(await refusals(parish)).toEqual([
			{ action: 'authz.denied', subject_type: 'referral', subject_id: MISSING, detail: {} },
			{ action: 'plan.denied', subject_type: 'plan', subject_id: id, detail: { referral: referralId } }
		]);
		// The receiving organisation's editor and the lead pass, as who they are.
		expect(await requireReferral(await staff(BAKERY), referralId)).toMatchObject({ isLead: false, isReceiver: true });
		expect(await requireReferral(lead, referralId)).toMatchObject({ isLead: true, isReceiver: false });
		// A viewer of the receiving organisation sees the plan but may not answer.
		expect(await answer(requireReferral(await staff(BAKERY, 'viewer'), referralId))).toBe(forbidden);
	});
});

describe('the consent-or-override rule', () => {
	it('is the same rule for who sees the plan, which members are covered, and which organisations may be referred to', async () => {
		const lead = await person('worker');
		const id = await planFor(lead);
		const [bakery, parish] = [await organizationId(BAKERY), await organizationId(PARISH)];
		const [baker, parishioner] = [await staff(BAKERY), await staff(PARISH)];
		/** For each organisation: seen by its staff, covered as a member, in coveredOrganizations. */
		const state = async () => {
			const covered = await db.coveredOrganizations(sql, id);
			const members = new Map((await db.content(id, 7)).members.map((m) => [m.organization_id, m.covered]));
			const row = async (org: string, actor: Actor) => [(await db.find(id, actor.user.id))?.access ?? null, members.get(org) ?? null, covered.has(org)];
			return { bakery: await row(bakery, baker), parish: await row(parish, parishioner) };
		};
		expect(await state()).toEqual({ bakery: [null, null, false], parish: [null, null, false] });
		// The consent names the bakery, which joins; the parish joins by an override.
		await plans.recordConsent(lead, id, { given_on: '2026-01-15', document_ref: 'Modulo 3', scope: [bakery] });
		await plans.addMember(lead, id, { organization_id: bakery });
		await plans.addMember(lead, id, { organization_id: parish, override_reason: 'Urgenza: la famiglia è senza cibo da giorni' });
		expect(await state()).toEqual({ bakery: ['member', true, true], parish: ['member', true, true] });
		// The consent withdrawn: the bakery is no longer covered anywhere; the override still holds.
		await plans.withdrawConsent(lead, id);
		expect(await state()).toEqual({ bakery: [null, false, false], parish: ['member', true, true] });
		// The override ended: nobody but the lead.
		await sql`UPDATE plan_override SET ended_at = now() WHERE plan_id = ${id}::uuid`;
		expect(await state()).toEqual({ bakery: [null, false, false], parish: [null, false, false] });
		expect((await db.find(id, lead.user.id))?.access).toBe('lead');
	});
});

describe('organisations and applications', () => {
	it('a missing organisation and another’s answer the same 404, audited once each', async () => {
		const baker = await staff(BAKERY);
		const parish = await organizationId(PARISH);
		const missing = await answer(requireOrganization(baker, MISSING, 'viewer'));
		const forbidden = await answer(requireOrganization(baker, parish, 'viewer'));
		expect(forbidden).toBe('404 Not found');
		expect(missing).toBe(forbidden);
		expect(await refusals(baker)).toEqual([
			{ action: 'authz.denied', subject_type: 'organization', subject_id: MISSING, detail: { need: 'viewer' } },
			{ action: 'authz.denied', subject_type: 'organization', subject_id: parish, detail: { need: 'viewer' } }
		]);
		expect(await requireOrganization(baker, await organizationId(BAKERY), 'editor')).toMatchObject({ id: baker.user.id });
		expect(await refusals(baker)).toHaveLength(2);
	});

	it('an application is for administrators: a missing one and anyone else’s look the same', async () => {
		const applicant = await person('planner');
		const [application] = await sql<{ id: string }[]>`
			INSERT INTO pact_application (applicant_id, payload) VALUES (${applicant.user.id}::uuid, '{"organization": {"name": "Prova"}}') RETURNING id::text`;
		const admin = await person('admin');
		const forbidden = await answer(requireApplication(applicant, application!.id));
		expect(forbidden).toBe('404 Not found');
		expect(await answer(requireApplication(admin, MISSING))).toBe(forbidden);
		expect(await refusals(applicant)).toEqual([{ action: 'authz.denied', subject_type: 'application', subject_id: application!.id, detail: {} }]);
		expect(await refusals(admin)).toEqual([{ action: 'authz.denied', subject_type: 'application', subject_id: MISSING, detail: {} }]);
		expect(await requireApplication(admin, application!.id)).toMatchObject({ id: application!.id });
	});
});
