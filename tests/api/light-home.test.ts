import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Manifest } from 'vite';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LIST_PAGE } from '../../src/lib/domain/resource';

// Issue 14, item 7: the home page renders the first page of its list, a "more results" link adds
// the next without JavaScript (`shown`), keeping the filters, while the map still gets every pin;
// the page stays under 60 KB gzip (it was ~66 KB with every entry rendered and every message of the
// app embedded). Public pages carry only the public messages (src/lib/i18n PUBLIC_PARTS).
const base = inject('baseUrl');
const TARGET_GZIP_BYTES = 60_000;

async function html(path: string): Promise<string> {
	const response = await fetch(base + path, { headers: { accept: 'text/html', 'accept-language': 'it' } });
	expect(response.status).toBe(200);
	return response.text();
}

/** The list entries' ids, in page order. */
const entryIds = (page: string) => [...page.matchAll(/<li id="resource-([0-9a-f-]{36})"/g)].map((m) => m[1]!);

/** The "more results" link's address, entities decoded (null when there is none). */
function moreHref(page: string): string | null {
	const match = page.match(/<p class="more[^"]*"[^>]*><a href="([^"]+)"/);
	return match ? match[1]!.replaceAll('&amp;', '&') : null;
}

let allIds: string[];
beforeAll(async () => {
	const response = await fetch(base + '/api/resources?limit=5000');
	allIds = ((await response.json()) as { features: { id: string }[] }).features.map((f) => f.id);
});

describe('the home page is light', () => {
	it('renders the first page of the list only, yet gives the map every resource', async () => {
		expect(allIds.length).toBeGreaterThan(LIST_PAGE);
		const page = await html('/');
		const ids = entryIds(page);
		expect(ids).toHaveLength(LIST_PAGE);
		// The map's data (the page's embedded data) still holds every resource, listed or not.
		for (const id of allIds) expect(page).toContain(id);
		expect(page).toContain(`${LIST_PAGE} di ${allIds.length} mostrate`);
	});

	it('weighs at most 60 KB gzip', async () => {
		const page = await html('/');
		const gzipped = gzipSync(Buffer.from(page), { level: 9 }).length;
		expect(gzipped).toBeLessThanOrEqual(TARGET_GZIP_BYTES);
	});

	it('"Altri risultati" works without JavaScript: the next page after the ones shown, up to the last', async () => {
		const first = await html('/');
		const firstIds = entryIds(first);
		const href = moreHref(first)!;
		expect(href).toMatch(new RegExp(`^/\\?shown=${Math.min(allIds.length, 2 * LIST_PAGE)}#resource-`));
		const second = await html(href.split('#')[0]!);
		const secondIds = entryIds(second);
		expect(secondIds).toHaveLength(2 * LIST_PAGE);
		expect(secondIds.slice(0, LIST_PAGE)).toEqual(firstIds);
		// The link lands on the first entry that was not shown before.
		expect(href.split('#')[1]).toBe(`resource-${secondIds[LIST_PAGE]}`);
		// Following it to the end shows everything, and then there is no more link.
		const last = await html(`/?shown=${allIds.length}`);
		expect(new Set(entryIds(last))).toEqual(new Set(allIds));
		expect(moreHref(last)).toBeNull();
	});

	it('keeps the filters and the language in the "more" link', async () => {
		const response = await fetch(base + '/api/resources?need=community&limit=5000');
		const matching = ((await response.json()) as { features: unknown[] }).features.length;
		expect(matching).toBeGreaterThan(LIST_PAGE);
		const page = await html('/?need=community&lang=en');
		expect(entryIds(page)).toHaveLength(LIST_PAGE);
		expect(page).toContain(`${LIST_PAGE} of ${matching} shown`);
		const href = new URL(moreHref(page)!, base);
		expect(href.searchParams.get('need')).toBe('community');
		expect(href.searchParams.get('lang')).toBe('en');
		expect(href.searchParams.get('shown')).toBe(String(Math.min(matching, 2 * LIST_PAGE)));
		const more = await html(href.pathname + href.search);
		expect(entryIds(more)).toHaveLength(Math.min(matching, 2 * LIST_PAGE));
	});

	it('each entry says its source and date in the resource page\'s words (issue 14, item 4)', async () => {
		const page = await html('/');
		const entries = [...page.matchAll(/<li id="resource-([0-9a-f-]{36})"[\s\S]*?<\/li>/g)];
		expect(entries).toHaveLength(LIST_PAGE);
		const lineOf = (text: string) => text.match(/<p class="provenance[^"]*"[^>]*>([\s\S]*?)<\/p>/)?.[1]?.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
		for (const [entry] of entries) expect(lineOf(entry)).toMatch(/^(Fonte: .+, dati del .+|Confermato dal partner il .+|Da verificare)$/);
		// The same words as on the resource page, for a record that is not stale (a stale one's page says why).
		const [, id] = entries.find(([entry]) => !lineOf(entry)!.startsWith('Da verificare'))!;
		expect(lineOf(await html(`/risorse/${id}`))).toBe(lineOf(entries.find(([, other]) => other === id)![0]));
	});

	it('a malformed count is reported and the first page shown', async () => {
		const page = await html('/?shown=lots');
		expect(entryIds(page)).toHaveLength(LIST_PAGE);
		expect(page).toContain('shown must be a whole number');
	});
});

/** Every message key of one part of the interface (a file in src/lib/i18n/messages/it). */
const keysOf = (part: string) => Object.keys(JSON.parse(readFileSync(`src/lib/i18n/messages/it/${part}.json`, 'utf8')) as object);
const STAFF_PARTS = ['auth', 'mail', 'pact', 'partner', 'planning', 'plans', 'territory'];

describe('public pages carry the public texts only', () => {
	it('the home, "Trova aiuto" and a resource page embed no staff texts, and show no untranslated key, in either language', async () => {
		const allKeys = readdirSync('src/lib/i18n/messages/it').flatMap((file) => keysOf(file.replace(/\.json$/, '')));
		const staffKeys = STAFF_PARTS.flatMap(keysOf);
		expect(staffKeys.length).toBeGreaterThan(500);
		for (const path of ['/', '/?lang=en', '/trova-aiuto?needs=food', `/risorse/${allIds[0]}`, `/risorse/${allIds[1]}?lang=en`, `/risorse/${allIds[2]}?segnalato`, '/fonti', '/fonti?lang=en']) {
			const page = await html(path);
			for (const key of staffKeys) expect(page, `${path} embeds ${key}`).not.toContain(`"${key}"`);
			// A key with no text in the messages sent would show as the key itself.
			const visible = page.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, '');
			for (const key of allKeys) expect(visible, `${path} shows ${key}`).not.toMatch(new RegExp(`(?<![\\w.])${key.replaceAll('.', '\\.')}(?![\\w.])`));
		}
	});

	it('other pages still get every text (the pact page its own)', async () => {
		const page = await html('/patto');
		for (const key of keysOf('pact').slice(0, 20)) expect(page).toContain(`"${key}"`);
	});
});

// Issue 14: the home page's JavaScript ≤ 500 KB gzip, MapLibre included (`npm run bench:web`
// measures it in Chromium: 499.9 KB on 29 Nov 2026). MapLibre's two files (its main chunk and its
// worker, ~435.5 KB as served) are the library's; the rest — Svelte, SvelteKit, the page, its
// components, intl-messageformat — is held here, from the build, without a browser: the scripts
// SvelteKit names for preloading, and what the page's own code imports as soon as it runs (the
// map), each gzip -9 as the bench counts them. 65,389 bytes measured; 65,450 is the 500 KB line
// less MapLibre's files and the error page SvelteKit fetches after start (~0.5 KB, not named
// here): a change that adds script to this page must take as much out.
const HOME_JS_BUDGET_BYTES = 65_450;
const CLIENT = '.svelte-kit/output/client';

describe('the home page\'s JavaScript', () => {
	it(`besides MapLibre weighs at most ${(HOME_JS_BUDGET_BYTES / 1024).toFixed(1)} KB gzip, with no ICU parser`, async () => {
		const response = await fetch(base + '/', { headers: { accept: 'text/html' } });
		expect(response.status).toBe(200);
		// SvelteKit names every script of the page (entry, app, layout, page and their imports) for
		// preloading, in the Link header (and in <link rel="modulepreload"> tags, when it writes them).
		const links = [...(response.headers.get('link') ?? '').matchAll(/<([^>]+)>;\s*rel="modulepreload"/g)].map((m) => m[1]!);
		const tags = [...(await response.text()).matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*>/g)].map((m) => m[0].match(/href="([^"]+)"/)![1]!);
		const named = [...new Set([...links, ...tags].map((href) => href.replace(/^\.?\//, '')))];
		expect(named.some((file) => /\/nodes\/\d+\./.test(file))).toBe(true);
		const manifest = JSON.parse(readFileSync(`${CLIENT}/.vite/manifest.json`, 'utf8')) as Manifest;
		const byFile = new Map(Object.values(manifest).map((chunk) => [chunk.file, chunk]));
		const files = new Set(named);
		const add = (key: string) => {
			const chunk = manifest[key]!;
			if (files.has(chunk.file)) return;
			files.add(chunk.file);
			for (const next of chunk.imports ?? []) add(next);
		};
		// The page's own code imports the map at once (src/routes/+page.svelte). The app's entry
		// imports the other pages dynamically, on navigation: those are not followed.
		for (const file of named) {
			expect(byFile.has(file), file).toBe(true);
			if (!file.includes('/entry/')) for (const key of byFile.get(file)!.dynamicImports ?? []) add(key);
		}
		expect([...files].some((file) => byFile.get(file)?.src === 'src/lib/components/map/AtlasMap.svelte')).toBe(true);
		let ours = 0;
		let maplibre = 0;
		for (const file of files) {
			const code = readFileSync(`${CLIENT}/${file}`);
			const text = code.toString('utf8');
			// The parser ships with its error kinds' names: formatting parsed messages needs none (compile.ts).
			expect(text, file).not.toContain('EXPECT_ARGUMENT_CLOSING_BRACE');
			const gzipped = gzipSync(code, { level: 9 }).length;
			if (text.includes('MapLibre GL JS') || text.includes('maplibre-gl-worker')) {
				maplibre += gzipped;
				// MapLibre comes after the list, never among the scripts the page needs to start.
				expect(named, file).not.toContain(file);
			} else ours += gzipped;
		}
		expect(maplibre).toBeGreaterThan(200_000);
		expect(ours, `${(ours / 1024).toFixed(1)} KB gzip in ${files.size} files`).toBeLessThanOrEqual(HOME_JS_BUDGET_BYTES);
	});
});
