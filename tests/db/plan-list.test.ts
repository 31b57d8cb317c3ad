import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/users';
import { sql } from '../../src/lib/server/db/client';
import * as plans from '../../src/lib/server/plans/plans';
import { romeDate } from '../setup/clock';

/*
 * The plan list (issue 13): the lead sees each household's name beside its code, decrypted on the
 * server and audited; a partner sees it only once their organisation accepted one of the plan's
 * referrals; the list is searched by code or name after decryption; waiting referrals are counted.
 */
const PASSWORD = 'Sette nani nel bosco 1937';
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const settings = { staleDays: 7 };

describe('the plan list', () => {
	it('names, search and waiting referrals, for the lead and for a partner', async () => {
		const lead = { user: await createUser({ email: `list-lead-${run}@staff.test`, role: 'worker', password: PASSWORD }), address: '127.0.0.1' };
		const [resource] = await sql<{ id: string; organization_id: string }[]>`
			SELECT r.id::text, r.organization_id::text FROM public_resource r JOIN service_need sn ON sn.service_id = r.service_id
			WHERE sn.need = 'food' ORDER BY r.id LIMIT 1`;
		const partner = {
			user: await createUser({ email: `list-partner-${run}@staff.test`, role: 'partner', password: PASSWORD, organization: resource!.organization_id, organizationRole: 'editor' }),
			address: '10.2.2.2'
		};
		const open = async (name: string) => {
			const plan = await plans.createPlan(lead, { household: { name, neighbourhood: 'Rancio' }, strengths: ['Orto'], needs: ['food'] });
			await plans.recordConsent(lead, plan.id, { given_on: romeDate(0), document_ref: 'Modulo', scope: [resource!.organization_id] });
			return { ...plan, referral: (await plans.addReferral(lead, plan.id, { need: 'food', resource_id: resource!.id })).id };
		};
		const rossi = await open(`Famiglia Rossì ${run}`);
		const bianchi = await open(`Famiglia Bianchi ${run}`);

		const mine = (await plans.listPlans(lead, settings)).filter((p) => p.id === rossi.id || p.id === bianchi.id);
		expect(mine.map((p) => p.name).sort()).toEqual([`Famiglia Bianchi ${run}`, `Famiglia Rossì ${run}`]);
		for (const plan of mine) expect(plan).toMatchObject({ waiting_referrals: 1, stale_referrals: 0 });
		expect(mine[0]).not.toHaveProperty('identity_ciphertext');

		// Search after decryption: case, accents and spaces aside; by code too.
		expect((await plans.listPlans(lead, settings, `rossi  ${run.toUpperCase()}`)).map((p) => p.id)).toEqual([rossi.id]);
		expect((await plans.listPlans(lead, settings, bianchi.code.toLowerCase())).map((p) => p.id)).toEqual([bianchi.id]);
		expect(await plans.listPlans(lead, settings, `nessuno ${run}`)).toEqual([]);

		// The partner: codes only until their organisation accepts; then that plan's name.
		const before = (await plans.listPlans(partner, settings)).filter((p) => p.id === rossi.id || p.id === bianchi.id);
		expect(before.map((p) => p.name)).toEqual([null, null]);
		expect(await plans.listPlans(partner, settings, 'Rossì')).toEqual([]);
		await plans.setReferralStatus(partner, rossi.referral, { status: 'accepted' });
		const after = await plans.listPlans(partner, settings);
		expect(after.find((p) => p.id === rossi.id)?.name).toBe(`Famiglia Rossì ${run}`);
		expect(after.find((p) => p.id === bianchi.id)?.name).toBeNull();
		// The lead's count follows: one waiting referral left on Bianchi, none on Rossi.
		const counts = Object.fromEntries((await plans.listPlans(lead, settings)).map((p) => [p.id, p.waiting_referrals]));
		expect([counts[rossi.id], counts[bianchi.id]]).toEqual([0, 1]);

		// Each read of names is audited, naming the plans.
		const [event] = await sql<{ detail: { names_read?: string[]; searched?: boolean } }[]>`
			SELECT detail FROM audit_event WHERE action = 'plan.listed' AND actor_id = ${partner.user.id}::uuid ORDER BY id DESC LIMIT 1`;
		expect(event!.detail.names_read).toContain(rossi.id);
		expect(event!.detail.names_read).not.toContain(bianchi.id);
	});
});
