import { beforeAll, describe, expect, it } from 'vitest';
import type { NeedCode } from '../../src/lib/domain/taxonomy';
import { createUser } from '../../src/lib/server/auth/users';
import * as audit from '../../src/lib/server/db/audit';
import { sql } from '../../src/lib/server/db/client';
import * as demandDb from '../../src/lib/server/db/demand';
import { demandByRione, DemandInputError } from '../../src/lib/server/planning/demand';
import * as plans from '../../src/lib/server/plans/plans';
import { romeDate } from '../setup/clock';

/*
 * Demand against supply: households with a need in support plans, and those turned away for lack
 * of capacity, by rione, as planners see them. Plans, consents, referrals and declines go through
 * the plan service as a worker and a partner would make them. Needs no other test uses, so the
 * counts are this file's alone (checked first: the store is shared by the test files).
 */

const DAY = 86_400_000;
/** Instants relative to the test clock: inside and beyond the 12-month window of a plan closed today. */
const later = (days: number) => new Date(Date.now() + days * DAY);

type Actor = Awaited<ReturnType<typeof worker>>;

async function worker() {
	const user = await createUser({ email: `demand-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@atlante.test`, role: 'worker', password: 'Sette nani nel bosco 1937' });
	return { user, address: '127.0.0.1' };
}

async function partner(organizationId: string) {
	const user = await createUser({
		email: `demand-partner-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@atlante.test`,
		role: 'partner',
		password: 'Sette nani nel bosco 1937',
		organization: organizationId,
		organizationRole: 'editor'
	});
	return { user, address: '10.1.2.3' };
}

/** A household and its plan with `need`, in a rione (by name), at a point, or nowhere; then moved to `status`. */
async function household(lead: Actor, need: NeedCode, place: { rione?: string; point?: [number, number] }, status: 'draft' | 'active' | 'under_review' = 'active') {
	const { id } = await plans.createPlan(lead, {
		household: { name: 'Famiglia di prova', ...(place.rione ? { neighbourhood: place.rione } : {}), ...(place.point ? { point: place.point } : {}) },
		strengths: ['Si aiutano tra vicini'],
		needs: [need]
	});
	let version = 1;
	if (status !== 'draft') version = (await plans.updatePlan(lead, id, { version, status })).version;
	return { id, version };
}

async function close(lead: Actor, plan: { id: string; version: number }) {
	return { id: plan.id, version: (await plans.updatePlan(lead, plan.id, { version: plan.version, status: 'closed', outcome: 'Concluso' })).version };
}

/** A public resource offering `need`, and its organisation. */
async function resourceFor(need: string): Promise<{ id: string; organization_id: string }> {
	const [row] = await sql<{ id: string; organization_id: string }[]>`
		SELECT r.id::text, r.organization_id::text FROM public_resource r JOIN service_need sn ON sn.service_id = r.service_id
		WHERE sn.need = ${need} ORDER BY r.id LIMIT 1`;
	if (!row) throw new Error(`the seed has no resource offering ${need}`);
	return row;
}

/** The lead refers the plan's need to the resource; the organisation declines it with `code`. */
async function turnAway(lead: Actor, planId: string, need: NeedCode, code: string) {
	const resource = await resourceFor(need);
	await plans.recordConsent(lead, planId, { given_on: romeDate(0), document_ref: 'Modulo consenso', scope: [resource.organization_id] });
	const referral = await plans.addReferral(lead, planId, { need, resource_id: resource.id });
	await plans.setReferralStatus(await partner(resource.organization_id), referral.id, { status: 'declined', note: 'Posti esauriti', decline_code: code });
	return referral.id;
}

/** The true rows as a compact map: `rione|flags` → households (flags: demand active, demand 12 months, unmet active, unmet 12 months). */
async function trueCounts(need: NeedCode, now: Date) {
	const rows = await demandDb.householdsByRione(need, now);
	return Object.fromEntries(
		rows.map((r) => [`${r.rione ?? '-'}|${[r.demand_active, r.demand_last_12_months, r.unmet_active, r.unmet_last_12_months].map((f) => (f ? 1 : 0)).join('')}`, r.households])
	);
}

let rioni: string[];
beforeAll(async () => {
	rioni = await demandDb.rioneNames();
	expect(rioni.length).toBeGreaterThanOrEqual(3);
	for (const need of ['language', 'childcare', 'elderly', 'housing', 'health'] as const) {
		expect(await demandDb.householdsByRione(need, new Date()), `another test left plans with "${need}"`).toEqual([]);
	}
});

describe('true counts (SQL)', () => {
	it('counts households by rione and period: active and under review now; closed within 12 months after being in force; never drafts, deleted plans, or plans closed from draft', async () => {
		const lead = await worker();
		const [a, b] = rioni as [string, string];
		const need = 'language';
		await household(lead, need, { rione: a });
		await household(lead, need, { rione: a }, 'under_review');
		await household(lead, need, { rione: a }, 'draft');
		const closed = await close(lead, await household(lead, need, { rione: a }));
		// Closed straight from draft: never in force.
		await close(lead, await household(lead, need, { rione: a }, 'draft'));
		// Deleted (erased) plans never count, active or not.
		const erased = await household(lead, need, { rione: b });
		await plans.erase(lead, erased.id);
		// Closed, reopened: in force now.
		const reopened = await close(lead, await household(lead, need, { rione: b }));
		await plans.updatePlan(lead, reopened.id, { version: reopened.version, status: 'active' });
		// A household without a rione counts in the city only.
		await household(lead, need, {});
		// A household placed by its rounded point only: the rione containing it.
		const [inside] = await sql<{ lon: number; lat: number }[]>`
			SELECT round(ST_X(label_point)::numeric, 3)::float8 AS lon, round(ST_Y(label_point)::numeric, 3)::float8 AS lat FROM neighbourhood WHERE name = ${b}`;
		await household(lead, need, { point: [inside!.lon, inside!.lat] });
		// A plan that does not name the need.
		await household(lead, 'childcare', { rione: a });

		expect(await trueCounts(need, new Date())).toEqual({
			[`${a}|1100`]: 2,
			[`${a}|0100`]: 1,
			[`${b}|1100`]: 2,
			'-|1100': 1
		});
		// Eleven months on, the closed plan still counts for the 12 months; thirteen months on it does not.
		expect((await trueCounts(need, later(330)))[`${a}|0100`]).toBe(1);
		expect((await trueCounts(need, later(400)))[`${a}|0100`]).toBeUndefined();
		expect((await trueCounts(need, later(400)))[`${a}|1100`]).toBe(2);
		expect(closed.version).toBeGreaterThan(1);
	});

	it('counts a household turned away for lack of capacity as unmet demand, for that need only, for 12 months after the decline', async () => {
		const lead = await worker();
		const [a] = rioni as [string];
		const need = 'childcare';
		const before = await trueCounts(need, new Date());
		const full = await household(lead, need, { rione: a });
		await turnAway(lead, full.id, need, 'no_capacity');
		const ineligible = await household(lead, need, { rione: a });
		await turnAway(lead, ineligible.id, need, 'not_eligible');
		const now = await trueCounts(need, new Date());
		expect(now[`${a}|1111`]).toBe((before[`${a}|1111`] ?? 0) + 1);
		// The one declined for another reason is demand, not unmet demand.
		expect(now[`${a}|1100`]).toBe((before[`${a}|1100`] ?? 0) + 1);
		// Thirteen months after the decline, it is no longer unmet demand (still demand: its plan is active).
		const afterYear = await trueCounts(need, later(400));
		expect(afterYear[`${a}|1111`]).toBe(before[`${a}|1111`]);
		expect(afterYear[`${a}|1100`]).toBe((before[`${a}|1100`] ?? 0) + 2);
	});
});

describe('declining a referral', () => {
	it('needs a decline code from the list, and the database refuses a decline without one', async () => {
		const lead = await worker();
		const plan = await household(lead, 'elderly', { rione: rioni[0] });
		const resource = await resourceFor('elderly');
		await plans.recordConsent(lead, plan.id, { given_on: romeDate(0), document_ref: 'Modulo consenso', scope: [resource.organization_id] });
		const referral = await plans.addReferral(lead, plan.id, { need: 'elderly', resource_id: resource.id });
		const answerer = await partner(resource.organization_id);
		for (const input of [
			{ status: 'declined', note: 'Al completo' },
			{ status: 'declined', note: 'Al completo', decline_code: 'full' },
			{ status: 'accepted', decline_code: 'no_capacity' }
		]) {
			await expect(plans.setReferralStatus(answerer, referral.id, input)).rejects.toMatchObject({ status: 400 });
		}
		await expect(sql`UPDATE referral SET status = 'declined', reason = 'x' WHERE id = ${referral.id}::uuid`).rejects.toThrow(/referral_decline_code_required/);
		await plans.setReferralStatus(answerer, referral.id, { status: 'declined', note: 'Al completo', decline_code: 'no_capacity' });
		const seen = await plans.getPlan(lead, plan.id, { staleDays: 7 });
		expect(seen.referrals[0]).toMatchObject({ status: 'declined', reason: 'Al completo', decline_code: 'no_capacity' });
		// Deleting the plan takes the household out of the figures, unmet demand included.
		await plans.erase(lead, plan.id);
		expect(await trueCounts('elderly', new Date())).toEqual({});
	});
});

describe('published figures', () => {
	it('shows at least 5 households rounded to 5, "< 5" as null and suppressed, with complementary suppression, the same in every period; the read is audited', async () => {
		const lead = await worker();
		const need = 'housing';
		const [c, d, e] = rioni.slice(2) as [string, string, string];
		// 7 in c, 3 in d, 6 in e: 16 in the city.
		for (const [rione, n] of [[c, 7], [d, 3], [e, 6]] as const) for (let i = 0; i < n; i++) await household(lead, need, { rione });
		const reader = await worker();
		const active = await demandByRione(need, 'active', new Date(), reader);
		expect(active.rioni.size).toBe(rioni.length);
		// 7 → 5; 16 → 15.
		expect(active.rioni.get(c)).toEqual({ demand: 5, demand_suppressed: false, unmet: null, unmet_suppressed: true });
		expect(active.city).toEqual({ demand: 15, demand_suppressed: false, unmet: null, unmet_suppressed: true });
		// 3 is below the threshold; e's 6 is suppressed too, else 16 − 7 − 6 would give d's 3.
		expect(active.rioni.get(d)).toEqual({ demand: null, demand_suppressed: true, unmet: null, unmet_suppressed: true });
		expect(active.rioni.get(e)).toEqual({ demand: null, demand_suppressed: true, unmet: null, unmet_suppressed: true });
		for (const r of rioni.filter((r) => r !== c)) expect(active.rioni.get(r)!.demand).toBeNull();

		// Every plan is active: the 12 months show the same, whichever period is asked first.
		const recent = await demandByRione(need, 'last_12_months', new Date());
		expect(recent).toEqual(active);
		expect(await demandByRione(need, 'active', new Date())).toEqual(active);

		// One more household in c, its plan closed today: 8 in c for the 12 months, 7 active. The
		// difference (1) must not show, so the 12 months' c and total are suppressed.
		await close(lead, await household(lead, need, { rione: c }));
		const after = await demandByRione(need, 'last_12_months', new Date());
		expect(after.rioni.get(c)).toMatchObject({ demand: null, demand_suppressed: true });
		expect(after.city).toMatchObject({ demand: null, demand_suppressed: true });
		expect(await demandByRione(need, 'active', new Date())).toEqual(active);
		// Thirteen months on, the closed plan has left the 12 months: both periods agree again.
		expect(await demandByRione(need, 'last_12_months', later(400))).toEqual(active);

		const events = await audit.list({ action: 'planning.demand_read', subjectId: need, limit: 20 });
		expect(events.find((ev) => ev.actor_email === reader.user.email)).toMatchObject({ subject_type: 'need', detail: { period: 'active' } });
		expect(JSON.stringify(events)).not.toMatch(/Famiglia|F-[0-9A-Z]{6}/);
	});

	it('publishes unmet demand under the same rules, and refuses an unknown need or period', async () => {
		const lead = await worker();
		const need = 'health';
		const f = rioni[5]!;
		// Six households in f, all turned away for lack of places: demand and unmet demand agree (6 → 5).
		for (let i = 0; i < 6; i++) {
			const plan = await household(lead, need, { rione: f });
			await turnAway(lead, plan.id, need, 'no_capacity');
		}
		const figures = await demandByRione(need, 'active');
		expect(figures.rioni.get(f)).toEqual({ demand: 5, demand_suppressed: false, unmet: 5, unmet_suppressed: false });
		expect(figures.city).toEqual({ demand: 5, demand_suppressed: false, unmet: 5, unmet_suppressed: false });
		// A seventh, active but not turned away: demand 7 against unmet 6 would single it out, so the demand figures hide.
		await household(lead, need, { rione: f });
		const more = await demandByRione(need, 'active');
		expect(more.rioni.get(f)).toMatchObject({ unmet: 5, unmet_suppressed: false });
		expect(more.rioni.get(f)!.demand_suppressed && more.city.demand_suppressed).toBe(true);

		await expect(demandByRione('pizza' as NeedCode, 'active')).rejects.toBeInstanceOf(DemandInputError);
		await expect(demandByRione(need, 'forever' as 'active')).rejects.toMatchObject({ status: 400, field: 'period' });
	});
});
