import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { LIST_PAGE } from '../../src/lib/domain/resource';
import { axeViolations, browserSession, chromiumAvailable, desktop, phone } from './browser';

const base = inject('baseUrl');

/** Lecco's outline bounds [W, S, E, N] (as SERVED_BOUNDS in the map's style). */
const LECCO: [number, number, number, number] = [9.3657, 45.8124, 9.4849, 45.9061];

/** Number of resource features the map's GeoJSON source holds (via the test hook window.__map). */
async function mapFeatureCount(page: Page): Promise<number> {
	await page.waitForFunction(() => {
		const map = (window as unknown as { __map?: { loaded(): boolean; getSource(id: string): unknown } }).__map;
		return Boolean(map && map.loaded() && map.getSource('atlas-resources'));
	}, null, { timeout: 30_000 });
	return page.evaluate(async () => {
		const map = (window as unknown as { __map: { getSource(id: string): { getData(): Promise<{ features: unknown[] }> } } }).__map;
		const data = await map.getSource('atlas-resources').getData();
		return data.features.length;
	});
}

async function listCount(page: Page): Promise<number> {
	return page.locator('#list-heading ~ ol > li').count();
}

/** How many resources the list says it has (it renders the first page; "more results" the rest). */
async function listTotal(page: Page): Promise<number> {
	const said = await page.locator('#list-heading ~ .count[role="status"]').textContent();
	return Number(said?.match(/\d+/)?.[0] ?? 0);
}

describe.runIf(chromiumAvailable() || process.env.CI === 'true')('the public atlas in a browser', () => {
	const session = browserSession(base, '/');
	const open = session.open;

	it('home: the list is server-rendered and the map renders the same resources, with no errors and no foreign requests', async () => {
		const { page, errors, foreignRequests } = await open();
		// The first page of the list; the map has every resource the list counts.
		await expect.poll(() => listCount(page)).toBe(LIST_PAGE);
		const total = await listTotal(page);
		expect(total).toBeGreaterThan(200);
		expect(await mapFeatureCount(page)).toBeGreaterThanOrEqual(total);
		await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('it');
		// The map's credit is one short line in the page's language, a link to the sources' page.
		await expect.poll(() => page.locator('.maplibregl-ctrl-attrib-inner').textContent()).toBe('© Fonti dei dati');
		expect(await page.locator('.maplibregl-ctrl-attrib-inner a').getAttribute('href')).toBe('/fonti');
		expect(errors).toEqual([]);
		expect(foreignRequests).toEqual([]);
	});

	it('filters change the list, the map and the URL, and the URL reproduces the view', async () => {
		const { page, errors } = await open();
		await page.locator('summary', { hasText: 'Di cosa hai bisogno' }).click();
		await page.getByLabel('Aiuto nei compiti').check();
		await page.waitForURL(/need=homework/);
		await expect.poll(() => listCount(page)).toBeGreaterThan(0);
		const chips = await page.locator('#list-heading ~ ol > li').evaluateAll((items) =>
			items.map((li) => [...li.querySelectorAll('.chip')].map((c) => c.textContent?.trim()))
		);
		for (const needs of chips) expect(needs).toContain('Aiuto nei compiti');
		const shown = await listCount(page);
		expect(await mapFeatureCount(page)).toBeGreaterThanOrEqual(shown);

		// The same URL in a fresh page (server-rendered) shows the same filtered view.
		const again = await open(desktop, new URL(page.url()).pathname + new URL(page.url()).search);
		await expect.poll(() => listCount(again.page)).toBe(shown);
		expect(await again.page.getByLabel('Aiuto nei compiti').isChecked()).toBe(true);
		expect(errors).toEqual([]);
	});

	it('selecting a pin on the map selects and shows its entry in the list, and the list selects on the map', async () => {
		const { page, errors } = await open();
		await mapFeatureCount(page);
		// Zoom in past clustering on the centre of Lecco, then click the pin nearest the middle.
		const target = await page.evaluate(async () => {
			const map = window.__map!;
			map.jumpTo({ center: [9.3935, 45.8555], zoom: 16 });
			await new Promise((resolve) => map.once('idle', resolve));
			const pins = map.queryRenderedFeatures({ layers: ['atlas-pins'] });
			const size = map.getContainer().getBoundingClientRect();
			const scored = pins.map((f) => {
				const point = map.project((f.geometry as GeoJSON.Point).coordinates as [number, number]);
				return { id: String(f.properties.id), x: size.left + point.x, y: size.top + point.y, d: Math.hypot(point.x - size.width / 2, point.y - size.height / 2) };
			});
			scored.sort((a, b) => a.d - b.d);
			// A pin not under the legend or a control, and the one MapLibre finds on top at that pixel.
			const canvas = map.getCanvas();
			const topmost = (s: { id: string; x: number; y: number }) =>
				document.elementFromPoint(s.x, s.y) === canvas &&
				String(map.queryRenderedFeatures([s.x - size.left, s.y - size.top], { layers: ['atlas-pins'] })[0]?.properties.id) === s.id;
			// Preferably one whose entry is beyond the list's first page (not rendered yet).
			const candidates = scored.filter(topmost);
			const unlisted = candidates.find((s) => !document.getElementById(`resource-${s.id}`));
			return unlisted ? { ...unlisted, unlisted: true } : candidates[0] ? { ...candidates[0], unlisted: false } : null;
		});
		expect(target).not.toBeNull();
		// The demo data has pins beyond the first page near the centre: the list must grow to them.
		expect(target!.unlisted).toBe(true);
		await page.mouse.click(target!.x, target!.y);
		const entry = page.locator(`#resource-${target!.id}`);
		await expect.poll(() => entry.getAttribute('class')).toMatch(/selected/);
		await expect.poll(() => entry.isVisible()).toBe(true);
		// The entry was scrolled into the list panel's view (give or take a subpixel).
		const inPanel = await entry.evaluate((li) => {
			const panel = li.closest('.panel')!.getBoundingClientRect();
			const box = li.getBoundingClientRect();
			return box.top >= panel.top - 1 && box.bottom <= panel.bottom + 1;
		});
		expect(inPanel).toBe(true);
		const name = (await entry.locator('h3 a').textContent())!.trim();
		await expect.poll(() => page.locator('.popup-name').textContent()).toBe(name);
		// The popup says what the entry says a person can act on: a number to call, the next change.
		const popup = page.locator('.atlas-popup');
		if ((await entry.locator('a[href^="tel:"]').count()) > 0) {
			expect(await popup.locator('a[href^="tel:"]').getAttribute('href')).toBe(await entry.locator('a[href^="tel:"]').getAttribute('href'));
		}
		if ((await entry.locator('.next').count()) > 0) expect(await popup.textContent()).toContain((await entry.locator('.next').textContent())!.trim());

		// And the other way: focusing another entry in the list selects it on the map (its popup).
		const other = page.locator('#list-heading ~ ol > li').nth(3);
		const otherName = (await other.locator('h3 a').textContent())!.trim();
		await other.locator('h3 a').focus();
		await expect.poll(() => page.locator('.popup-name').textContent()).toBe(otherName);
		expect(errors).toEqual([]);
	});

	it('the map legend hides a category on map and list and writes the category filter to the URL', async () => {
		const { page, errors } = await open();
		await mapFeatureCount(page);
		const before = await listTotal(page);
		const shops = await page.evaluate(async () => {
			const response = await fetch('/api/resources?limit=5000');
			const body = (await response.json()) as { features: { properties: { category: string } }[] };
			return body.features.filter((f) => f.properties.category === 'shop').length;
		});
		expect(shops).toBeGreaterThan(0);
		await page.locator('.legend button', { hasText: 'Negozi di vicinato' }).click();
		await expect.poll(() => listTotal(page)).toBe(before - shops);
		expect(await page.locator('#list-heading ~ ol > li[data-category="shop"]').count()).toBe(0);
		const url = new URL(page.url());
		expect(url.searchParams.getAll('category').sort()).toEqual(['custodia', 'health', 'institution', 'parish', 'partner', 'school']);
		const onMap = await page.evaluate(() => {
			const map = window.__map!;
			return map.querySourceFeatures('atlas-resources').filter((f) => f.properties.category === 'shop').length;
		});
		expect(onMap).toBe(0);
		// The filter form agrees with the legend, and the link reproduces the view.
		expect(await page.getByLabel('Negozi di vicinato', { exact: true }).isChecked()).toBe(false);
		const again = await open(desktop, url.pathname + url.search);
		await expect.poll(() => listTotal(again.page)).toBe(before - shops);
		expect(errors).toEqual([]);
	});

	it('"Altri risultati" shows the next page in place, writes it to the URL and moves focus to it; the map keeps every pin', async () => {
		const { page, errors } = await open();
		const pins = await mapFeatureCount(page);
		await expect.poll(() => listCount(page)).toBe(LIST_PAGE);
		const before = page.url();
		await page.getByRole('link', { name: 'Altri risultati' }).click();
		await expect.poll(() => listCount(page)).toBe(2 * LIST_PAGE);
		// In place: no navigation to the link's fragment, the address says how many are shown.
		expect(new URL(page.url()).searchParams.get('shown')).toBe(String(2 * LIST_PAGE));
		expect(new URL(page.url()).hash).toBe('');
		expect(new URL(before).searchParams.get('shown')).toBeNull();
		const focused = await page.evaluate(() => document.activeElement?.closest('li')?.id);
		expect(focused).toBe(await page.locator('#list-heading ~ ol > li').nth(LIST_PAGE).getAttribute('id'));
		expect(await mapFeatureCount(page)).toBe(pins);
		// The address reproduces the longer list, server-rendered.
		const again = await open(desktop, new URL(page.url()).pathname + new URL(page.url()).search);
		await expect.poll(() => listCount(again.page)).toBe(2 * LIST_PAGE);
		expect(errors).toEqual([]);
	});

	it('a staff-text page reached from the home by a link (no reload) gets its texts: the home carries the public ones only', async () => {
		const { page, errors } = await open();
		await expect.poll(() => listCount(page)).toBe(LIST_PAGE);
		await page.getByRole('contentinfo').getByRole('link', { name: 'Chi ha firmato il patto' }).click();
		await page.waitForURL(/\/patto$/);
		await expect.poll(() => page.locator('h1').textContent()).toBe('I firmatari del Patto di comunità');
		// No message key shows as itself: the pact's texts came with the navigation.
		expect(await page.locator('main, #content').first().innerText()).not.toMatch(/\bpact\.[a-zA-Z]/);
		expect(errors).toEqual([]);
	});

	it('a resource page is complete without JavaScript', async () => {
		const { page: list } = await open();
		const href = await list.locator('#list-heading ~ ol > li a').first().getAttribute('href');
		const noJs = await open({ ...desktop, javaScriptEnabled: false }, null);
		const response = await noJs.page.goto(base + href!);
		expect(response?.status()).toBe(200);
		await expect.poll(() => noJs.page.locator('h1').count()).toBe(1);
		expect(await noJs.page.locator('h1').textContent()).toBeTruthy();
		// A wrong entry can be reported, without JavaScript and without an account.
		await noJs.page.locator('summary', { hasText: 'Segnala un errore' }).click();
		await noJs.page.getByLabel('Gli orari sono sbagliati').check();
		await noJs.page.getByRole('button', { name: 'Invia la segnalazione' }).click();
		await noJs.page.waitForURL(/segnalato/);
		expect(await noJs.page.getByRole('status').filter({ hasText: 'Grazie!' }).count()).toBe(1);
		expect(noJs.foreignRequests).toEqual([]);
	});

	it('a family near Germanedo finds an open after-school service on a phone, reads its hours, switches to English and shares the link', async () => {
		const { page, errors, foreignRequests } = await open(phone);
		await page.getByLabel('Vicino a').fill('Germanedo');
		await page.getByRole('button', { name: /Germanedo/ }).first().click();
		await page.waitForURL(/near=/);
		await page.locator('summary', { hasText: 'Di cosa hai bisogno' }).click();
		await page.getByLabel('Aiuto nei compiti').check();
		await page.waitForURL(/need=homework/);
		const first = page.locator('#list-heading ~ ol > li').first();
		await expect.poll(() => first.textContent()).toMatch(/Doposcuola|compiti/i);
		await first.locator('a').first().click();
		await page.waitForURL(/\/risorse\//);
		await expect.poll(() => page.locator('table').count()).toBeGreaterThan(0);
		await page.getByRole('link', { name: 'English' }).click();
		await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
		await expect.poll(() => page.getByRole('heading', { name: 'Share this page' }).count()).toBe(1);
		// The directory's texts stay Italian on English pages, and say so.
		expect(await page.locator('h1').getAttribute('lang')).toBe('it');
		const share = page.getByRole('link', { name: /\/risorse\// }).first();
		expect(await share.getAttribute('href')).toMatch(/\/risorse\/[0-9a-f-]{36}/);
		expect(await page.getByRole('button', { name: /Share|Copy the link/ }).count()).toBe(1);
		expect(errors).toEqual([]);
		expect(foreignRequests).toEqual([]);
	});

	it('the map shows at once as the server drew it, also without JavaScript, and MapLibre takes its place without a jump', async () => {
		// Without JavaScript the frame is the map: every resource as its pin, over the outlines.
		const noJs = await open({ ...desktop, javaScriptEnabled: false });
		expect(await noJs.page.locator('.map-frame').isVisible()).toBe(true);
		// (One pin per resource is checked on the HTML itself, tests/api/map-frame.test.ts.)
		expect(await noJs.page.locator('.map-frame use').count()).toBeGreaterThan(100);
		await expect.poll(() => noJs.page.locator('.map-frame img.outlines').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
		expect(noJs.foreignRequests).toEqual([]);

		// With JavaScript held back (a slow phone network), the frame is there before MapLibre.
		const { page, errors, foreignRequests } = await open(desktop, null);
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		await page.route(/\/_app\/immutable\/.*\.js$/, async (route) => {
			await held;
			await route.continue();
		});
		await page.goto(base + '/', { waitUntil: 'domcontentloaded' });
		expect(await page.locator('.map-frame').isVisible()).toBe(true);
		expect(await page.locator('.map-frame use').count()).toBeGreaterThan(100);
		release();
		await mapFeatureCount(page);
		// Once MapLibre has drawn everything, the frame is gone…
		await expect.poll(() => page.locator('.map-frame').isVisible(), { timeout: 30_000 }).toBe(false);
		// …and the city sat where MapLibre put it: the frame's view box is the map's view of Lecco's bounds.
		const [west, south, east, north] = LECCO;
		const fit = await page.locator('.map-frame .fit').boundingBox();
		const corners = await page.evaluate(
			([w, s, e, n]: number[]) => {
				const rect = window.__map!.getCanvas().getBoundingClientRect();
				const nw = window.__map!.project([w!, n!]);
				const se = window.__map!.project([e!, s!]);
				return { left: rect.x + nw.x, top: rect.y + nw.y, right: rect.x + se.x, bottom: rect.y + se.y };
			},
			[west, south, east, north]
		);
		for (const [frame, map] of [
			[fit!.x, corners.left],
			[fit!.y, corners.top],
			[fit!.x + fit!.width, corners.right],
			[fit!.y + fit!.height, corners.bottom]
		] as [number, number][]) {
			expect(Math.abs(frame - map)).toBeLessThan(2);
		}
		expect(errors).toEqual([]);
		expect(foreignRequests).toEqual([]);
	}, 120_000);

	it('the map orients: it starts on Lecco, names squares, stations and stops, and keeps legend and credits small on a phone', async () => {
		const { page, errors, foreignRequests } = await open(phone);
		// On a phone the list comes first; the map opens to fill the screen below the list/map switch.
		await page.getByRole('button', { name: 'Mappa' }).click();
		await mapFeatureCount(page);
		const box = await page.locator('.map-wrap').boundingBox();
		expect(box!.height).toBeGreaterThan(844 * 0.8);
		expect(box!.y).toBeLessThan(80);
		// It starts on the city, not the province.
		const view = await page.evaluate(() => ({ center: window.__map!.getCenter().toArray(), zoom: window.__map!.getZoom() }));
		const [west, south, east, north] = LECCO;
		expect(view.center[0]).toBeGreaterThan(west);
		expect(view.center[0]).toBeLessThan(east);
		expect(view.center[1]).toBeGreaterThan(south);
		expect(view.center[1]).toBeLessThan(north);
		// Lecco's outline fitted to a phone is about zoom 11; a map made while hidden opened at 10.4.
		expect(view.zoom).toBeGreaterThanOrEqual(10.9);
		// The legend is a button (collapsed), the attribution MapLibre's compact one, closed.
		expect(await page.locator('details.legend').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
		expect(await page.locator('details.legend summary').isVisible()).toBe(true);
		expect(await page.locator('.maplibregl-ctrl-attrib.maplibregl-compact').count()).toBe(1);
		expect(await page.locator('.maplibregl-ctrl-attrib.maplibregl-compact-show').count()).toBe(0);
		// Close in on Piazza Cermenati: the square, the station and the bus stops are labelled.
		await page.evaluate(() => window.__map!.jumpTo({ center: [9.3888, 45.8559], zoom: 17 }));
		await page.waitForFunction(() => window.__map!.loaded() && window.__map!.areTilesLoaded(), null, { timeout: 60_000 });
		// Labels are laid out from the self-hosted font in the browser: seconds on a loaded machine.
		const LABELS = { timeout: 20_000 };
		const named = (layer: string) =>
			page.evaluate((id) => window.__map!.queryRenderedFeatures({ layers: [id] }).map((f) => String(f.properties.name)), layer);
		await expect.poll(() => named('landmarks'), LABELS).toContain('Piazza Mario Cermenati');
		await expect.poll(() => named('bus-stops-label'), LABELS).toContain('Lecco, Battisti, fr. Imbarcadero');
		await page.evaluate(() => window.__map!.jumpTo({ center: [9.3935, 45.8564], zoom: 14 }));
		await expect.poll(() => named('stations-label'), LABELS).toContain('Lecco');
		expect(await named('bus-stops')).toEqual([]);
		expect(await axeViolations(page)).toEqual([]);
		expect(errors).toEqual([]);
		expect(foreignRequests).toEqual([]);
	}, 150_000);

	it('on a desktop the open legend keeps the map\'s view clear of it', async () => {
		const { page } = await open(desktop);
		await mapFeatureCount(page);
		const legend = await page.locator('details.legend').boundingBox();
		expect(await page.locator('details.legend').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
		await expect.poll(() => page.evaluate(() => window.__map!.getPadding().left)).toBeGreaterThanOrEqual(Math.floor(legend!.width));
	});

	it('the language choice is remembered', async () => {
		const { page, context } = await open(desktop, '/?lang=en');
		expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
		const next = await context.newPage();
		await next.goto(base + '/');
		expect(await next.evaluate(() => document.documentElement.lang)).toBe('en');
		expect(await next.locator('h1').textContent()).toMatch(/Find help/);
	});

	it('has no serious or critical accessibility violations on the home, list, filters and resource pages', async () => {
		const { page } = await open(desktop);
		expect(await axeViolations(page)).toEqual([]);
		const mobile = await open(phone);
		expect(await axeViolations(mobile.page)).toEqual([]);
		await mobile.page.locator('summary', { hasText: 'Di cosa hai bisogno' }).click();
		await mobile.page.locator('summary', { hasText: 'Tipo di luogo' }).click();
		expect(await axeViolations(mobile.page)).toEqual([]);
		const href = await page.locator('#list-heading ~ ol > li a').first().getAttribute('href');
		await page.goto(base + href!);
		expect(await axeViolations(page)).toEqual([]);
		await page.locator('summary', { hasText: 'Segnala un errore' }).click();
		expect(await axeViolations(page)).toEqual([]);
	});
});
