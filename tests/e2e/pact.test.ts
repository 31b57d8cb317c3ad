import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { axeViolations, chromiumAvailable, desktop, launch, openPage, phone, type Watched } from './browser';

const base = inject('baseUrl');
const PASSWORD = 'una frase lunga da ricordare 9';

/** Fills in a complete application, as a person would, in whatever language the page is. */
async function fillApplication(page: Page, name: string, email: string) {
	await page.locator('#f-organization-name').fill(name);
	await page.locator('#f-organization-kind').selectOption('partner');
	await page.locator('#f-contact-name').fill('Maria Rossi');
	await page.locator('#f-locations-0-name').fill('Sede');
	await page.locator('#f-locations-0-address').fill('Piazza Cermenati 1');
	// Pasted from a map, latitude first.
	await page.locator('#f-locations-0-point').fill('45.85585, 9.38878');
	await page.locator('#f-services-0-name').fill('Doposcuola');
	await page.locator('#f-services-0-category').selectOption('school');
	await page.locator('#service-0 input[name="services.0.needs"][value="homework"]').check();
	await page.locator('#f-services-0-slots-0').selectOption('Mo-Fr');
	await page.locator('[name="services.0.slots.0.from"]').fill('15:00');
	await page.locator('[name="services.0.slots.0.to"]').fill('18:00');
	await page.locator('#f-commitments').check();
	await page.locator('#f-account-email').fill(email);
	await page.locator('#f-account-password').fill(PASSWORD);
	await page.locator('#f-account-confirm').fill(PASSWORD);
	await page.locator('#f-declaration').check();
}

/**
 * After sending, a new applicant lands on the sign-in form with one text for everyone (the form
 * does not tell whether the email had an account), signs in and sees the application.
 */
async function signInAfterApplying(page: Page, email: string) {
	await page.waitForURL(/\/login\?/);
	expect(await page.locator('[role="status"]').textContent()).toMatch(/la domanda è stata ricevuta/);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Accedi' }).click();
	await page.waitForURL(/\/aderisci\/domanda/);
}

describe.runIf(chromiumAvailable() || process.env.CI === 'true')('joining the pact in a browser', () => {
	let browser: Browser;
	const opened: Watched[] = [];

	async function open(path: string, options: Parameters<typeof openPage>[2] = desktop): Promise<Watched> {
		const watched = await openPage(browser, base, options);
		opened.push(watched);
		await watched.page.goto(base + path);
		// Hydrated before anyone types: a click racing hydration may be lost between the two forms of the form.
		await watched.page.waitForLoadState('networkidle');
		return watched;
	}

	beforeAll(async () => {
		browser = await launch();
	});
	afterAll(async () => {
		for (const w of opened) await w.context.close();
		await browser?.close();
	});

	it('without JavaScript: a refused application keeps its values and says what is wrong; a complete one leads to signing in, then shows its state', async () => {
		const { page, foreignRequests } = await open('/aderisci', { ...desktop, javaScriptEnabled: false });
		const name = `Associazione senza script ${Date.now()}`;
		await page.locator('#f-organization-name').fill(name);
		await page.locator('button.send').click();
		await expect.poll(() => page.locator('.summary h2').textContent()).toMatch(/problemi da correggere/);
		expect(await page.locator('#f-organization-name').inputValue()).toBe(name);
		expect(await page.locator('#f-organization-kind-error').textContent()).toMatch(/obbligatorio/);
		// The summary links to the field.
		expect(await page.locator('.summary a[href="#f-organization-kind"]').count()).toBe(1);

		// "Find on the map" places the address without JavaScript.
		// A street with a known position (at its bus stops): Via Roma has none since issue 14.
		await page.locator('#f-locations-0-address').fill('Via Ghislanzoni 12');
		await page.getByRole('button', { name: /Trova sulla mappa/ }).click();
		await expect.poll(() => page.locator('#f-locations-0-point').inputValue()).toMatch(/^45\.\d+$/);
		expect(await page.locator('#f-organization-name').inputValue()).toBe(name);

		// "Add a service" too.
		await page.getByRole('button', { name: 'Aggiungi un servizio' }).click();
		await expect.poll(() => page.locator('fieldset[id^="service-"]').count()).toBe(2);
		await page.getByRole('button', { name: 'Togli il servizio 2' }).click();
		await expect.poll(() => page.locator('fieldset[id^="service-"]').count()).toBe(1);

		const email = `senza-script-${Date.now()}@example.it`;
		await fillApplication(page, name, email);
		await page.locator('button.send').click();
		await signInAfterApplying(page, email);
		expect(await page.locator('.status-badge').textContent()).toBe('In esame');
		expect(await page.locator('h1').textContent()).toMatch(/La tua domanda/);
		expect(await page.getByText(name).count()).toBeGreaterThan(0);
		expect(foreignRequests).toEqual([]);
	});

	it('with JavaScript on a phone: the same, with focus moved to the problems and to a new slot, and no page errors', async () => {
		const { page, errors, foreignRequests } = await open('/aderisci', phone);
		await page.locator('button.send').click();
		await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('summary'))).toBe(true);
		await page.getByRole('button', { name: 'Aggiungi un luogo' }).click();
		await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-locations-1-name');
		await page.getByRole('button', { name: 'Togli il luogo 2' }).click();
		await expect.poll(() => page.locator('fieldset[id^="location-"]').count()).toBe(1);
		const email = `con-script-${Date.now()}@example.it`;
		await fillApplication(page, `Associazione con script ${Date.now()}`, email);
		await page.locator('button.send').click();
		await signInAfterApplying(page, email);
		expect(await page.locator('.status-badge').textContent()).toBe('In esame');
		// Signed in: the header names the account by its display name, the application's contact person.
		expect(await page.locator('.account a[href="/account"]').textContent()).toBe('Maria Rossi');
		expect(errors).toEqual([]);
		expect(foreignRequests).toEqual([]);
	});

	it('with JavaScript, a map places the pin and writes the coordinates into the fields, fetching nothing from elsewhere', async () => {
		const { page, errors, foreignRequests } = await open('/aderisci');
		await page.locator('#f-locations-0-point').fill('45.85585');
		await page.locator('#f-locations-0-lon').fill('9.38878');
		await page.getByRole('button', { name: 'Scegli il punto sulla mappa' }).click();
		const canvas = page.locator('#picker-0 canvas');
		await canvas.waitFor();
		const box = (await canvas.boundingBox())!;
		await page.mouse.click(box.x + box.width / 2 + 80, box.y + box.height / 2);
		// East of the start: the longitude grows, the latitude stays about the same.
		await expect.poll(async () => Number(await page.locator('#f-locations-0-lon').inputValue())).toBeGreaterThan(9.38878);
		expect(Math.abs(Number(await page.locator('#f-locations-0-point').inputValue()) - 45.85585)).toBeLessThan(0.001);
		expect(await page.locator('#location-0 [role="status"]').textContent()).toMatch(/Punto scelto/);
		expect(errors).toEqual([]);
		expect(foreignRequests).toEqual([]);
	});

	it('has no serious or critical accessibility violations on the form (empty and with problems), the application and the signatories', async () => {
		const { page } = await open('/aderisci');
		expect(await axeViolations(page)).toEqual([]);
		await page.locator('button.send').click();
		await page.locator('.summary').waitFor();
		expect(await axeViolations(page)).toEqual([]);
		const english = await open('/aderisci?lang=en', phone);
		expect(await axeViolations(english.page)).toEqual([]);
		const signatories = await open('/patto');
		expect(await signatories.page.locator('h1').textContent()).toMatch(/firmatari/);
		expect(await axeViolations(signatories.page)).toEqual([]);

		const applicant = await open('/aderisci');
		const email = `axe-${Date.now()}@example.it`;
		await fillApplication(applicant.page, `Associazione accessibile ${Date.now()}`, email);
		await applicant.page.locator('button.send').click();
		await applicant.page.waitForURL(/\/login\?/);
		expect(await axeViolations(applicant.page)).toEqual([]);
		await signInAfterApplying(applicant.page, email);
		expect(await axeViolations(applicant.page)).toEqual([]);
	});
});
