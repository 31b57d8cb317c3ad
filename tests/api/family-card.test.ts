import { beforeAll, describe, expect, inject, it } from 'vitest';
import { nextOpening, type NextOpening } from '../../src/lib/domain/week-table';
import { romeDate } from '../setup/clock';
import { TEST_USERS, type TestUser } from '../setup/test-users-list';
import { sessionOf } from './session';

// The family's card (issue 13): one A4 page with the places that took the family on, each with a QR code.
const base = inject('baseUrl');
const origin = new URL(base).origin;

async function call(who: TestUser | null, method: string, path: string, data?: unknown) {
	const headers: Record<string, string> = { origin };
	if (who) headers.cookie = await sessionOf(who);
	if (data !== undefined) headers['content-type'] = 'application/json';
	const response = await fetch(base + path, { method, headers, body: data === undefined ? undefined : JSON.stringify(data), redirect: 'manual' });
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function page(who: TestUser | null, path: string, language?: string) {
	const headers: Record<string, string> = { accept: 'text/html' };
	if (who) headers.cookie = await sessionOf(who);
	if (language) headers['accept-language'] = language;
	const response = await fetch(base + path, { headers, redirect: 'manual' });
	return { status: response.status, html: await response.text() };
}

/** The text of the `<dd class="when">` of the place whose card item holds `marker`, tags stripped. */
function whenText(html: string, marker: string): string {
	const item = html.slice(html.indexOf(marker));
	const match = item.match(/<dd class="when[^"]*">([^<]*)<\/dd>/);
	return (match?.[1] ?? '').replaceAll('&#39;', "'").trim();
}

const STRENGTH = 'Sappiamo aggiustare le biciclette del cortile';
const NOTE = 'Chiedete di Giulia al banco';

describe('the family’s card', () => {
	let orgA: string;
	let resource: { id: string; address: string; phone: string; hours: string | null };
	let planId: string;
	let referralId: string;

	beforeAll(async () => {
		orgA = (await call('partnerA', 'GET', '/api/me')).body.organizations[0].id;
		// A public resource of partner A's organisation that offers food, with an address and a phone.
		const food = await call(null, 'GET', '/api/resources?need=food&limit=500');
		for (const feature of food.body.features as { id: string }[]) {
			const detail = (await call(null, 'GET', `/api/resources/${feature.id}`)).body.properties;
			const phones = [...detail.services[0].phones, ...detail.organization.phones] as { number: string }[];
			if (detail.organization.id === orgA && detail.address && phones.length > 0) {
				resource = { id: feature.id, address: detail.address, phone: phones[0]!.number, hours: detail.opening_hours };
				break;
			}
		}
		expect(resource).toBeTruthy();

		const created = await call('worker', 'POST', '/api/plans', {
			household: { name: 'Famiglia Scheda-Rossi', neighbourhood: 'Germanedo', phone: '333 111 2222' },
			strengths: [STRENGTH],
			needs: ['food', 'homework']
		});
		expect(created.status).toBe(201);
		planId = created.body.id;
		expect((await call('worker', 'PUT', `/api/plans/${planId}/consent`, { given_on: romeDate(-1), document_ref: 'Modulo scheda', scope: [orgA] })).status).toBe(204);
		const referral = await call('worker', 'POST', `/api/plans/${planId}/referrals`, { need: 'food', resource_id: resource.id });
		expect(referral.status).toBe(201);
		referralId = referral.body.id;
	});

	it('lists only places that took the family on: none while the referral waits for an answer', async () => {
		const card = await page('worker', `/piani/${planId}/scheda`);
		expect(card.status).toBe(200);
		expect(card.html).toContain(STRENGTH);
		expect(card.html).toContain('Nessuna organizzazione ha ancora confermato');
		expect(card.html).not.toContain(resource.address);
		expect(card.html).not.toMatch(/<svg[^>]*class="qr"/);
	});

	it('once accepted: the place’s address, phone, next opening, the organisation’s note and a QR code with its address as text', async () => {
		expect((await call('partnerA', 'PATCH', `/api/referrals/${referralId}`, { status: 'accepted', note: NOTE })).status).toBe(204);
		const before = resource.hours ? nextOpening(resource.hours, new Date()) : null;
		const card = await page('worker', `/piani/${planId}/scheda`);
		const after = resource.hours ? nextOpening(resource.hours, new Date()) : null;
		expect(card.status).toBe(200);
		expect(card.html).toContain(STRENGTH);
		expect(card.html).toContain(resource.address);
		expect(card.html).toContain(resource.phone);
		expect(card.html).toContain(NOTE);
		// The QR code is an inline SVG drawn on the server; the address it opens is printed beside it.
		expect(card.html).toMatch(/<svg aria-hidden="true" focusable="false" class="qr"[^>]*viewBox="0 0 \d+ \d+"/);
		const url = card.html.match(/<span class="url[^"]*">([^<]+)<\/span>/)?.[1];
		expect(url).toMatch(new RegExp(`^https?://[^/]+/risorse/${resource.id}$`));
		// The next opening, in words: the same moment the opening-hours library gives (read just before or after).
		const when = whenText(card.html, resource.address);
		const expected = (next: NextOpening | null) =>
			!next ? /^(Orari da confermare|Chiuso per ora)/ : next.open ? /^Aperto ora/ : new RegExp(`^Riapre (oggi|domani|\\p{L}+( \\d+ \\p{L}+)?) alle ${next.at.time}`, 'u');
		expect([expected(before).test(when), expected(after).test(when)], when).toContain(true);
		// Never the family's name or phone: the card leaves the office.
		expect(card.html).not.toContain('Scheda-Rossi');
		expect(card.html).not.toContain('333 111 2222');
	});

	it('speaks English by the page language', async () => {
		const card = await page('worker', `/piani/${planId}/scheda`, 'en');
		expect(card.status).toBe(200);
		expect(card.html).toContain('Where to go');
		expect(card.html).toMatch(/Next open|Open now|Hours to be confirmed|Closed for now/);
	});

	it('is the lead’s: anyone else gets the plan’s own 404, and the refusal is audited', async () => {
		const plan404 = await page('partnerB', `/piani/${planId}`);
		expect(plan404.status).toBe(404);
		for (const who of ['partnerB', 'worker2', 'planner', 'admin'] as const) {
			const refused = await page(who, `/piani/${planId}/scheda`);
			expect(refused.status, who).toBe(404);
			expect(refused.html).not.toContain(STRENGTH);
		}
		// A member organisation's staff see the plan but not the family's card.
		expect((await page('partnerA', `/piani/${planId}`)).status).toBe(200);
		expect((await page('partnerA', `/piani/${planId}/scheda`)).status).toBe(404);
		// Signed out: the sign-in page, not the card.
		expect((await page(null, `/piani/${planId}/scheda`)).status).not.toBe(200);
	});

	it('every read of the card is in the plan’s audit trail', async () => {
		const trail = await call('worker', 'GET', `/api/plans/${planId}/audit`);
		expect(trail.status).toBe(200);
		const reads = (trail.body as { actor: string; action: string; detail: { referrals?: string[] } }[]).filter((e) => e.action === 'plan.card_read');
		expect(reads.length).toBeGreaterThanOrEqual(3);
		expect(reads.every((e) => e.actor === TEST_USERS.worker.email)).toBe(true);
		expect(reads.some((e) => e.detail.referrals?.includes(referralId))).toBe(true);
		expect(trail.body.map((e: { actor: string; action: string }) => `${e.actor} ${e.action}`)).toContain(`${TEST_USERS.partnerA.email} plan.denied`);
	});
});
