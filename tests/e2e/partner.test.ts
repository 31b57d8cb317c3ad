import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_ACCOUNTS } from '../setup/accounts';
import { axeViolations, chromiumAvailable, launch, openPage, type Watched } from './browser';

const base = inject('baseUrl');
const SCREENSHOTS = process.env.E2E_SCREENSHOTS;

/**
 * Signs in on the login page the browser is on. Waits for the page to hydrate first: a click in the
 * instant between load and hydration can lose the form's navigation (seen as a rare timeout).
 */
async function signIn(page: Page, email: string): Promise<void> {
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(TEST_ACCOUNTS.password);
	await page.getByRole('button', { name: 'Accedi' }).click();
}

/** Opens a page and waits until it is hydrated (see signIn). */
async function visit(page: Page, path: string): Promise<void> {
	await page.goto(base + path);
	await page.waitForLoadState('networkidle');
}

async function detail(pin: string) {
	return (await fetch(`${base}/api/resources/${pin}`)).json();
}

describe.runIf(chromiumAvailable() || process.env.CI === 'true')('partner pages in a browser', () => {
	let browser: Browser;
	let watched: Watched;
	let org: string;
	let service: string;
	let pin: string;

	beforeAll(async () => {
		browser = await launch();
		const list = await (await fetch(`${base}/api/resources?q=${encodeURIComponent('Forno del Rione')}&limit=1`)).json();
		pin = list.features[0].id;
		const found = await detail(pin);
		org = found.properties.organization.id;
		service = found.properties.services[0].id;
		watched = await openPage(browser, base, { viewport: { width: 1280, height: 900 } });
		const { page } = watched;
		await visit(page, `/partner`);
		await page.waitForURL(/\/login\?next=/);
		await signIn(page, TEST_ACCOUNTS.partner);
		await page.waitForURL(`${base}/partner`);
	});
	afterAll(async () => {
		await watched?.context.close();
		await browser?.close();
	});

	it('lists the organisation, opens it, and has no accessibility violations', async () => {
		const { page, errors } = watched;
		await page.getByRole('link', { name: TEST_ACCOUNTS.partnerOrganization }).click();
		await page.waitForURL(`${base}/partner/${org}`);
		await expect.poll(() => page.locator('h1').textContent()).toBe(TEST_ACCOUNTS.partnerOrganization);
		expect(await axeViolations(page)).toEqual([]);
		if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/partner-org.png`, fullPage: true });
		expect(errors).toEqual([]);
	});

	it('previews opening hours live while typing, without saving', async () => {
		const { page, errors } = watched;
		const before = (await detail(pin)).properties.opening_hours;
		await visit(page, `/partner/${org}/servizi/${service}`);
		const field = page.locator('input[name^="hours."]').first();
		const status = page.locator('.hours-preview [role="status"]').first();
		await expect.poll(() => status.textContent()).toMatch(/Orari letti correttamente/);

		await field.fill('Mo-Fr 25:00-26:00');
		await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/Orari non scritti correttamente/);
		await field.fill('Sa 10:00-11:30; PH off');
		await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/Orari letti correttamente/);
		await expect.poll(() => page.locator('.hours-preview table').first().textContent()).toContain('10:00–11:30');
		expect(await axeViolations(page)).toEqual([]);
		if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/partner-service.png`, fullPage: true });
		expect(page.url()).toBe(`${base}/partner/${org}/servizi/${service}`);
		expect((await detail(pin)).properties.opening_hours).toBe(before);
		expect(errors).toEqual([]);
	});

	it('an invalid save shows the problem in place and keeps the values; a valid one is public at once', async () => {
		const { page, errors } = watched;
		await visit(page, `/partner/${org}/servizi/${service}`);
		const original = (await detail(pin)).properties.services[0].description as string;
		await page.getByLabel('Descrizione').fill('Descrizione provata nel browser');
		await page.getByLabel('Email').fill('non-una-email');
		await page.getByRole('button', { name: 'Salva le modifiche' }).click();
		await expect.poll(() => page.locator('.field-problem').first().textContent()).toMatch(/Non sembra un indirizzo email/);
		expect(await page.getByLabel('Descrizione').inputValue()).toBe('Descrizione provata nel browser');
		expect((await detail(pin)).properties.services[0].description).toBe(original);

		await page.getByLabel('Email').fill('');
		await page.getByRole('button', { name: 'Salva le modifiche' }).click();
		await page.waitForURL(/salvato=1/);
		await expect.poll(() => page.locator('.form-done').textContent()).toMatch(/Modifiche salvate/);
		expect((await detail(pin)).properties.services[0].description).toBe('Descrizione provata nel browser');

		await page.getByLabel('Descrizione').fill(original);
		await page.getByRole('button', { name: 'Salva le modifiche' }).click();
		await expect.poll(async () => (await detail(pin)).properties.services[0].description).toBe(original);
		expect(errors).toEqual([]);
	});

	it('a place outside the served area is refused with the reason next to the point, nothing saved', async () => {
		const { page, errors } = watched;
		await visit(page, `/partner/${org}`);
		await page.locator('#locations-heading ~ ul a').first().click();
		await page.waitForURL(/\/sedi\//);
		expect(await axeViolations(page)).toEqual([]);
		const lat = await page.getByLabel('Latitudine').inputValue();
		await page.getByLabel('Latitudine').fill('45.464');
		await page.getByLabel('Longitudine').fill('9.19');
		await page.getByRole('button', { name: 'Salva le modifiche' }).click();
		await expect.poll(() => page.locator('.field-problem').first().textContent()).toMatch(/fuori da Lecco/);
		expect(await page.getByLabel('Latitudine').inputValue()).toBe('45.464');
		if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/partner-location.png`, fullPage: true });
		await page.reload();
		expect(await page.getByLabel('Latitudine').inputValue()).toBe(lat);
		expect(errors).toEqual([]);
	});

	it('a place has the pact form\'s fields: the map places the pin into the coordinates, and an accessibility note (issue 12)', async () => {
		const { page, errors } = watched;
		await visit(page, `/partner/${org}`);
		await page.locator('#locations-heading ~ ul a').first().click();
		await page.waitForURL(/\/sedi\//);
		await page.waitForLoadState('networkidle');
		const lon = Number(await page.getByLabel('Longitudine').inputValue());
		await page.getByRole('button', { name: 'Scegli il punto sulla mappa' }).click();
		const canvas = page.locator('#picker-0 canvas');
		await canvas.waitFor();
		const box = (await canvas.boundingBox())!;
		await page.mouse.click(box.x + box.width / 2 + 80, box.y + box.height / 2);
		await expect.poll(async () => Number(await page.getByLabel('Longitudine').inputValue())).toBeGreaterThan(lon);
		expect(await page.getByLabel('Accessibilità').inputValue()).toBe('');
		// Nothing saved: the page again shows the point as it was.
		await page.reload();
		expect(Number(await page.getByLabel('Longitudine').inputValue())).toBe(lon);
		expect(errors).toEqual([]);
	});

	it('an administrator reads the history, reverts a change with the button, and sees what is to be confirmed', async () => {
		const admin = await openPage(browser, base, { viewport: { width: 1280, height: 900 } });
		try {
			const { page, errors } = admin;
			await page.goto(`${base}/login?next=${encodeURIComponent(`/admin/modifiche?org=${org}`)}`);
			await signIn(page, TEST_ACCOUNTS.admin);
			await page.waitForURL(/\/admin\/modifiche/);
			const newest = page.locator('.change-list > li').first();
			await expect.poll(() => newest.textContent()).toContain(TEST_ACCOUNTS.partner);
			expect(await axeViolations(page)).toEqual([]);
			if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/admin-changes.png`, fullPage: true });
			// The newest change put the description back; reverting it brings the browser's text again.
			await newest.getByRole('button', { name: /Annulla la modifica/ }).click();
			await expect.poll(() => page.locator('.form-done').textContent()).toMatch(/annullata/);
			expect((await detail(pin)).properties.services[0].description).toBe('Descrizione provata nel browser');

			await visit(page, `/admin/da-verificare`);
			await expect.poll(() => page.locator('h1').textContent()).toBe('Dati da verificare');
			expect(await axeViolations(page)).toEqual([]);
			if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/admin-stale.png` });
			expect(errors).toEqual([]);
		} finally {
			await admin.context.close();
		}
	});

	it('adds a place with the edit form\'s fields, then removes it after confirming; the removal is in the history', async () => {
		const { page, errors } = watched;
		await visit(page, `/partner/${org}`);
		await page.getByRole('link', { name: 'Aggiungi una sede' }).click();
		await page.waitForURL(/\/sedi\/nuova$/);
		await page.waitForLoadState('networkidle');
		await page.getByLabel('Nome del luogo').fill('Sala del browser (prova)');
		await page.getByLabel('Latitudine').fill('45.8540');
		await page.getByLabel('Longitudine').fill('9.3990');
		await page.getByRole('button', { name: 'Aggiungi la sede' }).click();
		await page.waitForURL(/\/sedi\/[0-9a-f-]{36}\?aggiunto$/);
		await expect.poll(() => page.locator('.form-done').first().textContent()).toMatch(/Aggiunto/);
		expect(await axeViolations(page)).toEqual([]);

		await page.getByRole('link', { name: 'Rimuovi la sede…' }).click();
		await page.getByRole('button', { name: 'Sì, rimuovi la sede' }).click();
		await page.waitForURL(new RegExp(`/partner/${org}\\?rimosso=`));
		await expect.poll(() => page.locator('.form-done').first().textContent()).toMatch(/Rimosso/);
		await expect.poll(() => page.locator('#removed-heading ~ ul').textContent()).toContain('Sala del browser (prova)');
		expect(await page.locator('.partner-history').textContent()).toMatch(/ha rimosso\s*Sala del browser \(prova\)/);
		expect(await axeViolations(page)).toEqual([]);
		expect(errors).toEqual([]);
	});

	it('on a 360 px phone the header keeps one row with the partner\'s links, and the footer leads to the sources (issue 14, item 9)', async () => {
		const { page, errors } = watched;
		await page.setViewportSize({ width: 360, height: 740 });
		try {
			await visit(page, '/partner');
			const header = page.locator('header.site-header');
			const parts = header.locator(':scope > *');
			const boxes = await parts.evaluateAll((elements) => elements.map((e) => e.getBoundingClientRect()).map((r) => ({ top: r.top, height: r.height })));
			expect(boxes.length).toBe(4);
			// One row: every part of the header starts on the same line, and the header is one line high.
			for (const box of boxes) expect(Math.abs(box.top - boxes[0]!.top)).toBeLessThan(12);
			expect((await header.boundingBox())!.height).toBeLessThan(64);
			// Nothing is lost: the last links scroll into view and still work.
			const signOut = page.getByRole('button', { name: 'Esci' });
			await signOut.scrollIntoViewIfNeeded();
			expect(await signOut.isVisible()).toBe(true);
			await expect.poll(() => page.getByRole('link', { name: 'English' }).isVisible()).toBe(true);
			expect(await axeViolations(page)).toEqual([]);
			if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/partner-header-360.png` });

			await page.getByRole('link', { name: 'Fonti dei dati e licenze' }).click();
			await page.waitForURL(`${base}/fonti`);
			await expect.poll(() => page.locator('h1').textContent()).toBe('Fonti dei dati');
			expect(await page.locator('li[id^="source-"]').count()).toBeGreaterThan(5);
			expect(await axeViolations(page)).toEqual([]);
			expect(errors).toEqual([]);
		} finally {
			await page.setViewportSize({ width: 1280, height: 900 });
		}
	});
});
