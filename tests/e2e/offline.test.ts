import { describe, expect, inject, it } from 'vitest';
import { browserSession, chromiumAvailable, phone } from './browser';
import { isOfflineCacheable } from '../../src/lib/domain/offline';

// Issue 14, item 8: after one visit the atlas opens without a connection (home and the resource
// page last opened, from the service worker's copy) and says it is offline; a private page is
// never kept, so offline it does not open at all.
const base = inject('baseUrl');

describe.skipIf(!chromiumAvailable())('offline atlas', () => {
	const session = browserSession(base);

	it('serves the last public pages offline with a notice, never a private one', async () => {
		const resource = ((await (await fetch(`${base}/api/resources?limit=1`)).json()) as { features: { id: string; properties: { name: string } }[] }).features[0]!;
		const { page, context, errors, foreignRequests } = await session.open({ ...phone, serviceWorkers: 'allow' }, '/');
		await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
		// Now through the worker: the home page, a private page, the resource page.
		await page.goto(base + '/');
		await page.waitForLoadState('networkidle');
		await page.goto(base + '/login');
		await page.goto(`${base}/risorse/${resource.id}`);
		await expect.poll(() => page.locator('h1').textContent()).toContain(resource.properties.name);
		await expect(page.locator('[data-offline-notice]').count()).resolves.toBe(0);

		const kept = await page.evaluate(async () => {
			const urls: string[] = [];
			for (const name of await caches.keys()) if (name.startsWith('pages-')) for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
			return urls;
		});
		expect(kept).toContain('/');
		expect(kept).toContain(`/risorse/${resource.id}`);
		expect(kept.filter((path) => !isOfflineCacheable(path))).toEqual([]);

		await context.setOffline(true);
		await page.goto(base + '/');
		await expect(page.locator('[data-offline-notice]').textContent()).resolves.toMatch(/offline/i);
		await expect(page.locator('li[id^="resource-"]').count()).resolves.toBeGreaterThan(0);
		await page.goto(`${base}/risorse/${resource.id}`);
		await expect(page.locator('h1').textContent()).resolves.toContain(resource.properties.name);
		await expect(page.locator('[data-offline-notice]').isVisible()).resolves.toBe(true);
		await expect(page.goto(base + '/login')).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
		await context.setOffline(false);

		expect(foreignRequests).toEqual([]);
		// Offline, the browser reports the loads it could not make (the private page) as console errors.
		expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
	}, 120_000);
});
