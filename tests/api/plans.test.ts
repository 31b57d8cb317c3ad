import { beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_USERS, type TestUser } from '../setup/test-users-list';
import { sessionOf } from './session';

// The private plans API (issue 6) over HTTP: membership, consent, referrals, audit, concurrency.
const base = inject('baseUrl');
const origin = new URL(base).origin;

const as = sessionOf;

async function call(who: TestUser | null, method: string, path: string, data?: unknown) {
	const headers: Record<string, string> = { origin };
	if (who) headers.cookie = await as(who);
	if (data !== undefined) headers['content-type'] = 'application/json';
	const response = await fetch(base + path, { method, headers, body: data === undefined ? undefined : JSON.stringify(data), redirect: 'manual' });
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null, cacheControl: response.headers.get('cache-control') };
}

const FAMILY_NAME = 'Famiglia Brambilla-Ndiaye';

describe('the support plans API', () => {
	let orgA: string; // Panificio (partnerA's)
	let orgB: string; // Acquate parish (partnerB's)
	let planId: string;
	let foodResource: string; // a resource of orgA offering food
	let homeworkResource: string; // a resource of orgB offering homework

	beforeAll(async () => {
		orgA = (await call('partnerA', 'GET', '/api/me')).body.organizations[0].id;
		orgB = (await call('partnerB', 'GET', '/api/me')).body.organizations[0].id;
		// A resource of partner A's organisation that offers food.
		const food = await call(null, 'GET', '/api/resources?need=food&limit=500');
		for (const feature of food.body.features as { id: string }[]) {
			const detail = await call(null, 'GET', `/api/resources/${feature.id}`);
			if (detail.body.properties.organization.id === orgA) {
				foodResource = feature.id;
				break;
			}
		}
		expect(foodResource).toBeTruthy();
		const homework = await call(null, 'GET', '/api/resources?need=homework&limit=500');
		for (const feature of homework.body.features as { id: string }[]) {
			const detail = await call(null, 'GET', `/api/resources/${feature.id}`);
			if (detail.body.properties.organization.id === orgB) {
				homeworkResource = feature.id;
				break;
			}
		}
		expect(homeworkResource).toBeTruthy();
	});

	it('a worker opens a household and plan with strengths and needs → 201; the name is only inside the plan', async () => {
		const created = await call('worker', 'POST', '/api/plans', {
			household: { name: FAMILY_NAME, neighbourhood: 'Germanedo', phone: '333 000 0000' },
			strengths: [{ kind: 'skill', text: 'La mamma cucina per tutto il palazzo' }, 'Nonna presente il pomeriggio'],
			needs: ['food', { need: 'homework', words: 'Il figlio maggiore fatica in matematica' }]
		});
		expect(created.status).toBe(201);
		expect(created.cacheControl).toBe('no-store');
		expect(created.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), code: expect.stringMatching(/^F-[0-9A-Z]{6}$/) });
		planId = created.body.id;

		const plan = await call('worker', 'GET', `/api/plans/${planId}`);
		expect(plan.status).toBe(200);
		expect(plan.body.household).toMatchObject({ name: FAMILY_NAME, neighbourhood: 'Germanedo', phone: '333 000 0000' });
		expect(plan.body.strengths.map((s: { text: string }) => s.text)).toEqual(['La mamma cucina per tutto il palazzo', 'Nonna presente il pomeriggio']);
		expect(plan.body.needs.map((n: { need: string }) => n.need)).toEqual(['food', 'homework']);
		expect(plan.body).toMatchObject({ status: 'draft', version: 1, access: 'lead', members: [], referrals: [], consent: null });

		const list = await call('worker', 'GET', '/api/plans');
		expect(list.body.map((p: { id: string }) => p.id)).toContain(planId);
		// The lead's list shows the household's name beside its code (issue 13: workers see their
		// families); a partner's list, before any referral of theirs is accepted, the code only.
		expect(list.body.find((p: { id: string }) => p.id === planId)).toMatchObject({ name: 'Famiglia Brambilla-Ndiaye' });
		const partnerList = await call('partnerA', 'GET', '/api/plans');
		expect(JSON.stringify(partnerList.body)).not.toContain('Brambilla');
	});

	it('the plan page words each suggestion\'s minutes by their basis: the estimate, "circa N min a piedi"', async () => {
		const html = await (await fetch(`${base}/piani/${planId}`, { headers: { cookie: await as('worker') } })).text();
		const items = [...html.matchAll(/<li data-resource="[^"]+"[^>]*>([\s\S]*?)<\/li>/g)].map((m) => m[1]!);
		expect(items.length).toBeGreaterThan(0);
		// The suggestions are estimated from the household's rounded place (walk_basis 'estimate', see
		// tests/db/plans.test.ts), so every one says "circa" before its minutes.
		for (const item of items) expect(item).toMatch(/circa \d+ min a piedi/);
	});

	it('refuses bad input with messages a person can act on', async () => {
		const noStrengths = await call('worker', 'POST', '/api/plans', { household: { name: 'X' }, strengths: [], needs: [] });
		expect(noStrengths.status).toBe(400);
		expect(noStrengths.body.error).toMatch(/strengths: name at least one/);
		const badNeed = await call('worker', 'POST', '/api/plans', { household: { name: 'X' }, strengths: ['a'], needs: ['pizza'] });
		expect(badNeed.body.error).toMatch(/must be one of food, clothing/);
		const badRione = await call('worker', 'POST', '/api/plans', { household: { name: 'X', neighbourhood: 'Atlantide' }, strengths: ['a'] });
		expect(badRione.body.error).toMatch(/unknown rione "Atlantide"; known: .*Germanedo/);
		const notJson = await fetch(`${base}/api/plans`, { method: 'POST', headers: { origin, cookie: await as('worker'), 'content-type': 'application/json' }, body: '{' });
		expect(notJson.status).toBe(400);
		// A partner cannot open plans.
		expect((await call('partnerA', 'POST', '/api/plans', { household: { name: 'X' }, strengths: ['a'] })).status).toBe(403);
	});

	it('answers 404 to every non-member on every plan endpoint: other partners, another worker, planners, admins, anonymous', async () => {
		const endpoints: [string, string, unknown?][] = [
			['GET', `/api/plans/${planId}`],
			['PATCH', `/api/plans/${planId}`, { version: 1, status: 'active' }],
			['DELETE', `/api/plans/${planId}`],
			['PUT', `/api/plans/${planId}/consent`, { given_on: '2026-11-01', document_ref: 'X', scope: [] }],
			['DELETE', `/api/plans/${planId}/consent`],
			['POST', `/api/plans/${planId}/members`, { organization_id: orgA, override_reason: 'a long enough reason' }],
			['POST', `/api/plans/${planId}/referrals`, { need: 'food', resource_id: foodResource }],
			['GET', `/api/plans/${planId}/audit`],
			['GET', `/api/plans/${planId}/export`]
		];
		const outsiders: (TestUser | null)[] = ['partnerA', 'partnerB', 'worker2', 'planner', 'admin', null];
		const leaks: string[] = [];
		for (const who of outsiders) {
			for (const [method, path, data] of endpoints) {
				const { status, body } = await call(who, method, path, data);
				if (status !== 404) leaks.push(`${method} ${path} as ${who ?? 'anonymous'}: ${status}`);
				if (JSON.stringify(body ?? '').includes('Brambilla')) leaks.push(`${method} ${path} as ${who}: leaked the name`);
			}
			const list = await call(who, 'GET', '/api/plans');
			if (list.status === 200 && list.body.some((p: { id: string }) => p.id === planId)) leaks.push(`list as ${who}`);
		}
		expect(leaks).toEqual([]);
		// The plan is untouched by all that.
		expect((await call('worker', 'GET', `/api/plans/${planId}`)).body).toMatchObject({ version: 1, status: 'draft', consent: null });
	});

	it('without consent a partner cannot join; with consent it can, sees the plan, and gets the referral', async () => {
		const refused = await call('worker', 'POST', `/api/plans/${planId}/members`, { organization_id: orgA });
		expect(refused.status).toBe(409);
		expect(refused.body.error).toMatch(/consent does not cover/);
		const referralRefused = await call('worker', 'POST', `/api/plans/${planId}/referrals`, { need: 'food', resource_id: foodResource });
		expect(referralRefused.status).toBe(409);

		const future = await call('worker', 'PUT', `/api/plans/${planId}/consent`, { given_on: '2099-01-01', document_ref: 'Modulo 12/2026', scope: [orgA] });
		expect(future.status).toBe(400);
		expect((await call('worker', 'PUT', `/api/plans/${planId}/consent`, { given_on: '2026-11-20', document_ref: 'Modulo 12/2026', scope: [orgA] })).status).toBe(204);

		const referral = await call('worker', 'POST', `/api/plans/${planId}/referrals`, { need: 'food', resource_id: foodResource });
		expect(referral.status).toBe(201);
		// One open referral per need and resource: the second is refused, saying what to do.
		const again = await call('worker', 'POST', `/api/plans/${planId}/referrals`, { need: 'food', resource_id: foodResource });
		expect(again.status).toBe(409);
		expect(again.body.error).toMatch(/already open \(sent\)\. Wait for the organisation's answer, or close that referral/);
		// The plan page's form says the same, in the person's language.
		const form = await fetch(`${base}/piani/${planId}?/refer`, {
			method: 'POST',
			headers: { origin, cookie: await as('worker'), accept: 'application/json', 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ need: 'food', resource_id: foodResource })
		});
		const result = await form.json();
		expect(result).toMatchObject({ type: 'failure', status: 409 });
		expect(result.data).toContain('referralOpen');
		const wrongNeed = await call('worker', 'POST', `/api/plans/${planId}/referrals`, { need: 'legal', resource_id: foodResource });
		expect(wrongNeed.status).toBe(400);

		const seen = await call('partnerA', 'GET', `/api/plans/${planId}`);
		expect(seen.status).toBe(200);
		expect(seen.body.access).toBe('member');
		// Not before it accepts: code and rione only.
		expect(JSON.stringify(seen.body)).not.toContain('Brambilla');
		expect(seen.body.household).toEqual({ code: expect.stringMatching(/^F-/), erased: false, neighbourhood: 'Germanedo' });
		expect(seen.body.members.map((m: { organization_id: string }) => m.organization_id)).toEqual([orgA]);
		const inbox = await call('partnerA', 'GET', '/api/referrals');
		expect(inbox.body.map((r: { id: string }) => r.id)).toContain(referral.body.id);
		// partner B is still outside.
		expect((await call('partnerB', 'GET', `/api/plans/${planId}`)).status).toBe(404);
		expect((await call('partnerB', 'PATCH', `/api/referrals/${referral.body.id}`, { status: 'accepted' })).status).toBe(404);

		// The partner answers; history keeps every step; a decline would need a reason.
		expect((await call('partnerA', 'PATCH', `/api/referrals/${referral.body.id}`, { status: 'completed' })).status).toBe(409);
		// A decline names its code as well as its reason; a code goes with a decline only (400, nothing changes).
		expect((await call('partnerA', 'PATCH', `/api/referrals/${referral.body.id}`, { status: 'declined', note: 'Al completo' })).status).toBe(400);
		expect((await call('partnerA', 'PATCH', `/api/referrals/${referral.body.id}`, { status: 'declined', note: 'Al completo', decline_code: 'full' })).status).toBe(400);
		expect((await call('partnerA', 'PATCH', `/api/referrals/${referral.body.id}`, { status: 'accepted', decline_code: 'no_capacity' })).status).toBe(400);
		expect((await call('partnerA', 'PATCH', `/api/referrals/${referral.body.id}`, { status: 'accepted' })).status).toBe(204);
		expect((await call('partnerA', 'PATCH', `/api/referrals/${referral.body.id}`, { status: 'in_progress' })).status).toBe(204);
		expect((await call('partnerA', 'PATCH', `/api/referrals/${referral.body.id}`, { status: 'completed', note: 'Pane ogni mattina' })).status).toBe(204);
		const after = await call('worker', 'GET', `/api/plans/${planId}`);
		const history = after.body.referrals[0].history.map((h: { to_status: string }) => h.to_status);
		expect(history).toEqual(['sent', 'accepted', 'in_progress', 'completed']);
		expect(after.body.referrals[0].history[1].actor_email).toBe(TEST_USERS.partnerA.email);
	});

	it('an override lets a partner in without consent, kept with its reason; withdrawing consent ends consent-based access at once', async () => {
		const short = await call('worker', 'POST', `/api/plans/${planId}/members`, { organization_id: orgB, override_reason: 'urgente' });
		expect(short.status).toBe(409);
		expect((await call('worker', 'POST', `/api/plans/${planId}/members`, { organization_id: orgB, override_reason: 'Minore a rischio, segnalazione del 20/11' })).status).toBe(204);
		expect((await call('partnerB', 'GET', `/api/plans/${planId}`)).status).toBe(200);
		const plan = await call('worker', 'GET', `/api/plans/${planId}`);
		expect(plan.body.overrides).toEqual([expect.objectContaining({ organization_id: orgB, reason: 'Minore a rischio, segnalazione del 20/11' })]);

		expect((await call('partnerA', 'GET', `/api/plans/${planId}`)).status).toBe(200);
		expect((await call('worker', 'DELETE', `/api/plans/${planId}/consent`)).status).toBe(204);
		expect((await call('partnerA', 'GET', `/api/plans/${planId}`)).status).toBe(404);
		expect((await call('partnerA', 'GET', '/api/referrals')).body).toEqual([]);
		expect((await call('worker', 'DELETE', `/api/plans/${planId}/consent`)).status).toBe(409);
	});

	it('records every access in the audit trail, which members can read', async () => {
		const trail = await call('worker', 'GET', `/api/plans/${planId}/audit`);
		expect(trail.status).toBe(200);
		const actions = trail.body.map((e: { actor: string; action: string }) => `${e.actor} ${e.action}`);
		for (const expected of [
			`${TEST_USERS.worker.email} plan.created`,
			`${TEST_USERS.worker.email} plan.read`,
			`${TEST_USERS.worker.email} plan.consent_recorded`,
			`${TEST_USERS.worker.email} plan.referral_sent`,
			`${TEST_USERS.partnerA.email} plan.read`,
			`${TEST_USERS.partnerA.email} referral.status_changed`,
			`${TEST_USERS.partnerB.email} plan.denied`,
			`${TEST_USERS.worker.email} plan.override`,
			`${TEST_USERS.worker.email} plan.consent_withdrawn`
		]) {
			expect(actions).toContain(expected);
		}
		// The trail holds ids and facts, never the family's name.
		expect(JSON.stringify(trail.body)).not.toContain('Brambilla');
	});

	it('the trail page shows 100 events a page, newest first, with a link to the older ones that works without JavaScript', async () => {
		// Every read is an event: enough of them for a second page.
		for (let i = 0; i < 110; i += 1) expect((await call('worker', 'GET', `/api/plans/${planId}`)).status).toBe(200);
		const cookie = await as('worker');
		const page = async (query: string) => {
			const response = await fetch(`${base}/piani/${planId}/registro${query}`, { headers: { cookie } });
			expect(response.status).toBe(200);
			return response.text();
		};
		const rows = (html: string) => [...html.matchAll(/<tr data-action="([^"]+)"/g)].map((m) => m[1]);
		const first = await page('');
		expect(rows(first)).toHaveLength(100);
		const older = /href="\?prima=(\d+)"/.exec(first)?.[1];
		expect(older).toBeTruthy();
		const second = await page(`?prima=${older}`);
		// The plan's first event is on a later page: older than every event on the first.
		expect(rows(second).length).toBeGreaterThan(0);
		expect(second).toContain('href="?"');
		// The API keeps answering the whole trail (up to 1,000 events) in one array.
		const trail = await call('worker', 'GET', `/api/plans/${planId}/audit`);
		expect(trail.body.length).toBeGreaterThan(110);
		// A malformed cursor is the first page, not an error.
		expect(rows(await page('?prima=abc'))).toHaveLength(100);
	});

	it('two people editing at once: the second gets a clear 409 and nothing is lost', async () => {
		const { body: plan } = await call('worker', 'GET', `/api/plans/${planId}`);
		const first = await call('worker', 'PATCH', `/api/plans/${planId}`, { version: plan.version, status: 'active', goals: [{ text: 'Spesa settimanale garantita', due_on: '2026-12-31' }] });
		expect(first).toMatchObject({ status: 200, body: { version: plan.version + 1 } });
		const second = await call('worker', 'PATCH', `/api/plans/${planId}`, { version: plan.version, strengths: [{ kind: 'time', text: 'Sovrascrittura' }] });
		expect(second.status).toBe(409);
		expect(second.body.error).toMatch(/Someone else changed this plan/);
		const now = (await call('worker', 'GET', `/api/plans/${planId}`)).body;
		expect(now.status).toBe('active');
		expect(now.goals.map((g: { text: string }) => g.text)).toEqual(['Spesa settimanale garantita']);
		expect(now.strengths.map((s: { text: string }) => s.text)).toContain('La mamma cucina per tutto il palazzo');
		// Closing needs an outcome.
		expect((await call('worker', 'PATCH', `/api/plans/${planId}`, { version: now.version, status: 'closed' })).status).toBe(400);
		expect((await call('worker', 'PATCH', `/api/plans/${planId}`, { version: now.version, status: 'closed', outcome: 'Obiettivi raggiunti' })).status).toBe(200);
	});

	it('exports everything for the family, then erases it: identity gone, code and trail kept', async () => {
		const exported = await call('worker', 'GET', `/api/plans/${planId}/export`);
		expect(exported.status).toBe(200);
		expect(exported.body.plan.household.name).toBe(FAMILY_NAME);
		expect(exported.body.audit.length).toBeGreaterThan(5);
		expect((await call('worker', 'DELETE', `/api/plans/${planId}`)).status).toBe(204);
		expect((await call('worker', 'GET', `/api/plans/${planId}`)).status).toBe(404);
		expect((await call('worker', 'GET', '/api/plans')).body.some((p: { id: string }) => p.id === planId)).toBe(false);
	});

	it('two referrals racing for the same need and resource: exactly one is sent', async () => {
		const created = await call('worker', 'POST', '/api/plans', { household: { name: 'Famiglia Di Corsa', neighbourhood: 'Germanedo' }, strengths: ['Puntuali'], needs: ['food'] });
		const id = created.body.id;
		expect((await call('worker', 'PUT', `/api/plans/${id}/consent`, { given_on: '2026-11-20', document_ref: 'Modulo 13/2026', scope: [orgA] })).status).toBe(204);
		const answers = await Promise.all([0, 1, 2].map(() => call('worker', 'POST', `/api/plans/${id}/referrals`, { need: 'food', resource_id: foodResource })));
		expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
		for (const refused of answers.filter((a) => a.status === 409)) expect(refused.body.error).toMatch(/already open/);
		expect((await call('worker', 'GET', `/api/plans/${id}`)).body.referrals).toHaveLength(1);
	});

	it('a partner sees a minimised plan: no identifiers, notes or other organisations’ referrals; contact details once it accepts', async () => {
		const family = { name: 'Famiglia Mazzoleni-Diallo', phone: '340 111 2233', address: 'Via Nascosta 12', notes: 'Riservato: situazione abitativa precaria' };
		const created = await call('worker', 'POST', '/api/plans', {
			household: { ...family, neighbourhood: 'Germanedo' },
			strengths: ['Il figlio suona la chitarra'],
			needs: ['food', 'homework']
		});
		const id = created.body.id;
		expect((await call('worker', 'PUT', `/api/plans/${id}/consent`, { given_on: '2026-11-20', document_ref: 'Modulo 14/2026', scope: [orgA, orgB] })).status).toBe(204);
		const toA = await call('worker', 'POST', `/api/plans/${id}/referrals`, { need: 'food', resource_id: foodResource });
		const toB = await call('worker', 'POST', `/api/plans/${id}/referrals`, { need: 'homework', resource_id: homeworkResource });
		expect([toA.status, toB.status]).toEqual([201, 201]);
		const secrets = [family.name, 'Mazzoleni', family.phone, family.address, family.notes, toB.body.id, orgB];

		const before = await call('partnerA', 'GET', `/api/plans/${id}`);
		expect(before.status).toBe(200);
		for (const secret of secrets) expect(JSON.stringify(before.body), secret).not.toContain(secret);
		expect(before.body.referrals.map((r: { id: string }) => r.id)).toEqual([toA.body.id]);
		expect(before.body.strengths.map((s: { text: string }) => s.text)).toEqual(['Il figlio suona la chitarra']);
		expect(before.body).toMatchObject({ sharing: { profile: true, notes: false }, consent: null, overrides: [] });
		// Nor through the plan's trail, nor the inbox.
		for (const path of [`/api/plans/${id}/audit`, '/api/referrals']) {
			const other = await call('partnerA', 'GET', path);
			for (const secret of secrets) expect(JSON.stringify(other.body), `${path}: ${secret}`).not.toContain(secret);
		}

		expect((await call('partnerA', 'PATCH', `/api/referrals/${toA.body.id}`, { status: 'accepted' })).status).toBe(204);
		const working = await call('partnerA', 'GET', `/api/plans/${id}`);
		expect(working.body.referrals).toEqual([expect.objectContaining({ id: toA.body.id, contact: { name: family.name, phone: family.phone, address: family.address } })]);
		expect(working.body.household).not.toHaveProperty('name');
		for (const secret of [family.notes, toB.body.id, orgB]) expect(JSON.stringify(working.body)).not.toContain(secret);
		// Partner B, not yet accepted, still sees no identifiers.
		const other = await call('partnerB', 'GET', `/api/plans/${id}`);
		for (const secret of [family.name, family.phone, family.address, family.notes, toA.body.id]) expect(JSON.stringify(other.body)).not.toContain(secret);

		// The lead may share the notes; only the lead.
		expect((await call('partnerA', 'PUT', `/api/plans/${id}/sharing`, { profile: true, notes: true })).status).toBe(403);
		expect((await call('worker', 'PUT', `/api/plans/${id}/sharing`, { profile: true, notes: 'yes' })).status).toBe(400);
		expect((await call('worker', 'PUT', `/api/plans/${id}/sharing`, { profile: false, notes: true })).status).toBe(204);
		const shared = await call('partnerA', 'GET', `/api/plans/${id}`);
		expect(shared.body).toMatchObject({ strengths: [], needs: [], household: { notes: family.notes } });
		// The plan page's form: an unticked box is not shared.
		const form = await fetch(`${base}/piani/${id}?/sharing`, {
			method: 'POST',
			headers: { origin, cookie: await as('worker'), accept: 'application/json', 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ share_profile: 'on' })
		});
		expect((await form.json()).type).toBe('success');
		expect((await call('worker', 'GET', `/api/plans/${id}`)).body.sharing).toEqual({ profile: true, notes: false });
		expect(JSON.stringify((await call('partnerA', 'GET', `/api/plans/${id}`)).body)).not.toContain(family.notes);

		// The family's export: who did what by role and organisation; no staff address, email or others' refused attempts.
		expect((await call('partnerC', 'GET', `/api/plans/${id}`)).status).toBe(404);
		const exported = await call('worker', 'GET', `/api/plans/${id}/export`);
		expect(exported.status).toBe(200);
		const trail = JSON.stringify(exported.body.audit);
		for (const event of exported.body.audit) expect(Object.keys(event)).toEqual(['at', 'action', 'role', 'organizations', 'detail']);
		expect(trail).not.toMatch(/127\.0\.0\.1|::1|::ffff/);
		expect(trail).not.toContain('denied');
		expect(trail).not.toContain('@atlante.test');
		// Nor in the plan given with it: partners' staff by organisation; only the lead's email, the family's contact.
		const everything = JSON.stringify(exported.body);
		expect(everything.replaceAll(TEST_USERS.worker.email, '')).not.toContain('@atlante.test');
		expect(everything).not.toMatch(/127\.0\.0\.1|::ffff/);
		expect(exported.body.plan.referrals.find((r: { id: string }) => r.id === toA.body.id).history.map((h: { by: string }) => h.by)).toEqual(['lead', TEST_USERS.partnerA.organization]);
		expect(exported.body.plan.household).toMatchObject(family);
		expect(exported.body.audit).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ action: 'plan.created', role: 'lead' }),
				expect.objectContaining({ action: 'plan.contact_read', role: 'partner', organizations: [TEST_USERS.partnerA.organization] })
			])
		);
	});
});
