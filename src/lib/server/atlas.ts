import { todayInRome } from '../domain/dates';
import { provenanceOf } from '../domain/provenance';
import { LIST_PAGE, type Bbox } from '../domain/resource';
import { isAfterHours, openNowFirst } from '../domain/week-table';
import * as publicApi from './api/public';
import * as gazetteer from './db/gazetteer';
import * as resourcesDb from './db/resources';
import * as tilesDb from './db/tiles';
import { useTiles } from '../domain/tiles';
import * as params from './api/params';

/**
 * The home page: its state read once from the URL into typed choices ({@link readAtlasQuery}), then
 * its data for those choices ({@link load}). The same parameter names as the public API
 * (`category`, `need`, `audience`, `open_now`, `q`, `near`, `bbox`) plus `place` (the chosen place's
 * label), `where` (a place typed without JavaScript, resolved to `near`) and `shown` (how many list
 * entries to show: the "more results" link adds a page; the map always gets every resource). A malformed parameter
 * is dropped and reported; the others still apply, and the page still renders.
 */
/** The most resources the page's data holds (the map's GeoJSON; the list pages through them). */
const LIST_LIMIT = 5000;

export interface AtlasQuery {
	categories: string[];
	needs: string[];
	audiences: string[];
	openNow: boolean;
	q: string;
	near: { lon: number; lat: number } | null;
	/** The label of the chosen place (`place`), at most 100 characters. */
	placeLabel: string;
	/** A place typed without JavaScript, to look up (ignored when `near` is given). */
	where: string;
	bbox: Bbox | null;
	/** How many list entries to show ({@link LIST_PAGE} unless the "more results" link asked for more). */
	shown: number;
	/** What was malformed, in words, for the page to say. */
	problems: string[];
}

export function readAtlasQuery(url: URL): AtlasQuery {
	const query = url.searchParams;
	const problems: string[] = [];
	const box = params.tolerant(problems, () => params.bbox(query, 'bbox'), undefined);
	return {
		categories: params.tolerant(problems, () => params.categories(query) ?? [], []),
		needs: params.tolerant(problems, () => params.needs(query) ?? [], []),
		audiences: params.tolerant(problems, () => params.audiences(query) ?? [], []),
		openNow: params.tolerant(problems, () => params.boolean(query, 'open_now') ?? false, false),
		q: params.tolerant(problems, () => params.text(query, 'q', 200) ?? '', ''),
		near: params.tolerant(problems, () => params.lonLat(query, 'near') ?? null, null),
		placeLabel: query.get('place')?.slice(0, 100) ?? '',
		where: query.get('where')?.trim().slice(0, 100) ?? '',
		bbox: box ? [box.west, box.south, box.east, box.north] : null,
		shown: params.tolerant(problems, () => params.integer(query, 'shown', { min: 1, max: 5000, fallback: LIST_PAGE }), LIST_PAGE),
		problems
	};
}

export interface AtlasView {
	resources: Awaited<ReturnType<typeof publicApi.collectionFor>>;
	near: { lon: number; lat: number; label: string } | null;
	bbox: Bbox | null;
	/** How many list entries the server renders (the rest come with "more results"). */
	shown: number;
	filters: { category: string[]; need: string[]; audience: string[]; open_now: boolean; q: string };
	/** After hours (evenings, weekends, holidays): the list puts those open now first. */
	openFirst: boolean;
	/** A malformed parameter (ignored) or a place not found; the page still renders. */
	/** `unplaced`: the typed text names a street whose position is not known (its name). */
	problem: { kind: 'invalid'; detail: string } | { kind: 'place-not-found'; text: string; unplaced?: string } | null;
	/** Set when the map draws the vector tiles instead of `resources` (domain/tiles.ts useTiles):
	 * every public resource's count per category, for the legend. */
	tiles: { counts: Record<string, number> } | null;
}

/**
 * Every resource matching the choices (all categories: the page filters those, see below), and
 * whether the map draws the vector tiles: above `tilesAbove` public resources (ATLANTE_MAP_TILES_ABOVE).
 */
export async function load(choices: AtlasQuery, now: Date = new Date(), tilesAbove = Infinity): Promise<AtlasView> {
	let problem: AtlasView['problem'] = choices.problems.length ? { kind: 'invalid', detail: choices.problems.join('; ') } : null;
	let near = choices.near ? { ...choices.near, label: choices.placeLabel } : null;
	if (choices.where && !near) {
		const [best] = await gazetteer.searchAll(choices.where, 1);
		if (best && gazetteer.isPlaced(best)) near = { lon: best.lon, lat: best.lat, label: best.name };
		else problem ??= { kind: 'place-not-found', text: choices.where, ...(best ? { unplaced: best.name } : {}) };
	}
	// The chosen place orders the list by distance; it does not cut it to a small radius.
	// Categories are filtered on the page, not here: the map legend toggles them without a reload
	// and still shows every category's count.
	const filter: resourcesDb.ResourceFilter = {
		near: near ? { lon: near.lon, lat: near.lat, radius: 50_000 } : undefined,
		needs: choices.needs.length ? choices.needs : undefined,
		audiences: choices.audiences.length ? choices.audiences : undefined,
		openNow: choices.openNow,
		q: choices.q || undefined,
		limit: LIST_LIMIT,
		at: now
	};
	const collection = await publicApi.collectionFor(filter);
	// Each entry's source and date, said as on the resource page (one short line in the list).
	const facts = await resourcesDb.provenanceFactsOf(collection.features.map((f) => f.id));
	const today = todayInRome(now);
	for (const f of collection.features) {
		const known = facts.get(f.id);
		if (known) f.properties.provenance = provenanceOf(known, today);
	}
	// After hours the help that can be reached tonight comes first, then the rest as ordered.
	const openFirst = isAfterHours(now);
	if (openFirst) collection.features = openNowFirst(collection.features, (f) => f.properties.open_now);
	return {
		resources: collection,
		tiles: await tilesFor(choices, collection.features.length, tilesAbove),
		openFirst,
		near,
		bbox: choices.bbox,
		shown: choices.shown,
		filters: { category: choices.categories, need: choices.needs, audience: choices.audiences, open_now: choices.openNow, q: choices.q },
		problem
	};
}

/** The map's tiles, or null for the GeoJSON: only counted when the list already reached the threshold. */
async function tilesFor(choices: AtlasQuery, listed: number, tilesAbove: number): Promise<AtlasView['tiles']> {
	const onlyCategories = !choices.needs.length && !choices.audiences.length && !choices.openNow && !choices.q;
	// Fewer matches than the threshold (or the list's limit): the GeoJSON holds them all, no count needed.
	if (!onlyCategories || listed < Math.min(tilesAbove, LIST_LIMIT)) return null;
	const counts = await tilesDb.publicCountsByCategory();
	const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
	return useTiles(total, tilesAbove, onlyCategories) ? { counts } : null;
}
