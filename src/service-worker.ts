/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';
import {
	GAZETTEER_PATH,
	isOfflineCacheable,
	isOfflinePage,
	isOfflineTile,
	isStorableAnswer,
	OFFLINE_ANSWER_HEADER,
	OFFLINE_COPY_ATTRIBUTE,
	OFFLINE_ENTRIES,
	OFFLINE_TILES,
	PLACES_PATH
} from '$lib/domain/offline';
import { GAZETTEER_FORMAT, placeQueryOf, rankPlaces, type GazetteerDocument, type GazetteerEntry } from '$lib/domain/place-search';

/**
 * Offline atlas (issue 14, item 8). The app shell (the build's scripts and styles, `static/`) is
 * kept per version and served cache-first. Public pages, the public read API and the basemap
 * (allowlist in $lib/domain/offline.ts) go to the network first and are kept when the server
 * allows (no `no-store`/`private`: a signed-in person's pages are `no-store`), so the last lists
 * and resource pages a person opened show without a connection. The place search (/api/places)
 * goes to the network; without one, the worker answers it from the public gazetteer it keeps
 * (fetched at install with the app shell, and again a while after the first public page a worker
 * serves), ranked as the server ranks ($lib/domain/place-search.ts). The public vector tiles a
 * region-scale map draws go to the network first too and are kept in a cache of their own
 * (OFFLINE_TILES), so the map shows what it showed. Nothing else is touched.
 */
const sw = self as unknown as ServiceWorkerGlobalScope;

const SHELL = `shell-${version}`;
// Per version too: a kept page names the scripts of the build that rendered it.
const PAGES = `pages-${version}`;
// Per version: the document's format is the one this worker's ranking reads.
const GAZETTEER = `gazetteer-${version}`;
// Per version: a release may change what the tiles hold (their layers and properties).
const TILES = `tiles-${version}`;
const ASSETS = new Set([...build, ...files]);
// The gazetteer is fetched again once per run of the worker, this long after a public page it served.
let gazetteerRefreshed = false;
const GAZETTEER_REFRESH_DELAY_MS = 10_000;

sw.addEventListener('install', (event) => {
	event.waitUntil(
		Promise.all([
			caches.open(SHELL).then((cache) => cache.addAll([...ASSETS])),
			// With the shell, which is already downloading every script: so the first visit keeps it. Not
			// fatal: a worker without a gazetteer still keeps pages, and fetches it again later.
			keepGazetteer(new Request(GAZETTEER_PATH)).catch(() => {})
		]).then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((key) => ![SHELL, PAGES, GAZETTEER, TILES].includes(key)).map((key) => caches.delete(key))))
			.then(() => sw.clients.claim())
	);
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (ASSETS.has(url.pathname)) {
		event.respondWith(caches.match(request, { cacheName: SHELL }).then((kept) => kept ?? fetch(request)));
	} else if (url.pathname === PLACES_PATH) {
		event.respondWith(placeSearch(request, url));
	} else if (url.pathname === GAZETTEER_PATH) {
		event.respondWith(keepGazetteer(request).catch(() => keptGazetteer().then((kept) => kept ?? Response.error())));
	} else if (isOfflineTile(url.pathname)) {
		event.respondWith(networkFirst(request, url, TILES, OFFLINE_TILES));
	} else if (isOfflineCacheable(url.pathname)) {
		event.respondWith(networkFirst(request, url, PAGES, OFFLINE_ENTRIES));
		if (request.mode === 'navigate' && !gazetteerRefreshed) {
			// Once per worker's life, well after the page has loaded (off its critical path): a fresh copy,
			// revalidated with its ETag. This costs the page no script, as a page asking for it would.
			gazetteerRefreshed = true;
			event.waitUntil(
				new Promise((resolve) => setTimeout(resolve, GAZETTEER_REFRESH_DELAY_MS)).then(() => keepGazetteer(new Request(GAZETTEER_PATH))).catch(() => {})
			);
		}
	}
});

/** The kept gazetteer's names once read; emptied when a new copy is kept. */
let places: GazetteerEntry[] | null = null;

/**
 * Fetches the gazetteer (the browser's HTTP cache revalidates it with its ETag) and keeps it in a
 * cache of its own, so the pages and answers kept for offline use never push it out.
 */
async function keepGazetteer(request: Request): Promise<Response> {
	const response = await fetch(request);
	if (isStorableAnswer(response.status, response.headers.get('cache-control')) && response.type === 'basic') {
		await (await caches.open(GAZETTEER)).put(GAZETTEER_PATH, response.clone());
		places = null;
	}
	return response;
}

const keptGazetteer = () => caches.open(GAZETTEER).then((cache) => cache.match(GAZETTEER_PATH));

/** The kept gazetteer's names (parsed once, then from memory), null until one is kept. */
async function keptPlaces(): Promise<GazetteerEntry[] | null> {
	if (places) return places;
	const kept = await keptGazetteer();
	const document = kept ? ((await kept.json()) as GazetteerDocument) : null;
	// A document of another format (from a newer server than this worker) is not read.
	places = document?.format === GAZETTEER_FORMAT ? document.places : null;
	return places;
}

/** The place search: the server's answer, or without a network the same ranking over the kept gazetteer. */
async function placeSearch(request: Request, url: URL): Promise<Response> {
	try {
		return await fetch(request);
	} catch (error) {
		// A search the page gave up on (a newer keystroke) needs no answer.
		if (request.signal.aborted) throw error;
		const names = await keptPlaces();
		if (!names) throw error;
		const query = placeQueryOf(url.searchParams);
		const headers = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', [OFFLINE_ANSWER_HEADER]: 'gazetteer' };
		if ('error' in query) return new Response(JSON.stringify({ error: query.error }), { status: 400, headers });
		return new Response(JSON.stringify(rankPlaces(names, query.q, query.limit, query.includeUnplaced)), { headers });
	}
}

/** The network's answer, kept in `cacheName` (its most recent `entries` only); without a network, the kept one. */
async function networkFirst(request: Request, url: URL, cacheName: string, entries: number): Promise<Response> {
	const cache = await caches.open(cacheName);
	try {
		const response = await fetch(request);
		if (isStorableAnswer(response.status, response.headers.get('cache-control')) && response.type === 'basic') {
			await cache.delete(request, { ignoreVary: true });
			await cache.put(request, response.clone());
			await trim(cache, entries);
		}
		return response;
	} catch (error) {
		// Pages vary on the Cookie header, which a worker never sees: match regardless.
		const kept = await cache.match(request, { ignoreVary: true });
		if (!kept) throw error;
		return request.mode === 'navigate' && isOfflinePage(url.pathname) ? markedCopy(kept) : kept;
	}
}

/** A kept page, marked on `<html>` so the layout says it is a saved copy. */
async function markedCopy(kept: Response): Promise<Response> {
	const html = (await kept.text()).replace('<html', `<html ${OFFLINE_COPY_ATTRIBUTE}`);
	return new Response(html, { status: kept.status, statusText: kept.statusText, headers: kept.headers });
}

/** Keeps the most recently opened `entries` only (keys come back oldest first). */
async function trim(cache: Cache, entries: number) {
	const keys = await cache.keys();
	await Promise.all(keys.slice(0, Math.max(0, keys.length - entries)).map((key) => cache.delete(key)));
}
