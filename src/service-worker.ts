/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';
import { isOfflineCacheable, isOfflinePage, isStorableAnswer, OFFLINE_COPY_ATTRIBUTE, OFFLINE_ENTRIES } from '$lib/domain/offline';

/**
 * Offline atlas (issue 14, item 8). The app shell (the build's scripts and styles, `static/`) is
 * kept per version and served cache-first. Public pages, the public read API and the basemap
 * (allowlist in $lib/domain/offline.ts) go to the network first and are kept when the server
 * allows (no `no-store`/`private`: a signed-in person's pages are `no-store`), so the last lists
 * and resource pages a person opened show without a connection. Nothing else is touched.
 */
const sw = self as unknown as ServiceWorkerGlobalScope;

const SHELL = `shell-${version}`;
// Per version too: a kept page names the scripts of the build that rendered it.
const PAGES = `pages-${version}`;
const ASSETS = new Set([...build, ...files]);

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(SHELL)
			.then((cache) => cache.addAll([...ASSETS]))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((key) => key !== SHELL && key !== PAGES).map((key) => caches.delete(key))))
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
	} else if (isOfflineCacheable(url.pathname)) {
		event.respondWith(networkFirst(request, url));
	}
});

async function networkFirst(request: Request, url: URL): Promise<Response> {
	const cache = await caches.open(PAGES);
	try {
		const response = await fetch(request);
		if (isStorableAnswer(response.status, response.headers.get('cache-control')) && response.type === 'basic') {
			await cache.delete(request, { ignoreVary: true });
			await cache.put(request, response.clone());
			await trim(cache);
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

/** Keeps the most recently opened entries only (keys come back oldest first). */
async function trim(cache: Cache) {
	const keys = await cache.keys();
	await Promise.all(keys.slice(0, Math.max(0, keys.length - OFFLINE_ENTRIES)).map((key) => cache.delete(key)));
}
