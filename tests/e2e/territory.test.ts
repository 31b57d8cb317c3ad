import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { TEST_ACCOUNTS } from '../setup/accounts';
import { axeViolations, browserSession, chromiumAvailable, desktop } from './browser';

// An administrator replaces the rioni's boundaries in a browser: upload, the preview map over the
// current rioni, the same file re-attached to the confirm step by the page, the import; and the
// residents page. The file imported is the map as it is (every rione unchanged), so the other
// browser tests see the same rioni.
const base = inject('baseUrl');

async function signIn(page: Page, next: string): Promise<void> {
	await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Email').fill(TEST_ACCOUNTS.admin);
	await page.getByLabel('Password').fill(TEST_ACCOUNTS.password);
	await page.getByRole('button', { name: 'Accedi' }).click();
	await page.waitForURL(`${base}${next}`);
	await page.waitForLoadState('networkidle');
}

describe.runIf(chromiumAvailable() || process.env.CI === 'true')('territory pages in a browser', () => {
	const session = browserSession(base);

	it('previews a boundary file on a map, re-attaches it to the confirm step and imports it', async () => {
		const { page, errors, foreignRequests } = await session.open(desktop, null);
		await signIn(page, '/admin/rioni');
		const current = await (await fetch(`${base}/api/neighbourhoods`)).json();
		const file = JSON.stringify({
			type: 'FeatureCollection',
			features: current.features.map((f: { properties: { name: string }; geometry: unknown }) => ({ type: 'Feature', properties: { name: f.properties.name }, geometry: f.geometry }))
		});
		await page.getByLabel('File GeoJSON dei rioni').setInputFiles({ name: 'rioni.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(file) });
		await page.getByRole('button', { name: 'Mostra cosa cambia' }).click();
		await page.getByText('Anteprima: non è stato ancora salvato nulla.').waitFor();
		await page.getByText('16 rioni invariati').waitFor();
		// The map is drawn (MapLibre's canvas inside the labelled region) with its legend.
		await page.getByRole('region', { name: 'Anteprima dei nuovi confini sopra quelli attuali' }).locator('canvas').waitFor();
		// The page put the previewed file into the confirm form: nothing to pick again.
		expect(await page.locator('#f-file-again').evaluate((input: HTMLInputElement) => input.files?.[0]?.name ?? null)).toBe('rioni.geojson');
		expect(await axeViolations(page)).toEqual([]);

		await page.getByLabel('Fonte dei confini').fill('Comune di Lecco, SIT (prova)');
		await page.getByLabel('Licenza').fill('CC BY 4.0');
		await page.getByRole('button', { name: 'Sostituisci i confini' }).click();
		await page.getByText(/Confini sostituiti: 0 nuovi, 0 cambiati, 0 tolti/).waitFor();
		expect(errors).toEqual([]);
		expect(foreignRequests).toEqual([]);
	});

	it('shows the residents per rione and their history, accessibly', async () => {
		const { page, errors } = await session.open(desktop, null);
		await signIn(page, '/admin/popolazione');
		await page.getByRole('heading', { name: 'Residenti per rione', level: 1 }).waitFor();
		expect(await page.getByRole('row', { name: /Olate/ }).first().textContent()).toMatch(/\d/);
		await page.getByLabel('Rione').selectOption('Olate');
		await page.getByLabel('Residenti').fill('abc');
		await page.getByRole('button', { name: 'Aggiungi il dato' }).click();
		await page.getByText('Scrivi un numero intero da 0 a 1.000.000.').waitFor();
		expect(await axeViolations(page)).toEqual([]);
		expect(errors).toEqual([]);
	});
});
