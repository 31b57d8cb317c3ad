import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppProcess } from '../../scripts/lib/app-process';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, desktop, launch, openPage } from './browser';

// Issue 15, item 5: above ATLANTE_MAP_TILES_ABOVE public resources the home map draws the vector
// tiles (/api/tiles) instead of one GeoJSON. Lecco's data is far below the default, so this file
// runs its own app with the threshold at 0 (a fresh embedded store, demo off) and checks that the
// map renders tile features: counts per cell, then single pins, a pin's popup.
let app: AppProcess;
let dataDir: string;
beforeAll(async () => {
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-tiles-e2e-'));
	const env: NodeJS.ProcessEnv = { ...process.env, ATLANTE_DATA_DIR: dataDir, ATLANTE_MAP_TILES_ABOVE: '0', ATLANTE_DEMO: '0', LOG_LEVEL: 'silent' };
	delete env.DATABASE_URL;
	app = await startApp(env);
}, 240_000);
afterAll(async () => {
	await app?.stop();
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe.runIf(chromiumAvailable() || process.env.CI === 'true')('the atlas map from vector tiles', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launch();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('draws counts per cell, then single pins from the tiles, and a pin opens its popup', async () => {
		const { page, errors, foreignRequests } = await openPage(browser, app.baseUrl, desktop);
		const tileRequests: string[] = [];
		page.on('request', (request) => {
			if (request.url().includes('/api/tiles/')) tileRequests.push(request.url());
		});
		await page.goto(app.baseUrl + '/');
		await page.waitForFunction(() => Boolean(window.__map?.getSource('atlas-resource-tiles')) && window.__map!.loaded(), null, { timeout: 60_000 });
		// The tiles replace the GeoJSON of every resource.
		expect(await page.evaluate(() => window.__map!.getSource('atlas-resources') === undefined)).toBe(true);

		// Lecco's outline, below zoom 14: cells with counts.
		const clusters = await page.evaluate(async () => {
			const map = window.__map!;
			map.jumpTo({ center: [9.3935, 45.8555], zoom: 12 });
			await new Promise((resolve) => map.once('idle', resolve));
			return map.queryRenderedFeatures({ layers: ['atlas-clusters'] }).map((f) => Number(f.properties.count));
		});
		expect(clusters.length).toBeGreaterThan(0);
		expect(clusters.every((n) => n >= 1)).toBe(true);
		expect(clusters.reduce((a, b) => a + b, 0)).toBeGreaterThan(20);

		// Zoomed in: single pins with their ids, names and categories.
		const pins = await page.evaluate(async () => {
			const map = window.__map!;
			map.jumpTo({ center: [9.3935, 45.8555], zoom: 16 });
			await new Promise((resolve) => map.once('idle', resolve));
			return map.queryRenderedFeatures({ layers: ['atlas-pins'] }).map((f) => {
				const point = map.project((f.geometry as unknown as { coordinates: [number, number] }).coordinates);
				return { id: String(f.properties.id), name: String(f.properties.name), category: String(f.properties.category), x: point.x, y: point.y };
			});
		});
		expect(pins.length).toBeGreaterThan(0);
		for (const pin of pins) expect(pin.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(tileRequests.some((url) => /\/api\/tiles\/14\/\d+\/\d+\.mvt$/.test(url))).toBe(true);

		// A click on a pin opens its popup, read from /api/resources/{id}.
		const box = (await page.locator('.maplibregl-canvas').boundingBox())!;
		const pin = pins.reduce((best, p) => (Math.hypot(p.x - box.width / 2, p.y - box.height / 2) < Math.hypot(best.x - box.width / 2, best.y - box.height / 2) ? p : best));
		const hit = await page.evaluate(
			(p) => String(window.__map!.queryRenderedFeatures([p.x, p.y], { layers: ['atlas-pins'] })[0]?.properties.id ?? ''),
			pin
		);
		await page.mouse.click(box.x + pin.x, box.y + pin.y);
		const popup = page.locator('.maplibregl-popup');
		await expect.poll(() => popup.count(), { timeout: 15_000 }).toBe(1);
		const expected = pins.find((p) => p.id === hit)!;
		await expect.poll(() => popup.textContent()).toContain(expected.name);
		expect(errors).toEqual([]);
		expect(foreignRequests).toEqual([]);
	});

	it('after one visit, draws the tiles it drew without a connection (the service worker keeps them apart from the pages)', async () => {
		const { page, context, errors, foreignRequests } = await openPage(browser, app.baseUrl, { ...desktop, serviceWorkers: 'allow' });
		const lecco = { center: [9.3935, 45.8555] as [number, number], zoom: 12 };
		const clusterCount = () =>
			page.evaluate(async (view) => {
				const map = window.__map!;
				map.jumpTo(view);
				if (!map.areTilesLoaded()) await new Promise((resolve) => map.once('idle', resolve));
				return map.queryRenderedFeatures({ layers: ['atlas-clusters'] }).reduce((sum, f) => sum + Number(f.properties.count), 0);
			}, lecco);
		await page.goto(app.baseUrl + '/');
		await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
		// Now through the worker: the page, the basemap and the tiles of this view.
		await page.goto(app.baseUrl + '/');
		await page.waitForFunction(() => Boolean(window.__map?.getSource('atlas-resource-tiles')) && window.__map!.loaded(), null, { timeout: 60_000 });
		const online = await clusterCount();
		expect(online).toBeGreaterThan(20);
		const kept = await page.evaluate(async () => {
			const paths: string[] = [];
			for (const name of await caches.keys()) if (name.startsWith('tiles-')) for (const r of await (await caches.open(name)).keys()) paths.push(new URL(r.url).pathname);
			return paths;
		});
		expect(kept.length).toBeGreaterThan(0);
		expect(kept.every((p) => /^\/api\/tiles\/\d+\/\d+\/\d+\.mvt$/.test(p))).toBe(true);

		await context.setOffline(true);
		await page.goto(app.baseUrl + '/');
		await page.waitForFunction(() => Boolean(window.__map?.getSource('atlas-resource-tiles')) && window.__map!.loaded(), null, { timeout: 60_000 });
		expect(await clusterCount()).toBe(online);
		await context.setOffline(false);
		await context.close();
		expect(foreignRequests).toEqual([]);
		// Offline, tiles of other views (never drawn online) fail to load, which MapLibre may report.
		expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|AJAXError/i.test(e))).toEqual([]);
	}, 120_000);
});
