import fs from 'node:fs';
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
	const context = await browser.newContext({ locale: 'it-IT', ...options });
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
