import fs from 'node:fs';
import pointOnFeature from '@turf/point-on-feature';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { TEST_PASSWORD, TEST_USERS } from '../setup/test-users-list';
import { axeViolations, browserSession, chromiumAvailable, desktop, type Watched } from './browser';

/**
 * The planner's journey (issue 11), in a browser: sign in, find the rione worst served for
 * homework help (priority 1 in the table), place a hypothetical after-school club there and see
 * its share of residents within reach rise, save the scenario and reopen it from its link, export
 * the table as CSV (the file's rows are the table's), open the printable report. Axe on the pages,
 * no page errors, no request to another origin; and the table without JavaScript.
 */
const base = inject('baseUrl');

const percent = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));

async function signIn(watched: Watched) {
	const { page } = watched;
	await page.goto(`${base}/login`);
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Email').fill(TEST_USERS.planner.email);
	await page.getByLabel('Password').fill(TEST_PASSWORD);
	await page.getByRole('button', { name: 'Accedi' }).click();
	// A planner lands on the planning page, their home (issue 13).
	await page.waitForURL(/\/pianificazione$/);
}

async function mapReady(page: Page) {
	await page.waitForFunction(() => Boolean(window.__map?.loaded() && window.__map.getSource('planning-rioni')), null, { timeout: 30_000 });
}

describe.runIf(chromiumAvailable() || process.env.CI === 'true')('the planner in a browser', () => {
	const session = browserSession(base, '/');

	it('finds the worst-served rione for homework, tries a new after-school club there, saves, exports and prints', async () => {
		const watched = await session.open(desktop, null);
		const { page, errors, foreignRequests } = watched;
		await signIn(watched);

		// Signing in lands on the planning page; the account page links to it too.
		await page.goto(`${base}/account`);
		await page.getByRole('link', { name: 'Dove manca aiuto: mappa, tabella e scenari' }).click();
		await page.waitForURL(/\/pianificazione$/);
		await page.locator('select[name="need"]').selectOption('homework');
		await page.getByRole('button', { name: 'Mostra' }).click();
		await page.waitForURL(/need=homework/);
		await mapReady(page);
		await page.waitForLoadState('networkidle');
		expect(await axeViolations(page)).toEqual([]);

		// Priority 1 heads the table: the rione with most residents beyond 15 minutes.
		const worst = page.locator('table.rioni tbody tr[data-gap-rank="1"]');
		await expect.poll(() => worst.count()).toBe(1);
		expect(await page.locator('table.rioni tbody tr').first().getAttribute('data-gap-rank')).toBe('1');
		const rione = (await worst.getAttribute('data-rione'))!;
		const shareBefore = percent(await worst.locator('td[data-column="share_within"]').textContent());
		expect(shareBefore).toBeLessThan(100);

		// A point inside that rione, clicked on the map.
		const feature = await page.evaluate(async (name) => {
			const response = await fetch(`/api/planning/rioni?need=homework`);
			const collection = (await response.json()) as { features: { properties: { name: string } }[] };
			return collection.features.find((f) => f.properties.name === name);
		}, rione);
		expect(feature, rione).toBeTruthy();
		const [lon, lat] = pointOnFeature(feature as unknown as Feature<Polygon | MultiPolygon>).geometry.coordinates as [number, number];
		await page.getByRole('button', { name: 'Aggiungi un punto sulla mappa' }).click();
		await page.locator('.planning-map').scrollIntoViewIfNeeded();
		const at = await page.evaluate(([x, y]) => {
			const point = window.__map!.project([x!, y!]);
			const box = window.__map!.getCanvas().getBoundingClientRect();
			return { x: box.left + point.x, y: box.top + point.y };
		}, [lon, lat]);
		await page.mouse.click(at.x, at.y);
		await expect.poll(() => page.locator('[data-added]').count()).toBe(1);
		await expect.poll(() => page.locator('[data-added]').textContent()).toContain('Aiuto nei compiti');

		// Its effect: the rione's share within reach rises; nothing is written to the directory.
		await page.getByRole('button', { name: "Calcola l'effetto" }).click();
		const resultRow = page.locator(`.scenario-result tr[data-rione="${rione}"]`);
		await expect.poll(() => resultRow.count(), { timeout: 15_000 }).toBe(1);
		const before = percent(await resultRow.locator('[data-column="share-before"]').textContent());
		const after = percent(await resultRow.locator('[data-column="share-after"]').textContent());
		expect(Math.abs(before - shareBefore)).toBeLessThanOrEqual(1);
		expect(after).toBeGreaterThan(before);
		// Its city line words the minutes by the basis of the scenario's own answer (the estimate here).
		await expect.poll(() => page.locator('.scenario-result .city').textContent()).toContain('residenti entro circa 15 minuti a piedi');

		// Saved with a name: the address then carries only the scenario's id.
		await page.getByLabel('Nome dello scenario').fill(`Doposcuola a ${rione}`);
		await page.getByRole('button', { name: 'Salva', exact: true }).click();
		await page.waitForURL(/scenario=[0-9a-f-]{36}/);
		const link = page.url();
		expect([...new URL(link).searchParams.keys()].sort()).toEqual(['need', 'scenario', 'within']);
		await expect.poll(() => page.locator('.open-scenario').textContent()).toContain(`Doposcuola a ${rione}`);

		// A colleague's browser (another planner session) opens the link: same scenario, same effect.
		const colleague = await session.open(desktop, null);
		await signIn(colleague);
		await colleague.page.goto(link);
		await expect.poll(() => colleague.page.locator('.open-scenario').textContent()).toContain(`Doposcuola a ${rione}`);
		expect(await colleague.page.locator('[data-added]').count()).toBe(1);
		const reopened = colleague.page.locator(`.scenario-result tr[data-rione="${rione}"] [data-column="share-after"]`);
		expect(percent(await reopened.textContent())).toBe(after);

		// CSV export: the downloaded file's rows are the table's rows.
		const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tabella (CSV)' }).click()]);
		const csv = parseCsv(fs.readFileSync((await download.path())!, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
		// Each row says what its minutes were computed on: no network in the test store, the estimate.
		expect(new Set(csv.map((r) => r.walk_basis))).toEqual(new Set(['estimate']));
		const table = await page.locator('table.rioni tbody tr').evaluateAll((rows) =>
			rows.map((tr) => ({ name: tr.getAttribute('data-rione'), share: tr.querySelector('td[data-column="share_within"]')?.textContent ?? '' }))
		);
		expect(csv.map((r) => r.name).sort()).toEqual(table.map((r) => r.name).sort());
		for (const row of table) {
			const line = csv.find((r) => r.name === row.name)!;
			expect(line.share_within === '' ? '—' : `${Math.round(Number(line.share_within) * 100)}%`, row.name!).toBe(row.share.trim());
		}

		// The printable report: a picture of the rioni, the same table, method and sources.
		await page.getByRole('link', { name: 'Rapporto da stampare (A4)' }).click();
		await page.waitForURL(/\/pianificazione\/stampa\?/);
		await expect.poll(() => page.locator('svg.rioni-svg path').count()).toBeGreaterThan(0);
		expect(await page.locator('table.rioni tbody tr').count()).toBe(table.length);
		await expect.poll(() => page.getByRole('heading', { name: 'Metodo' }).count()).toBe(1);
		await expect.poll(() => page.locator('.freshness').textContent()).toMatch(/Dati calcolati il|non sono ancora stati calcolati/);
		await page.emulateMedia({ media: 'print' });
		expect(await page.getByRole('button', { name: 'Stampa' }).isVisible()).toBe(false);
		await page.emulateMedia({ media: 'screen' });
		expect(await axeViolations(page)).toEqual([]);

		expect(errors).toEqual([]);
		expect(colleague.errors).toEqual([]);
		expect(foreignRequests).toEqual([]);
		expect(colleague.foreignRequests).toEqual([]);
	});

	it('serves the whole table without JavaScript', async () => {
		const signedIn = await session.open(desktop, null);
		await signIn(signedIn);
		const context = await session.browser().newContext({ ...desktop, locale: 'it-IT', javaScriptEnabled: false, storageState: await signedIn.context.storageState() });
		try {
			const page = await context.newPage();
			const response = await page.goto(`${base}/pianificazione?need=homework&sort=name`);
			expect(response?.status()).toBe(200);
			const names = await page.locator('table.rioni tbody tr').evaluateAll((rows) => rows.map((tr) => tr.getAttribute('data-rione')));
			expect(names.length).toBeGreaterThan(5);
			expect(names).toEqual([...names].sort((a, b) => a!.localeCompare(b!, 'it')));
			// Sorting is a link: following it sorts on the server.
			await page.getByRole('link', { name: 'Residenti', exact: true }).click();
			await page.waitForURL(/sort=residents/);
			const residents = await page.locator('table.rioni tbody td[data-column="residents"]').allTextContents();
			const numbers = residents.map((text) => Number(text.replace(/\D/g, '')) || -1);
			expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
		} finally {
			await context.close();
		}
	});
});
