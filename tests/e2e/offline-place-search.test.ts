import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { browserSession, chromiumAvailable, phone } from './browser';
import { GAZETTEER_PATH } from '../../src/lib/domain/offline';

// Issue 14: tried as a citizen would on a phone, offline after one visit. Texts never typed while
// online move the map to the right place, answered by the service worker from the gazetteer it
// kept once the page was idle; "piazza garibaldi" is recognised though its position is not known.
// The expected points are the source data's own (GeoNames, the Trenord station, the Linee Lecco
// stop "Dante/Ghislanzoni"), as in place-search.test.ts, not the app's answers.
const base = inject('baseUrl');

const SLOW = { timeout: 30_000 };
// About 200 m: the map is centred on the chosen point, give or take rounding and padding.
const NEAR = 0.002;

/** The live map's centre once it has stopped moving (window.__map, the test hook). */
async function settledMapCentre(page: Page): Promise<{ lon: number; lat: number }> {
	await page.waitForFunction(
		() => {
			const map = (window as unknown as { __map?: { loaded(): boolean; isMoving(): boolean } }).__map;
			return Boolean(map && map.loaded() && !map.isMoving());
		},
		null,
		SLOW
	);
	return page.evaluate(() => {
		const centre = (window as unknown as { __map: { getCenter(): { lng: number; lat: number } } }).__map.getCenter();
		return { lon: centre.lng, lat: centre.lat };
	});
}

/** Whether the worker has kept the gazetteer. */
function gazetteerKept(page: Page): Promise<boolean> {
	return page.evaluate(async (path) => {
		for (const name of await caches.keys()) if (name.startsWith('gazetteer-') && (await (await caches.open(name)).match(path))) return true;
		return false;
	}, GAZETTEER_PATH);
}

async function typePlace(page: Page, text: string, firstSuggestion: RegExp) {
	await page.getByLabel('Vicino a').fill(text);
	await expect.poll(() => page.locator('.matches button').first().textContent(), SLOW).toMatch(firstSuggestion);
	// The page says where the suggestions come from.
	expect(await page.locator('[data-offline-places]').textContent()).toMatch(/Senza connessione: luoghi cercati nell'elenco salvato/);
	await page.getByLabel('Vicino a').press('Enter');
}

describe.skipIf(!chromiumAvailable())('the place search offline, after one visit (issue 14)', () => {
	const session = browserSession(base);

	it('finds places never typed before, moves the map to them, and recognises a street with no known position', async () => {
		const { page, context, errors, foreignRequests } = await session.open({ ...phone, serviceWorkers: 'allow' }, '/');
		// One visit, online: the map opened once (its basemap is kept too), nothing typed.
		await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, SLOW);
		await page.getByRole('button', { name: 'Mappa', exact: true }).click();
		await settledMapCentre(page);
		await expect.poll(() => gazetteerKept(page), SLOW).toBe(true);

		await context.setOffline(true);
		for (const [text, suggestion, point, status] of [
			['p.za cermenati', /Piazza Mario Cermenati/, { lon: 9.38878, lat: 45.85585 }, null],
			['stazione', /Stazione di Lecco/, { lon: 9.393326, lat: 45.856178 }, null],
			['via ghislanzoni', /Via Antonio Ghislanzoni/, { lon: 9.393767, lat: 45.851814 }, /vicino alla fermata dell'autobus «Lecco, Dante\/Ghislanzoni/]
		] as const) {
			await typePlace(page, text, suggestion);
			if (status) await expect.poll(() => page.locator('#place-status').textContent(), SLOW).toMatch(status);
			await expect.poll(() => new URL(page.url()).searchParams.get('near'), SLOW).toBeTruthy();
			const near = new URL(page.url()).searchParams.get('near')!.split(',').map(Number);
			expect(Math.abs(near[0]! - point.lon), text).toBeLessThan(NEAR);
			expect(Math.abs(near[1]! - point.lat), text).toBeLessThan(NEAR);
			await expect
				.poll(async () => {
					const centre = await settledMapCentre(page);
					return Math.max(Math.abs(centre.lon - point.lon), Math.abs(centre.lat - point.lat));
				}, SLOW)
				.toBeLessThan(NEAR);
			// The chosen place is named, as online.
			expect(await page.locator('.current').textContent()).toMatch(suggestion);
		}

		const before = await settledMapCentre(page);
		const nearBefore = new URL(page.url()).searchParams.get('near');
		await typePlace(page, 'piazza garibaldi', /Piazza Giuseppe Garibaldi.*posizione non nota/);
		await expect.poll(() => page.locator('#place-status').textContent(), SLOW).toMatch(/«Piazza Giuseppe Garibaldi» c'è, ma non ne conosciamo la posizione/);
		// Nothing was chosen: the map and the address stay, and the text stays to be changed.
		expect(new URL(page.url()).searchParams.get('near')).toBe(nearBefore);
		expect(await settledMapCentre(page)).toEqual(before);
		expect(await page.getByLabel('Vicino a').inputValue()).toBe('piazza garibaldi');
		await context.setOffline(false);

		expect(foreignRequests).toEqual([]);
		// Offline, the browser reports the loads it could not make as console errors.
		expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
	}, 180_000);
});
