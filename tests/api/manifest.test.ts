import { describe, expect, inject, it } from 'vitest';

// Issue 14, item 8: the atlas is installable: a web app manifest, linked from every page, with
// its icons, and SvelteKit's service worker served as a script of this origin (CSP 'self').
const base = inject('baseUrl');

interface Manifest {
	name: string;
	short_name: string;
	lang: string;
	start_url: string;
	display: string;
	icons: { src: string; sizes: string; type: string }[];
}

describe('installable atlas', () => {
	it('serves the manifest with its content type, fields and icons', async () => {
		const response = await fetch(base + '/manifest.webmanifest');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
		const manifest = (await response.json()) as Manifest;
		expect(manifest).toMatchObject({ name: 'Atlante di comunità', lang: 'it', start_url: '/', display: 'standalone' });
		expect(manifest.short_name.length).toBeLessThanOrEqual(12);
		expect(manifest.icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
		for (const icon of manifest.icons) {
			const file = await fetch(base + icon.src);
			expect(file.status, icon.src).toBe(200);
			expect(file.headers.get('content-type'), icon.src).toContain(icon.type);
		}
	});

	it('links it from the pages and serves the service worker from this origin', async () => {
		const page = await (await fetch(base + '/', { headers: { accept: 'text/html' } })).text();
		expect(page).toContain('<link rel="manifest" href="./manifest.webmanifest"');
		const worker = await fetch(base + '/service-worker.js');
		expect(worker.status).toBe(200);
		expect(worker.headers.get('content-type')).toMatch(/javascript/);
	});
});
