import { describe, expect, inject, it } from 'vitest';

// Issue 14, item 9: the sources' credit lines and licences moved from the footer to a public page,
// "Fonti dei dati", which the footer of every page and the map's short credit link to.
const base = inject('baseUrl');

async function html(path: string, lang = 'it'): Promise<string> {
	const response = await fetch(base + path, { headers: { accept: 'text/html', 'accept-language': lang } });
	expect(response.status).toBe(200);
	return response.text();
}

const decode = (text: string) => text.replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&quot;', '"');

describe('the "Fonti dei dati" page', () => {
	it('lists each source with its licence and credit line, to anyone', async () => {
		const page = decode(await html('/fonti'));
		expect(page).toMatch(/<h1[^>]*>Fonti dei dati<\/h1>/);
		const entries = [...page.matchAll(/<li id="source-([^"]+)"[^>]*>([\s\S]*?)<\/li>/g)];
		const ids = entries.map((m) => m[1]);
		// The seed's sources behind the public map and records, the bus stops and the residents' figures.
		for (const id of ['istat-confini-2026', 'geonames', 'regione-lombardia-scuole', 'lineelecco-gtfs-2025-26']) expect(ids).toContain(id);
		for (const [, , body] of entries) {
			expect(body).toMatch(/<dd class="licence[^"]*"[^>]*>[^<]+<\/dd>/);
			expect(body).toMatch(/<dd class="attribution[^"]*"[^>]*>[^<]+<\/dd>/);
		}
		const istat = entries.find((m) => m[1] === 'istat-confini-2026')![2]!;
		expect(istat).toContain('CC BY 4.0');
		expect(istat).toContain('Confini © ISTAT');
	});

	it('speaks English, marking the sources\' own Italian texts', async () => {
		const page = await html('/fonti?lang=en', 'en');
		expect(page).toMatch(/<h1[^>]*>Data sources<\/h1>/);
		expect(page).toMatch(/<dd class="licence[^"]*" lang="it">/);
	});

	it('is linked from the footer of the home page, which no longer lists the sources itself', async () => {
		const page = await html('/');
		const footer = page.slice(page.indexOf('<footer'));
		expect(footer).toContain('<a href="/fonti">Fonti dei dati e licenze</a>');
		expect(footer).not.toContain('CC BY 4.0');
	});
});
