import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { TEST_PASSWORD, TEST_USERS } from '../setup/test-users-list';
import { browserSession, chromiumAvailable, desktop } from './browser';

/**
 * Issue 5's journey, end to end in the browser: an organisation applies to join the pact, an
 * administrator approves it, its new partner changes its opening hours, and the public map and API
 * show the change.
 */
const base = inject('baseUrl');
const PASSWORD = 'una frase lunga per il forno 42';

/** Waits for hydration before typing: a click racing it can lose the form's navigation. */
async function settled(page: Page, path: string) {
	await page.goto(base + path);
	await page.waitForLoadState('networkidle');
}

describe.runIf(chromiumAvailable() || process.env.CI === 'true')('joining the pact and keeping entries true, end to end', () => {
	const session = browserSession(base);

	it('apply → an administrator approves → the partner changes its hours → the map and the API show them', async () => {
		const stamp = Date.now();
		const name = `Doposcuola Il Ponte ${stamp}`;
		const email = `ponte-${stamp}@example.it`;

		// 1. The organisation applies (and gets its account), then signs in to follow it.
		const applicant = await session.open(desktop, null);
		await settled(applicant.page, '/aderisci');
		const form = applicant.page;
		await form.locator('#f-organization-name').fill(name);
		await form.locator('#f-organization-kind').selectOption('partner');
		await form.locator('#f-contact-name').fill('Giulia Bianchi');
		await form.locator('#f-locations-0-name').fill('Sede');
		await form.locator('#f-locations-0-address').fill('Via Germanedo 10');
		await form.locator('#f-locations-0-point').fill('45.8605, 9.4060');
		await form.locator('#f-services-0-name').fill('Doposcuola del Ponte');
		await form.locator('#f-services-0-category').selectOption('school');
		await form.locator('#service-0 input[name="services.0.needs"][value="homework"]').check();
		await form.locator('#f-services-0-slots-0').selectOption('Mo-Fr');
		await form.locator('[name="services.0.slots.0.from"]').fill('15:00');
		await form.locator('[name="services.0.slots.0.to"]').fill('18:00');
		await form.locator('#f-commitments').check();
		await form.locator('#f-account-email').fill(email);
		await form.locator('#f-account-password').fill(PASSWORD);
		await form.locator('#f-account-confirm').fill(PASSWORD);
		await form.locator('#f-declaration').check();
		await form.locator('button.send').click();
		await form.waitForURL(/\/login\?/);
		await form.getByLabel('Email').fill(email);
		await form.getByLabel('Password').fill(PASSWORD);
		await form.getByRole('button', { name: 'Accedi' }).click();
		await form.waitForURL(/\/aderisci\/domanda/);
		// Not public yet.
		const before = await (await fetch(`${base}/api/resources?q=${encodeURIComponent(name)}`)).json();
		expect(before.features).toEqual([]);

		// 2. An administrator approves it.
		const admin = await session.open(desktop, null);
		await settled(admin.page, '/login?next=/admin/domande');
		await admin.page.getByLabel('Email').fill(TEST_USERS.admin.email);
		await admin.page.getByLabel('Password').fill(TEST_PASSWORD);
		await admin.page.getByRole('button', { name: 'Accedi' }).click();
		await admin.page.waitForURL(/\/admin\/domande/);
		await admin.page.waitForLoadState('networkidle');
		await admin.page.getByRole('link', { name }).click();
		await admin.page.waitForURL(/\/admin\/domande\/[0-9a-f-]{36}/);
		await admin.page.waitForLoadState('networkidle');
		await admin.page.getByRole('button', { name: /Approva/ }).click();
		await expect.poll(() => admin.page.locator('main').textContent(), { timeout: 15_000 }).toMatch(/Approvata|approvata/);

		// On the map and in the API at once, with the hours it applied with; and among the signatories.
		const found = await (await fetch(`${base}/api/resources?q=${encodeURIComponent(name)}`)).json();
		expect(found.features).toHaveLength(1);
		const pin = found.features[0].id as string;
		const approved = await (await fetch(`${base}/api/resources/${pin}`)).json();
		expect(approved.properties.opening_hours).toBe('Mo-Fr 15:00-18:00');
		expect(approved.properties.demo).toBe(false);
		await settled(admin.page, '/patto');
		expect(await admin.page.locator('main').textContent()).toContain(name);

		// 3. The applicant, now the organisation's editor, changes the hours.
		const partner = applicant.page;
		await settled(partner, '/partner');
		await partner.getByRole('link', { name }).click();
		await partner.waitForURL(/\/partner\/[0-9a-f-]{36}$/);
		await partner.waitForLoadState('networkidle');
		await partner.getByRole('link', { name: 'Doposcuola del Ponte' }).first().click();
		await partner.waitForURL(/\/servizi\//);
		await partner.waitForLoadState('networkidle');
		await partner.locator('input[name^="hours."]').first().fill('Mo-Th 14:30-18:30; PH off');
		await partner.getByRole('button', { name: 'Salva le modifiche' }).click();
		await expect.poll(async () => (await (await fetch(`${base}/api/resources/${pin}`)).json()).properties.opening_hours, { timeout: 15_000 }).toBe(
			'Mo-Th 14:30-18:30; PH off'
		);

		// 4. The public resource page and the map show the new hours and the pin.
		const visitor = await session.open(desktop, `/risorse/${pin}`);
		expect(await visitor.page.locator('main').textContent()).toMatch(/14:30/);
		await settled(visitor.page, `/?q=${encodeURIComponent(name)}`);
		await expect.poll(() => visitor.page.locator('#list-heading ~ ol > li').count()).toBe(1);
		await visitor.page.waitForFunction(() => {
			const map = (window as unknown as { __map?: { loaded(): boolean; getSource(id: string): unknown } }).__map;
			return Boolean(map && map.loaded() && map.getSource('atlas-resources'));
		}, null, { timeout: 30_000 });
		const onMap = await visitor.page.evaluate(async (id) => {
			const map = (window as unknown as { __map: { getSource(id: string): { getData(): Promise<{ features: { properties: { id: string } }[] }> } } }).__map;
			return (await map.getSource('atlas-resources').getData()).features.some((f) => f.properties.id === id);
		}, pin);
		expect(onMap).toBe(true);
		for (const w of [applicant, admin, visitor]) {
			expect(w.errors).toEqual([]);
			expect(w.foreignRequests).toEqual([]);
		}
	});
});
