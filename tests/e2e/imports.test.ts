import { describe, expect, inject, it } from 'vitest';
import { TEST_ACCOUNTS } from '../setup/accounts';
import { BAD_ROWS, ROWS, fixtureRows, toCsv } from '../setup/import-fixture';
import { axeViolations, browserSession, chromiumAvailable, desktop } from './browser';

// Issue 15, item 3, done when: an administrator imports a CSV of 50 associations with three bad
// rows, sees the report, fixes them in the preview (an email typed again, a category chosen, a
// point placed by hand on the map) and commits; the map then shows them with their provenance.
const base = inject('baseUrl');
const run = Date.now().toString(36);
const prefix = `Imp${run}`;
const sourceName = `Albo di prova ${run} — associazioni`;

describe.runIf(chromiumAvailable() || process.env.CI === 'true')('imports in a browser', () => {
	const session = browserSession(base);

	it('imports 50 associations after fixing three bad rows in the preview, and the map shows them with their source', async () => {
		const { page, errors, foreignRequests } = await session.open(desktop, null);
		await page.goto(`${base}/login?next=${encodeURIComponent('/admin/import')}`);
		await page.waitForLoadState('networkidle');
		await page.getByLabel('Email').fill(TEST_ACCOUNTS.admin);
		await page.getByLabel('Password').fill(TEST_ACCOUNTS.password);
		await page.getByRole('button', { name: 'Accedi' }).click();
		await page.waitForURL(`${base}/admin/import`);
		await page.waitForLoadState('networkidle');

		await page.getByLabel('Identificativo della fonte').fill(`albo-prova-${run}`);
		await page.getByLabel('Nome della fonte').fill(sourceName);
		await page.getByLabel('Licenza').fill('CC BY 4.0');
		await page.getByLabel('File da importare').setInputFiles({ name: 'associazioni.csv', mimeType: 'text/csv', buffer: Buffer.from(toCsv(fixtureRows(prefix))) });
		await page.getByRole('button', { name: 'Leggi e controlla il file' }).click();

		// The report: 50 rows, three with problems, on a map and in the table.
		await page.getByText('Anteprima: non è stato ancora salvato nulla. 50 righe, 3 con problemi.').waitFor();
		await page.getByRole('region', { name: /Mappa delle righe del file/ }).locator('canvas').waitFor();
		const badRows = page.locator('table.report tbody tr.bad');
		expect(await badRows.count()).toBe(3);
		expect(await badRows.nth(0).textContent()).toContain('Email: Non sembra un indirizzo email');
		expect(await axeViolations(page)).toEqual([]);

		// Fixes: the email, the category, and the point in Milan placed by hand on the map of Lecco.
		await page.getByLabel(`Email, riga ${BAD_ROWS.email}`).fill('info7@associazione.example.org');
		await page.getByLabel(`Categoria, riga ${BAD_ROWS.category}`).fill('Associazioni e terzo settore');
		await page.getByRole('button', { name: `Posiziona sulla mappa la riga ${BAD_ROWS.outside}` }).click();
		await page.getByText(`Fai clic sulla mappa nel punto in cui si trova la riga ${BAD_ROWS.outside}.`).waitFor();
		const canvas = page.getByRole('region', { name: /Mappa delle righe del file/ }).locator('canvas');
		const box = (await canvas.boundingBox())!;
		await canvas.click({ position: { x: box.width / 2, y: box.height / 2 } });
		const placed = await page.getByLabel(`Longitudine, riga ${BAD_ROWS.outside}`).inputValue();
		expect(Number(placed)).toBeGreaterThan(9.36);
		expect(Number(placed)).toBeLessThan(9.49);

		await page.getByRole('button', { name: 'Ricontrolla le righe' }).click();
		await page.getByText('50 righe, nessuna con problemi.').waitFor();
		expect(await badRows.count()).toBe(0);
		await page.getByRole('button', { name: `Importa ${ROWS} righe` }).click();
		await page.getByText(`Importazione completata: ${ROWS} righe, ${ROWS} nuove, 0 già presenti`).waitFor();
		await page.locator('.runs').getByText(sourceName).waitFor();

		// The atlas: the list finds them, each with its source, and the map draws them.
		await page.getByRole('link', { name: 'Vedi sulla mappa' }).click();
		await page.goto(`${base}/?q=${encodeURIComponent(prefix)}`);
		await page.waitForLoadState('networkidle');
		const said = await page.locator('#list-heading ~ .count[role="status"]').textContent();
		expect(Number(said?.match(/\d+/)?.[0])).toBe(ROWS);
		const first = page.locator('#list-heading ~ ol > li').first();
		expect(await first.locator('.provenance').textContent()).toMatch(new RegExp(`Fonte: Albo di prova ${run}, dati del`));
		await page.waitForFunction(
			async (count) => {
				const map = (window as unknown as { __map?: { loaded(): boolean; getSource(id: string): { getData(): Promise<{ features: unknown[] }> } | undefined } }).__map;
				const source = map?.loaded() ? map.getSource('atlas-resources') : undefined;
				return source ? (await source.getData()).features.length === count : false;
			},
			ROWS,
			{ timeout: 30_000 }
		);
		// The fixed row stands where it was placed, the address rows where the gazetteer put them.
		const resources = await (await fetch(`${base}/api/resources?q=${encodeURIComponent(`${prefix} Associazione ${BAD_ROWS.outside}`)}`)).json();
		const fixed = resources.features.find((f: { properties: { name: string } }) => f.properties.name === `${prefix} Associazione ${BAD_ROWS.outside}`);
		expect(fixed.geometry.coordinates[0]).toBeCloseTo(Number(placed), 5);
		expect(errors).toEqual([]);
		expect(foreignRequests).toEqual([]);
	});

	it('works without JavaScript: read, fix the bad rows in the table (the point typed), check again and commit', async () => {
		const noJs = `NoJs${run}`;
		const kept = [1, 2, 3, BAD_ROWS.email, BAD_ROWS.category, BAD_ROWS.outside];
		const rows = fixtureRows(noJs).filter((_, k) => kept.includes(k + 1));
		const { page, errors } = await session.open({ ...desktop, javaScriptEnabled: false }, null);
		await page.goto(`${base}/login?next=${encodeURIComponent('/admin/import')}`);
		await page.getByLabel('Email').fill(TEST_ACCOUNTS.admin);
		await page.getByLabel('Password').fill(TEST_ACCOUNTS.password);
		await page.getByRole('button', { name: 'Accedi' }).click();
		await page.waitForURL(`${base}/admin/import`);

		await page.getByLabel('Identificativo della fonte').fill(`albo-nojs-${run}`);
		await page.getByLabel('Nome della fonte').fill(`Albo senza JavaScript ${run}`);
		await page.getByLabel('Licenza').fill('CC BY 4.0');
		await page.getByLabel('File da importare').setInputFiles({ name: 'associazioni.csv', mimeType: 'text/csv', buffer: Buffer.from(toCsv(rows)) });
		await page.getByRole('button', { name: 'Leggi e controlla il file' }).click();
		await page.getByText('Anteprima: non è stato ancora salvato nulla. 6 righe, 3 con problemi.').waitFor();
		const badRows = page.locator('table.report tbody tr.bad');
		expect(await badRows.count()).toBe(3);

		// Rows 4–6 are the fixture's bad ones; without the map, the point is typed in.
		await page.getByLabel('Email, riga 4').fill('info7@associazione.example.org');
		await page.getByLabel('Categoria, riga 5').fill('Associazioni e terzo settore');
		await page.getByLabel('Latitudine, riga 6').fill('45.8560');
		await page.getByLabel('Longitudine, riga 6').fill('9.3930');
		await page.getByRole('button', { name: 'Ricontrolla le righe' }).click();
		await page.getByText('6 righe, nessuna con problemi.').waitFor();
		expect(await badRows.count()).toBe(0);
		// The fixes came back with the page, in the rows it will send.
		expect(await page.locator('table.report tbody tr').nth(5).textContent()).toContain('45.85600');

		await page.getByRole('button', { name: 'Importa 6 righe' }).click();
		await page.getByText('Importazione completata: 6 righe, 6 nuove, 0 già presenti').waitFor();
		const imported = (await (await fetch(`${base}/api/resources?q=${encodeURIComponent(`${noJs} Associazione ${BAD_ROWS.outside}`)}`)).json()) as {
			features: { geometry: { coordinates: [number, number] }; properties: { name: string } }[];
		};
		const placed = imported.features.find((f) => f.properties.name === `${noJs} Associazione ${BAD_ROWS.outside}`)!;
		expect(placed.geometry.coordinates).toEqual([9.393, 45.856]);
		expect(errors).toEqual([]);
	});
});
