/**
 * What the service worker (src/service-worker.ts) may keep for offline use, beyond the app shell.
 * An allowlist, not a denylist: only the public atlas pages and their page data, the public read
 * API they call and the app's own basemap. Anything else (sign-in, account, plans, partner,
 * planning, admin pages and their API) is never stored, so a shared or lost phone holds no private
 * page; a new private route stays uncached without anyone having to remember this file.
 */

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * Public pages. Not their page data (`…/__data.json`): SvelteKit sends it `private, no-store`, and
 * when it cannot be fetched the app falls back to loading the page itself, which the worker has.
 */
const PAGES = [/^\/$/, /^\/trova-aiuto$/, /^\/fonti$/, new RegExp(`^/risorse/${UUID}$`)];

const OTHERS = [
	// The public read API the pages and the map call (GET only: the worker never stores other methods).
	/^\/api\/resources$/,
	new RegExp(`^/api/resources/${UUID}$`),
	// Not /api/places: an answer per typed text (one per keystroke) would push the kept pages out.
	// Offline, the worker answers it from the gazetteer instead, whatever the text.
	/^\/api\/places\/gazetteer\.json$/,
	/^\/api\/neighbourhoods$/,
	/^\/api\/categories$/,
	// The schematic basemap: the app draws its map from these alone, with no tile server.
	/^\/basemap\/((areas|lake|layers|transit|territory)\.geojson|frame\.svg)$/
];

/** Whether a same-origin path is a public page. */
export function isOfflinePage(pathname: string): boolean {
	return PAGES.some((re) => re.test(pathname));
}

/** Whether the worker may keep the answer to a GET of this same-origin path. */
export function isOfflineCacheable(pathname: string): boolean {
	return isOfflinePage(pathname) || OTHERS.some((re) => re.test(pathname));
}

/** Whether an answer may be stored: a full success the server did not mark as private. */
export function isStorableAnswer(status: number, cacheControl: string | null): boolean {
	return status === 200 && !/\b(no-store|private)\b/i.test(cacheControl ?? '');
}

/** How many pages and API answers the worker keeps at most; the oldest go first. */
export const OFFLINE_ENTRIES = 80;

/**
 * The public vector tiles (/api/tiles/{z}/{x}/{y}.mvt) the map drew, kept in a cache of their own
 * so a pan across the region never pushes the kept pages out: about 1–3 KB each, so the most
 * recent 600 hold a few MB at most, the places a person looked at and around them.
 */
const TILE = /^\/api\/tiles\/\d+\/\d+\/\d+\.mvt$/;
export const OFFLINE_TILES = 600;

/** Whether a same-origin path is a public vector tile, kept apart from the pages (OFFLINE_TILES). */
export function isOfflineTile(pathname: string): boolean {
	return TILE.test(pathname);
}

/** The attribute the worker sets on `<html>` of a page it served from its copy. */
export const OFFLINE_COPY_ATTRIBUTE = 'data-offline-copy';

/** The place search the page calls; offline, the worker answers it from the kept gazetteer. */
export const PLACES_PATH = '/api/places';

/** The public gazetteer the worker keeps for the offline place search (its own cache, not among the 80). */
export const GAZETTEER_PATH = '/api/places/gazetteer.json';


/** The header on a place search answered by the worker from the kept gazetteer, without the server. */
export const OFFLINE_ANSWER_HEADER = 'x-offline-answer';
