import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sessionOf } from '../api/session';
import { romeDate } from '../setup/clock';
import { TEST_USERS, type TestUser } from '../setup/test-users-list';
import { axeViolations, chromiumAvailable, desktop, launch, openPage, type Watched } from './browser';

/**
 * The family's card (issue 13) printed by Chromium: one A4 page with a QR code per place, whether
 * two places took the family on or four (then in two columns). The plan is set up through the API;
 * the lead worker opens the card from the plan page.
 */
const base = inject('baseUrl');
const origin = new URL(base).origin;

async function call(who: TestUser, method: string, path: string, data?: unknown) {
	const headers: Record<string, string> = { origin, cookie: await sessionOf(who) };
	if (data !== undefined) headers['content-type'] = 'application/json';
	const response = await fetch(base + path, { method, headers, body: data === undefined ? undefined : JSON.stringify(data) });
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Pages in a PDF: its page objects (`/Type /Page`, not the `/Type /Pages` tree nodes). */
const pdfPages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g)?.length ?? 0;

/** A public resource of the organisation offering `need` (demo data: the bakery and the Acquate parish). */
async function resourceOf(organizationId: string, need: string): Promise<string> {
	const found = await (await fetch(`${base}/api/resources?need=${need}&limit=500`)).json();
	for (const feature of found.features as { id: string }[]) {
		const detail = await (await fetch(`${base}/api/resources/${feature.id}`)).json();
		if (detail.properties.organization.id === organizationId) return feature.id;
	}
	throw new Error(`no resource of ${organizationId} for ${need}`);
}

type Partner = 'partnerA' | 'partnerB' | 'partnerC';

describe.runIf(chromiumAvailable() || process.env.CI === 'true')('the family’s card in a browser', () => {
	let browser: Browser;
	let worker: Watched;
	let planId: string;
	const orgs: Record<Partner, string> = { partnerA: '', partnerB: '', partnerC: '' };

	async function referAndAccept(partner: Partner, need: string, note: string) {
		const referral = await call('worker', 'POST', `/api/plans/${planId}/referrals`, { need, resource_id: await resourceOf(orgs[partner], need) });
		expect(referral.status).toBe(201);
		expect((await call(partner, 'PATCH', `/api/referrals/${referral.body.id}`, { status: 'accepted', note })).status).toBe(204);
	}

	async function printedPages(): Promise<number> {
		const pdf = await worker.page.pdf({ format: 'A4', printBackground: true });
		return pdfPages(pdf);
	}

	beforeAll(async () => {
		for (const partner of ['partnerA', 'partnerB', 'partnerC'] as const) orgs[partner] = (await call(partner, 'GET', '/api/me')).body.organizations[0].id;
		const created = await call('worker', 'POST', '/api/plans', {
			household: { name: 'Famiglia Scheda-Bianchi', neighbourhood: 'Germanedo' },
			strengths: [
				{ kind: 'skill', text: 'Il papà ripara le biciclette del cortile' },
				{ kind: 'relationship', text: 'La zia abita al piano di sopra e tiene i bambini il martedì' },
				'Parliamo italiano, arabo e francese',
				'I ragazzi giocano a calcio all’oratorio'
			],
			needs: ['food', 'homework', 'community', 'listening']
		});
		expect(created.status).toBe(201);
		planId = created.body.id;
		const consent = await call('worker', 'PUT', `/api/plans/${planId}/consent`, { given_on: romeDate(-1), document_ref: 'Modulo scheda e2e', scope: [orgs.partnerA, orgs.partnerB, orgs.partnerC] });
		expect(consent.status).toBe(204);
		await referAndAccept('partnerA', 'food', 'Chiedete di Giulia al banco, dite il codice della famiglia');
		await referAndAccept('partnerB', 'homework', 'Iscrizione il lunedì con un genitore; portare il diario');

		browser = await launch();
		worker = await openPage(browser, base, desktop);
		const [name, value] = (await sessionOf('worker')).split(/=(.*)/s) as [string, string];
		await worker.context.addCookies([{ name, value, url: base }]);
	});
	afterAll(async () => {
		await worker?.context.close();
		await browser?.close();
	});

	it('the lead opens the card from the plan page: strengths first, each place with its QR code, no family name', async () => {
		const { page } = worker;
		await page.goto(`${base}/piani/${planId}`);
		await page.getByRole('link', { name: 'Scheda per la famiglia: i luoghi, con i codici QR' }).click();
		await page.waitForURL(new RegExp(`/piani/${planId}/scheda$`));
		const headings = await page.locator('main h2').allTextContents();
		expect(headings).toEqual(['Quello che sapete fare e che avete, con le vostre parole', 'Dove andare']);
		expect(await page.locator('main svg.qr').count()).toBe(2);
		const text = (await page.locator('main').textContent())!;
		expect(text).toContain('Il papà ripara le biciclette del cortile');
		expect(text).toContain('Chiedete di Giulia al banco');
		expect(text).toMatch(/Riapre|Aperto ora|Orari da confermare/);
		expect(text).not.toContain('Scheda-Bianchi');
		expect(await axeViolations(page)).toEqual([]);
		expect(worker.errors).toEqual([]);
		expect(worker.foreignRequests).toEqual([]);
	});

	it('prints on one A4 page, with two places and with four (a place that took on two needs is listed once)', async () => {
		expect(await printedPages()).toBe(1);
		await referAndAccept('partnerA', 'community', 'Il giovedì pomeriggio c’è la merenda insieme: venite quando volete');
		await referAndAccept('partnerB', 'listening', 'Accesso libero negli orari, oppure telefonate per un appuntamento con don Marco');
		await referAndAccept('partnerC', 'community', 'Vi chiamiamo noi la prima volta; poi il caffè è il mercoledì mattina');
		await worker.page.reload();
		expect(await worker.page.locator('main svg.qr').count()).toBe(4);
		expect(await worker.page.locator('main li.place', { hasText: TEST_USERS.partnerA.organization }).textContent()).toMatch(/Per: Cibo e spesa, Compagnia e comunità/);
		expect(await printedPages()).toBe(1);
		expect(await axeViolations(worker.page)).toEqual([]);
	});

	it('a member organisation’s staff, who see the plan, do not get the family’s card', async () => {
		const partner = await openPage(browser, base, desktop);
		const [name, value] = (await sessionOf('partnerA')).split(/=(.*)/s) as [string, string];
		await partner.context.addCookies([{ name, value, url: base }]);
		const answer = await partner.page.goto(`${base}/piani/${planId}/scheda`);
		expect(answer?.status()).toBe(404);
		await partner.page.goto(`${base}/piani/${planId}`);
		expect(await partner.page.getByRole('link', { name: /Scheda per la famiglia/ }).count()).toBe(0);
		await partner.context.close();
	});
});
