import { describe, expect, it } from 'vitest';
import { AccountError, createUser } from '../../src/lib/server/auth/users';
import * as audit from '../../src/lib/server/db/audit';
import { sql } from '../../src/lib/server/db/client';
import * as pactDb from '../../src/lib/server/db/pact';
import * as partnerDb from '../../src/lib/server/db/partner';
import * as population from '../../src/lib/server/db/population';
import * as scenarios from '../../src/lib/server/planning/scenarios';
import * as plans from '../../src/lib/server/plans/plans';
import { romeDate } from '../setup/clock';

/*
 * Issue 13: staff are shown by their display name, not their email, wherever other staff see who
 * did what — the plan (lead, notes, consent, overrides, each referral's history and thread), the
 * plan's audit trail, the administrators' audit and change histories. An account without a name
 * (the first administrator made by `npm run admin` without --name) is shown by its email.
 */
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const PASSWORD = 'Sette nani nel bosco 1937';

describe('display names instead of emails', () => {
	it('the plan, its referral and its trail name the staff; the family’s copy names nobody; a nameless account shows its email', async () => {
		const [resource] = await sql<{ id: string; organization_id: string }[]>`
			SELECT r.id::text, r.organization_id::text FROM public_resource r JOIN service_need sn ON sn.service_id = r.service_id
			WHERE sn.need = 'food' ORDER BY r.id LIMIT 1`;
		const org = resource!.organization_id;
		const [other] = await sql<{ id: string }[]>`SELECT id::text FROM organization WHERE id <> ${org}::uuid ORDER BY id LIMIT 1`;
		const lead = { user: await createUser({ email: `lead-${run}@comune.test`, name: 'Lucia Referente', role: 'worker', password: PASSWORD }), address: '127.0.0.1' };
		const partner = {
			user: await createUser({ email: `partner-${run}@org.test`, name: '  Paolo Partner ', role: 'partner', organization: org, password: PASSWORD }),
			address: '10.4.4.4'
		};
		const nameless = { user: await createUser({ email: `nameless-${run}@org.test`, role: 'partner', organization: org, password: PASSWORD }), address: '10.4.4.5' };
		const emails = [lead.user.email, partner.user.email];

		const { id } = await plans.createPlan(lead, { household: { name: 'Famiglia Nomi', neighbourhood: 'Olate' }, strengths: ['Cucina'], needs: ['food'] });
		await plans.recordConsent(lead, id, { given_on: romeDate(0), document_ref: 'Modulo', scope: [org] });
		await plans.addMember(lead, id, { organization_id: other!.id, override_reason: 'Minore a rischio, serve subito' });
		const { id: referral } = await plans.addReferral(lead, id, { need: 'food', resource_id: resource!.id });
		await plans.setReferralStatus(partner, referral, { status: 'accepted' });
		await plans.sendReferralMessage(partner, referral, { text: 'Vi aspettiamo giovedì' });
		await plans.sendReferralMessage(nameless, referral, { text: 'Confermo' });
		await plans.addNote(partner, id, { text: 'Passano il sabato' });

		const view = await plans.getPlan(lead, id, { staleDays: 7 });
		expect(view.lead).toEqual({ id: lead.user.id, email: lead.user.email, name: 'Lucia Referente' });
		expect(view.consent?.collected_by_name).toBe('Lucia Referente');
		expect(view.overrides.map((o) => o.by_name)).toEqual(['Lucia Referente']);
		expect(view.notes.map((n) => n.author_name)).toEqual(['Paolo Partner']);
		const shown = view.referrals.find((r) => r.id === referral)!;
		expect(shown.history.map((step) => [step.to_status, step.actor_name])).toEqual([
			['sent', 'Lucia Referente'],
			['accepted', 'Paolo Partner']
		]);
		expect(shown.messages.map((m) => m.author)).toEqual(['Paolo Partner', nameless.user.email]);

		// The partner's inbox names who sent the referral.
		expect((await plans.inbox(partner)).find((r) => r.id === referral)?.referred_by).toBe('Lucia Referente');

		const trail = await plans.planAudit(lead, id);
		const names = new Set(trail.map((e) => e.actor_name));
		expect(names).toContain('Lucia Referente');
		expect(names).toContain('Paolo Partner');
		expect(names).toContain(nameless.user.email);
		for (const email of emails) expect(names).not.toContain(email);

		// The administrators' audit: the same names, found by the email they filter on.
		const events = await audit.list({ actor: partner.user.email, subjectId: id });
		expect(events.length).toBeGreaterThan(0);
		expect(new Set(events.map((e) => e.actor_name))).toEqual(new Set(['Paolo Partner']));

		// The family's copy names staff by role and organisation, never by name or email.
		const exported = JSON.stringify(await plans.exportHousehold(lead, id, { staleDays: 7 }));
		for (const secret of ['Paolo Partner', partner.user.email]) expect(exported).not.toContain(secret);
	});

	it('the change history and the application history name the staff', async () => {
		const [org] = await sql<{ id: string }[]>`SELECT id::text FROM organization ORDER BY id LIMIT 1`;
		const editor = await createUser({ email: `editor-${run}@org.test`, name: 'Elena Editrice', role: 'partner', organization: org!.id, password: PASSWORD });
		await sql`INSERT INTO record_change (actor_id, actor_email, organization_id, entity, entity_id, action, before, after)
			VALUES (${editor.id}::uuid, ${editor.email}, ${org!.id}::uuid, 'organization', ${org!.id}::uuid, 'verify', '{}', '{}')`;
		const [change] = await partnerDb.changes({ organizationId: org!.id, limit: 1 });
		expect(change).toMatchObject({ actor_email: editor.email, actor_name: 'Elena Editrice' });

		const reviewer = await createUser({ email: `reviewer-${run}@comune.test`, name: 'Rita Revisora', role: 'admin', password: PASSWORD });
		const [application] = await sql<{ id: string }[]>`
			INSERT INTO pact_application (applicant_id, status, payload, review_note, reviewer_id, reviewed_at)
			VALUES (${reviewer.id}::uuid, 'rejected', '{}'::jsonb, 'Non è un ente del territorio', ${reviewer.id}::uuid, now()) RETURNING id::text`;
		await sql`INSERT INTO pact_application_event (application_id, actor_id, from_status, to_status, note)
			VALUES (${application!.id}::uuid, ${reviewer.id}::uuid, 'submitted', 'rejected', 'Non è un ente del territorio')`;
		expect(await pactDb.get(application!.id)).toMatchObject({ reviewer_email: reviewer.email, reviewer_name: 'Rita Revisora' });
		expect(await pactDb.history(application!.id)).toEqual([expect.objectContaining({ actor_email: reviewer.email, actor_name: 'Rita Revisora' })]);
	});

	it('the planners’ scenarios and the population figures name who made them', async () => {
		const planner = await createUser({ email: `planner-${run}@comune.test`, name: 'Pia Pianificatrice', role: 'planner', password: PASSWORD });
		const body = { need: 'homework', within: 15, add: [], hide: [] };
		const id = await scenarios.save({ user: planner, address: '127.0.0.1' }, { name: `Prova ${run}`, body });
		expect((await scenarios.open({ user: planner, address: '127.0.0.1' }, id)).createdBy).toBe('Pia Pianificatrice');
		expect((await scenarios.list({ user: planner, address: '127.0.0.1' })).find((s) => s.id === id)).toMatchObject({ created_by_name: 'Pia Pianificatrice' });

		const admin = await createUser({ email: `figures-${run}@comune.test`, name: 'Franco Anagrafe', role: 'admin', password: PASSWORD });
		// An old reference date: kept as history, never the current figure other tests read.
		const figure = await population.enterFigure({ rione: 'Olate', residents: 1234, referenceDate: '2001-01-01', sourceNote: `Prova ${run}`, enteredBy: admin.id });
		expect((await population.history()).find((h) => h.id === figure)).toMatchObject({ enteredBy: 'Franco Anagrafe', current: false });
	});

	it('npm run admin may give a name (trimmed, at most 120 characters, no angle brackets)', async () => {
		const created = await createUser({ email: `first-${run}@comune.test`, name: 'Anna Amministratrice', role: 'admin', password: PASSWORD });
		expect((await sql`SELECT name FROM app_user WHERE id = ${created.id}::uuid`)[0]!.name).toBe('Anna Amministratrice');
		await expect(createUser({ email: `bad-${run}@comune.test`, name: '<b>Anna</b>', role: 'admin', password: PASSWORD })).rejects.toBeInstanceOf(AccountError);
		await expect(createUser({ email: `long-${run}@comune.test`, name: 'A'.repeat(121), role: 'admin', password: PASSWORD })).rejects.toMatchObject({ code: 'name' });
	});
});
