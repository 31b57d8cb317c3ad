import * as db from '../db/hsds';

/**
 * The `total_items` of HSDS pages, kept in this process's memory. Counting what matches a filter
 * joins the whole directory (at region scale far longer than the page itself), while the
 * directory changes rarely: each count is kept with the directory's change number it was computed
 * at (db/hsds.ts `directoryVersion`, a sequence every directory write advances) and computed again
 * once that number has moved — so a page never shows a count older than the last committed change,
 * on any number of app instances. One exception, bounded: a count taken while a change was being
 * committed may miss it under the new number; entries therefore also expire after {@link MAX_AGE_MS}
 * (the HSDS answers' own Cache-Control max-age).
 */
const MAX_ENTRIES = 500;
const MAX_AGE_MS = 60_000;
const cache = new Map<string, { version: string; total: number; at: number }>();

export async function countOf(kind: 'service' | 'organization' | 'pin', filter: db.HsdsFilter): Promise<number> {
	const key = `${kind} ${JSON.stringify(filter)}`;
	const version = await db.directoryVersion();
	const hit = cache.get(key);
	cache.delete(key);
	if (hit && hit.version === version && Date.now() - hit.at < MAX_AGE_MS) {
		cache.set(key, hit); // most recently used last
		return hit.total;
	}
	const total = await db.countOf(kind, filter);
	cache.set(key, { version, total, at: Date.now() });
	if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
	return total;
}
