import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { axeViolations, browserSession, chromiumAvailable, desktop, phone } from './browser';

/**
 * "Trova aiuto" (/trova-aiuto): a family chooses needs and a place and gets, per need, the nearest
 * places that can help. "Open now" depends on the server's clock, so nothing here assumes that a
 * place is open: the tests check the order the page keeps (those that can help now before the
 * closed or full ones, each group nearest first) against the data attributes it writes.
 */

const base = inject('baseUrl');

interface Entry {
	id: string;
	available: boolean;
	open: string;
	accepting: string;
	distance: number;
	text: string;
}

/** The result list of each need section, in page order. */
async function sections(page: Page): Promise<Record<string, Entry[]>> {
	return page.locator('section[data-need]').evaluateAll((nodes) =>
		Object.fromEntries(
			nodes.map((section) => [
				(section as HTMLElement).dataset.need!,
				[...section.querySelectorAll<HTMLElement>('li[data-id]')].map((li) => ({
					id: li.dataset.id!,
					available: li.dataset.available === 'true',
					open: li.dataset.open!,
					accepting: li.dataset.accepting!,
					distance: Number(li.dataset.distance),
					text: li.textContent ?? ''
				}))
			])
		)
	);
}

/** Those that can help now (not closed, not full) first, then the others; each group nearest first. */
function expectAvailableFirst(entries: Entry[]) {
	for (const entry of entries) expect(entry.available).toBe(entry.open !== 'false' && entry.accepting !== 'false');
	const firstLater = entries.findIndex((entry) => !entry.available);
	if (firstLater >= 0) expect(entries.slice(firstLater).every((entry) => !entry.available), 'an available place after a closed or full one').toBe(true);
	const groups = [entries.filter((e) => e.available), entries.filter((e) => !e.available)];
	for (const group of groups) {
		for (let i = 1; i < group.length; i++) expect(group[i]!.distance).toBeGreaterThanOrEqual(group[i - 1]!.distance);
	}
}

async function germanedo(): Promise<{ lon: number; lat: number; name: string }> {
	const places = (await (await fetch(`${base}/api/places?q=Germanedo`)).json()) as { name: string; kind: string; lon: number; lat: number }[];
	const rione = places.find((p) => p.kind === 'neighbourhood' && p.name === 'Germanedo');
	expect(rione).toBeDefined();
	return rione!;
}

async function matchIds(at: { lon: number; lat: number }, needs: string): Promise<Record<string, string[]>> {
	const response = await fetch(`${base}/api/match?at=${at.lon},${at.lat}&needs=${needs}`);
	expect(response.status).toBe(200);
	const body = (await response.json()) as { results: { need: string; resources: { id: string }[] }[] };
	return Object.fromEntries(body.results.map((r) => [r.need, r.resources.map((resource) => resource.id)]));
}

const ids = (all: Record<string, Entry[]>) => Object.fromEntries(Object.entries(all).map(([need, entries]) => [need, entries.map((e) => e.id)]));

describe.runIf(chromiumAvailable() || process.env.CI === 'true')('Trova aiuto in a browser', () => {
	const session = browserSession(base, '/trova-aiuto');
	const open = session.open;

	it('a family in Germanedo needing homework help and food finds, per need, the nearest places on a phone, as the API does, and shares the link', async () => {
		const { page, errors, foreignRequests } = await open(phone);
		// Reached from the header, in both languages.
		await page.goto(base + '/');
		await page.getByRole('navigation', { name: 'Sezioni del sito' }).getByRole('link', { name: 'Trova aiuto' }).click();
		await page.waitForURL(/\/trova-aiuto$/);

		await page.getByRole('checkbox', { name: 'Aiuto nei compiti' }).check();
		await page.getByRole('checkbox', { name: 'Cibo e spesa' }).check();
		await page.waitForURL(/needs=food,homework/);
		await page.getByLabel('Rione, via o luogo').fill('Germanedo');
		await page.getByRole('button', { name: /Germanedo/ }).first().click();
		await page.waitForURL(/at=/);

		const place = await germanedo();
		const url = new URL(page.url());
		expect(url.searchParams.get('at')).toBe(`${place.lon},${place.lat}`);
		expect(url.searchParams.get('place')).toBe('Germanedo');
		await expect.poll(() => page.locator('section[data-need]').count()).toBe(2);
		const shown = await sections(page);
		expect(Object.keys(shown)).toEqual(['food', 'homework']);
		for (const entries of Object.values(shown)) {
			expect(entries.length).toBeGreaterThan(0);
			for (const entry of entries) expect(entry.text).toMatch(/circa \d+ min a piedi/);
			expectAvailableFirst(entries);
		}
		await expect.poll(() => page.locator('.from').textContent()).toMatch(/Germanedo/);
		// Choosing the place moved the page to the answer: focus on the results heading, in view.
		await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('results-heading');
		expect(await page.locator('#results-heading').evaluate((h) => h.getBoundingClientRect().top >= 0 && h.getBoundingClientRect().top < innerHeight)).toBe(true);

		// The API gives the same places, in the same order, for the same search.
		const api = await matchIds(place, 'homework,food');
		expect(ids(shown).homework![0]).toBe(api.homework![0]);
		expect(ids(shown).food![0]).toBe(api.food![0]);
		expect(ids(shown)).toEqual(api);

		// The share link reproduces the view in a fresh page (server-rendered).
		const share = page.getByRole('link', { name: /\/trova-aiuto\?/ });
		const href = (await share.getAttribute('href'))!;
		expect(href).toBe(url.pathname + url.search);
		const again = await open(phone, href);
		await expect.poll(() => again.page.locator('section[data-need]').count()).toBe(2);
		expect(ids(await sections(again.page))).toEqual(ids(shown));
		expect(await again.page.getByRole('checkbox', { name: 'Cibo e spesa' }).isChecked()).toBe(true);

		expect(await axeViolations(page)).toEqual([]);
		expect(errors).toEqual([]);
		expect(foreignRequests).toEqual([]);
		expect(again.errors).toEqual([]);
		expect(again.foreignRequests).toEqual([]);
	});

	it('works without JavaScript: the GET form resolves a typed place to a tidy, shareable address, and the page is not cached', async () => {
		const { page, foreignRequests } = await open({ ...phone, javaScriptEnabled: false });
		expect(await page.getByRole('button', { name: 'Vicino a me' }).count()).toBe(0);
		await page.getByRole('checkbox', { name: 'Aiuto nei compiti' }).check();
		await page.getByRole('checkbox', { name: 'Cibo e spesa' }).check();
		await page.getByLabel('Rione, via o luogo').fill('Germanedo');
		await page.getByRole('button', { name: 'Cerca aiuto' }).click();
		await page.waitForURL(/at=/);
		const place = await germanedo();
		const url = new URL(page.url());
		expect(url.search).toBe(`?needs=food,homework&at=${place.lon},${place.lat}&place=Germanedo`);
		const shown = await sections(page);
		expect(Object.keys(shown)).toEqual(['food', 'homework']);
		for (const entries of Object.values(shown)) {
			expect(entries.length).toBeGreaterThan(0);
			for (const entry of entries) expect(entry.text).toMatch(/circa \d+ min a piedi/);
			expectAvailableFirst(entries);
		}
		expect(ids(shown)).toEqual(await matchIds(place, 'food,homework'));

		// A rione from the list, a walking limit and an audience; the choices stay in the form.
		await page.getByLabel('Oppure scegli un rione').selectOption('Acquate');
		await page.getByLabel('A piedi al massimo').selectOption('15');
		await page.getByLabel('Per chi').selectOption('families');
		await page.getByRole('button', { name: 'Cerca aiuto' }).click();
		await page.waitForURL(/place=Acquate/);
		expect(new URL(page.url()).searchParams.get('max_walk_min')).toBe('15');
		expect(await page.getByLabel('A piedi al massimo').inputValue()).toBe('15');
		expect(await page.getByLabel('Per chi').inputValue()).toBe('families');
		for (const entries of Object.values(await sections(page))) {
			for (const entry of entries) expect(Number(entry.text.match(/circa (\d+) min/)![1])).toBeLessThanOrEqual(15);
		}

		// A place that cannot be found and an invalid address: a message in the form, not an error page.
		await page.getByLabel('Rione, via o luogo').fill('Nessunluogoqui');
		await page.getByRole('button', { name: 'Cerca aiuto' }).click();
		await expect.poll(() => page.locator('#place-status').textContent()).toMatch(/Nessun luogo trovato per «Nessunluogoqui»/);
		expect(await page.getByRole('checkbox', { name: 'Cibo e spesa' }).isChecked()).toBe(true);
		const invalid = await page.goto(`${base}/trova-aiuto?needs=homework,flying&at=${place.lon},${place.lat}`);
		expect(invalid?.status()).toBe(200);
		expect(await page.getByRole('alert').textContent()).toMatch(/flying/);
		expect(await page.getByRole('checkbox', { name: 'Aiuto nei compiti' }).isChecked()).toBe(true);
		const outside = await page.goto(`${base}/trova-aiuto?needs=homework&at=12.49,41.89`);
		expect(outside?.status()).toBe(200);
		expect(await page.getByRole('alert').textContent()).toMatch(/fuori dall'area/);
		expect(foreignRequests).toEqual([]);

		// A family's needs and place: never kept by a cache.
		const response = await fetch(`${base}/trova-aiuto?needs=food&at=${place.lon},${place.lat}`);
		expect(response.headers.get('cache-control')).toBe('private, no-store');
	});

	it('on a wide screen: list and map side by side, a click on the map sets a rounded starting point, one place for several needs is marked, and it prints as a list', async () => {
		const place = await germanedo();
		const { page, errors, foreignRequests } = await open(desktop, `/trova-aiuto?needs=homework,youth&at=${place.lon},${place.lat}&place=Germanedo`);
		await page.waitForFunction(() => Boolean(window.__map?.loaded()), null, { timeout: 30_000 });
		const [list, map] = await Promise.all([page.locator('.results').boundingBox(), page.locator('.map-col').boundingBox()]);
		expect(map!.x).toBeGreaterThan(list!.x + list!.width - 1);

		// A resource that covers both needs says so (fewer places to go).
		const both = page.locator('section[data-need="homework"] li[data-covers="homework,youth"]').first();
		expect(await both.count()).toBe(1);
		expect(await both.textContent()).toMatch(/Aiuta anche con: Ragazzi e giovani/);
		expect(await page.locator('.multi-summary').textContent()).toMatch(/più di un bisogno/);

		// The map shows each place once, and a click away from the pins moves the starting point there.
		const shownIds = new Set(Object.values(ids(await sections(page))).flat());
		const onMap = await page.evaluate(async () => {
			const source = window.__map!.getSource('atlas-resources') as unknown as { getData(): Promise<{ features: unknown[] }> };
			return (await source.getData()).features.length;
		});
		expect(onMap).toBe(shownIds.size);
		const target = await page.evaluate(() => {
			const map = window.__map!;
			const box = map.getContainer().getBoundingClientRect();
			for (let y = box.height * 0.85; y > box.height * 0.15; y -= 20) {
				for (let x = box.width * 0.15; x < box.width * 0.85; x += 20) {
					const layers = ['atlas-pins'].filter((id) => map.getLayer(id));
					const hit = map.queryRenderedFeatures([[x - 25, y - 25], [x + 25, y + 25]], { layers });
					if (hit.length === 0 && document.elementFromPoint(box.left + x, box.top + y) === map.getCanvas()) return { x: box.left + x, y: box.top + y };
				}
			}
			return null;
		});
		expect(target).not.toBeNull();
		const before = page.url();
		await page.mouse.click(target!.x, target!.y);
		await page.waitForURL((u) => u.href !== before && u.searchParams.get('place') === 'Punto scelto sulla mappa');
		const at = new URL(page.url()).searchParams.get('at')!;
		expect(at).toMatch(/^\d+(\.\d{1,3})?,\d+(\.\d{1,3})?$/);
		await expect.poll(() => page.locator('.from').textContent()).toMatch(/Punto scelto sulla mappa/);

		// Enter in the place field searches from the place typed, and empties the field.
		const field = page.getByLabel('Rione, via o luogo');
		await field.fill('Pescarenico');
		await field.press('Enter');
		await page.waitForURL(/place=Pescarenico/);
		await expect.poll(() => field.inputValue()).toBe('');
		await expect.poll(() => page.locator('.from').textContent()).toMatch(/Pescarenico/);

		// Printed: the list, the place and the address; no form, no map, no navigation.
		await page.emulateMedia({ media: 'print' });
		expect(await page.locator('form.search').isVisible()).toBe(false);
		expect(await page.locator('.map-col').isVisible()).toBe(false);
		expect(await page.locator('.site-header nav').first().isVisible()).toBe(false);
		expect(await page.locator('section[data-need]').first().isVisible()).toBe(true);
		expect(await page.getByText(/^Pagina: http/).isVisible()).toBe(true);
		await page.emulateMedia({ media: 'screen' });

		expect(await axeViolations(page)).toEqual([]);
		expect(errors).toEqual([]);
		expect(foreignRequests).toEqual([]);
	});

	it('a place that is not taking new people stays in the list, after farther ones that can help, and says why', async () => {
		// Near Germanedo the health services with no hours given count as able to help at any hour,
		// and one nearer service is full: the order does not depend on the clock.
		const place = await germanedo();
		const { page, errors } = await open(desktop, `/trova-aiuto?needs=health&at=${place.lon},${place.lat}&place=Germanedo`);
		const entries = (await sections(page)).health!;
		expectAvailableFirst(entries);
		const full = entries.find((e) => e.accepting === 'false');
		expect(full, 'a full place in the list').toBeDefined();
		expect(full!.text).toMatch(/non accoglie nuove persone/);
		const fartherBefore = entries.slice(0, entries.indexOf(full!)).filter((e) => e.available && e.distance > full!.distance);
		expect(fartherBefore.length).toBeGreaterThan(0);
		expect(ids({ health: entries })).toEqual(await matchIds(place, 'health'));
		expect(errors).toEqual([]);
	});

	it('speaks English with ?lang=en and keeps the directory texts marked Italian', async () => {
		const place = await germanedo();
		const { page, errors } = await open(desktop, `/trova-aiuto?needs=food&at=${place.lon},${place.lat}&place=Germanedo&lang=en`);
		expect(await page.locator('h1').textContent()).toBe('Find help');
		const first = page.locator('section[data-need="food"] li').first();
		expect(await first.textContent()).toMatch(/about \d+ min walk/);
		expect(await first.locator('h4 a').getAttribute('lang')).toBe('it');
		expect(await page.getByRole('navigation', { name: 'Site sections' }).getByRole('link', { name: 'Find help' }).getAttribute('aria-current')).toBe('page');
		expect(errors).toEqual([]);
	});
});
