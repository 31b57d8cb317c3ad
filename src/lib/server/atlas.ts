import * as publicApi from './api/public';
import { ApiError } from './api/http';
import * as gazetteer from './db/gazetteer';
import * as params from './api/params';

/**
 * The home page's state, read from its URL: the same parameter names as the public API
 * (`category`, `need`, `audience`, `open_now`, `q`, `near`, `bbox`) plus `place` (the chosen place's
 * label) and `where` (a place typed without JavaScript, resolved here to `near`).
 * `resources` holds every category; the page shows those in `filters.category` (all when empty).
 */
export interface AtlasView {
	resources: Awaited<ReturnType<typeof publicApi.resourceCollection>>;
	near: { lon: number; lat: number; label: string } | null;
	bbox: [number, number, number, number] | null;
	filters: { category: string[]; need: string[]; audience: string[]; open_now: boolean; q: string };
	/** A malformed parameter (ignored) or a place not found; the page still renders. */
	problem: { kind: 'invalid'; detail: string } | { kind: 'place-not-found'; text: string } | null;
}

export async function load(url: URL): Promise<AtlasView> {
	const query = new URLSearchParams(url.searchParams);
	let problem: AtlasView['problem'] = null;
	let label = query.get('place')?.slice(0, 100) ?? '';
	const where = query.get('where')?.trim();
	if (where && !query.get('near')) {
		const [best] = await gazetteer.search(where, 1);
		if (best) {
			query.set('near', `${best.lon},${best.lat}`);
			label = best.name;
		} else {
			problem = { kind: 'place-not-found', text: where.slice(0, 100) };
		}
	}
	// The chosen place orders the list by distance; it does not cut it to a small radius (so a
	// radius in the address is not the page's: ignored, whatever it holds).
	query.delete('radius');
	if (query.get('near')) query.set('radius', '50000');
	query.set('limit', '5000');
	query.delete('bbox');
	let filter;
	try {
		filter = publicApi.resourceFilter(query);
	} catch (error) {
		if (!(error instanceof ApiError)) throw error;
		problem = { kind: 'invalid', detail: error.message };
		for (const name of ['near', 'category', 'need', 'audience', 'open_now', 'q']) query.delete(name);
		filter = publicApi.resourceFilter(query);
	}
	let bbox: AtlasView['bbox'] = null;
	try {
		const box = params.bbox(url.searchParams, 'bbox');
		if (box) bbox = [box.west, box.south, box.east, box.north];
	} catch (error) {
		if (!(error instanceof ApiError)) throw error;
		problem ??= { kind: 'invalid', detail: error.message };
	}
	// Categories are filtered on the page, not here: the map legend toggles them without a reload
	// and still shows every category's count.
	const resources = await publicApi.collectionFor({ ...filter, categories: undefined });
	return {
		resources,
		near: filter.near ? { lon: filter.near.lon, lat: filter.near.lat, label } : null,
		bbox,
		filters: {
			category: filter.categories ?? [],
			need: filter.needs ?? [],
			audience: filter.audiences ?? [],
			open_now: filter.openNow ?? false,
			q: filter.q ?? ''
		},
		problem
	};
}
