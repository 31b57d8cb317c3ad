import * as db from '../db/hsds';

/**
 * What the HSDS API and the exports compute from the whole directory, kept in this process's
 * memory while the directory stands: the `total_items` of pages (counting what matches a filter
 * joins the whole directory, at region scale far longer than the page itself) and the export
 * files. Each value is kept with the directory's change number it was computed at (db/hsds.ts
 * `directoryVersion`, a sequence every directory write advances) and computed again once that
 * number has moved — so an answer never reflects a state older than the last committed change, on
 * any number of app instances. One exception, bounded: a value computed while a change was being
 * committed may miss it under the new number; values therefore also expire after `maxAgeMs` (the
 * answers' own Cache-Control max-age).
 */
const MAX_ENTRIES = 500;
const cache = new Map<string, { version: string; value: unknown; at: number }>();

export async function keptWhileUnchanged<T>(key: string, maxAgeMs: number, compute: () => Promise<T>): Promise<T> {
	const version = await db.directoryVersion();
	const hit = cache.get(key);
	cache.delete(key);
	if (hit && hit.version === version && Date.now() - hit.at < maxAgeMs) {
		cache.set(key, hit); // most recently used last
		return hit.value as T;
	}
	const value = await compute();
	cache.set(key, { version, value, at: Date.now() });
	if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
	return value;
}

/** How many public services, organisations or pins match `filter` (an HSDS page's `total_items`). */
export function countOf(kind: 'service' | 'organization' | 'pin', filter: db.HsdsFilter): Promise<number> {
	return keptWhileUnchanged(`count ${kind} ${JSON.stringify(filter)}`, 60_000, () => db.countOf(kind, filter));
}
