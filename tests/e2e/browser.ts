import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core (no browser download). Every page opened through
 * `openPage` records its errors and any request that leaves the app's origin, so a test can
 * assert there were none.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
	return fs.existsSync(CHROMIUM);
}

export async function launch(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM,
		// WebGL for MapLibre through SwiftShader; no background traffic to Google's services.
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--use-angle=swiftshader',
			'--enable-unsafe-swiftshader',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run'
		]
	});
}

export interface Watched {
	page: Page;
	context: BrowserContext;
	errors: string[];
	foreignRequests: string[];
}

export async function openPage(browser: Browser, baseUrl: string, options: BrowserContextOptions = {}): Promise<Watched> {
	// The offline service worker (src/service-worker.ts) only where a test asks for it
	// (`serviceWorkers: 'allow'`), so it never stands between the other tests and the server.
	const context = await browser.newContext({ locale: 'it-IT', serviceWorkers: 'block', ...options });
	const page = await context.newPage();
	const origin = new URL(baseUrl).origin;
	const errors: string[] = [];
	const foreignRequests: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(message.text());
	});
	page.on('request', (request) => {
		const url = request.url();
		if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
	});
	return { page, context, errors, foreignRequests };
}

export const phone: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const desktop: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

/** Serious or critical axe-core violations (WCAG 2.x A/AA rules), summarised for a readable failure. */
export async function axeViolations(page: Page): Promise<string[]> {
	const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	return result.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

/**
 * One browser for a describe block: launched before its tests, closed after them with every page
 * it opened. `open(options, path)` opens a watched page on `path` (null: no navigation yet).
 */
export function browserSession(baseUrl: string, defaultPath = '/') {
	let browser: Browser;
	const opened: Watched[] = [];
	beforeAll(async () => {
		browser = await launch();
	});
	afterAll(async () => {
		for (const w of opened) await w.context.close();
		await browser?.close();
	});
	return {
		browser: () => browser,
		async open(options: BrowserContextOptions = desktop, path: string | null = defaultPath): Promise<Watched> {
			const watched = await openPage(browser, baseUrl, options);
			opened.push(watched);
			if (path !== null) await watched.page.goto(baseUrl + path);
			return watched;
		}
	};
}
