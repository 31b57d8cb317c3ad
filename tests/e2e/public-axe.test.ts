import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { ROUTE_ACCESS } from '../../src/lib/server/auth/guards';
import { axeViolations, browserSession, chromiumAvailable, desktop, phone } from './browser';

// Issue 14, targets: no serious or critical axe-core violation on every public page, on a phone and
// on a desktop. The pages come from the route access table, so a new public page without an address
// here fails this test instead of going unchecked.
const base = inject('baseUrl');

/** Public routes that are pages a person reads (a `+page.svelte`), not data (the API, HSDS, the map's files). */
const isPage = (route: string) => fs.existsSync(path.join('src/routes', route, '+page.svelte'));

async function addressOf(route: string): Promise<string> {
	switch (route) {
		case '/risorse/[id=uuid]': {
			const resources = (await (await fetch(`${base}/api/resources?limit=1`)).json()) as { features: { id: string }[] };
			return `/risorse/${resources.features[0]!.id}`;
		}
		// A link that is not (or no longer) valid: the page a person with an old email sees.
		case '/imposta-password/[token]':
			return '/imposta-password/not-a-valid-token-0000000000000000';
		default:
			if (route.includes('[')) throw new Error(`no address for the public page ${route}: add one to this test`);
			return route;
	}
}

describe.runIf(chromiumAvailable() || process.env.CI === 'true')('every public page is accessible', () => {
	const session = browserSession(base, '/');
	const pages = Object.entries(ROUTE_ACCESS)
		.filter(([route, access]) => access === 'public' && isPage(route))
		.map(([route]) => route);

	it('lists the public pages it checks', () => {
		expect(pages).toEqual(expect.arrayContaining(['/', '/trova-aiuto', '/risorse/[id=uuid]', '/fonti', '/patto', '/aderisci', '/login']));
	});

	it.each(pages)('%s has no serious or critical violation, on a phone and a desktop', async (route) => {
		const address = await addressOf(route);
		for (const options of [phone, desktop]) {
			const { page, errors } = await session.open(options, null);
			const response = await page.goto(base + address);
			expect(response?.status()).toBeLessThan(500);
			await page.waitForLoadState('networkidle');
			expect(await axeViolations(page)).toEqual([]);
			expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
		}
	}, 120_000);
});
