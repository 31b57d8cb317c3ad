import { houseNumberOf } from '../../domain/house-number';
import type { GazetteerEntry } from '../../domain/place-search';
import { sql } from './client';

/**
 * The place search of the atlas, offline, from seeded data only: rioni (their label point),
 * GeoNames places, the railway stations, streets and public resources by name.
 *
 * Forgiving: case, accents, word order, street abbreviations ("p.za") and words of the name left
 * out ("piazza garibaldi" finds "Piazza Giuseppe Garibaldi"); each typed word must resemble a word
 * of the name (pg_trgm word similarity, so a typo or a half-typed word still matches). The ranking
 * is one SQL query, the same on both backends (db/migrations/0020_place_search.sql).
 *
 * The official street list has no coordinates: a street is placed at the real public addresses known
 * on it in Lecco (not the demo set's), else at the bus stop named after it (`near_stop`), else it has
 * no known position.
 *
 * A text ending in a house number ("via dei tigli 12", "v. tigli 12/a") also looks for that number
 * among the ANNCSU civic numbers a deployment imported (`npm run import:anncsu`, table
 * civic_number): the house numbers found come first, as kind `address` at their own point.
 */
export interface PlaceMatch {
	name: string;
	kind: 'neighbourhood' | 'place' | 'street' | 'address' | 'resource';
	/** A resource's id, for a link to its page. */
	id: string | null;
	lon: number;
	lat: number;
	/** For a street placed through a bus stop named after it: that stop ("Lecco, Amendola/Ghislanzoni"). */
	near_stop: string | null;
	/** The rione the point lies in (a rione's own name), null outside every rione. */
	neighbourhood: string | null;
}

/** A street recognised by name whose position is not known (no public address or bus stop on it). */
export interface UnplacedStreet {
	name: string;
	kind: 'street';
	id: null;
	lon: null;
	lat: null;
	near_stop: null;
	neighbourhood: null;
}

export type SearchMatch = PlaceMatch | UnplacedStreet;

export const isPlaced = (match: SearchMatch): match is PlaceMatch => match.lon !== null;

/** Places with a known position, best first. */
export async function search(text: string, limit = 8): Promise<PlaceMatch[]> {
	return (await searchAll(text, limit, false)).filter(isPlaced);
}

/**
 * Like `search`, with `includeUnplaced` also the streets recognised by name whose position is not
 * known (in rank order), so the page can say so instead of "not found".
 */
export async function searchAll(text: string, limit = 8, includeUnplaced = true): Promise<SearchMatch[]> {
	if (text.trim().length < 2) return [];
	const house = houseNumberOf(text);
	const addresses = house ? await civicNumbers(house, limit) : [];
	if (addresses.length >= limit) return addresses;
	const named = await searchNames(text, limit - addresses.length, includeUnplaced);
	return [...addresses, ...named];
}

/**
 * The civic numbers `number` (with `exponent` when typed, else every exponent, the plain number
 * first) on the streets whose ANNCSU name the typed street resembles, as the name search scores
 * names: every typed word must resemble a word of the street's name.
 */
async function civicNumbers(house: { street: string; number: number; exponent: string }, limit: number): Promise<PlaceMatch[]> {
	return sql<PlaceMatch[]>`
		WITH needle AS (SELECT place_search_text(${house.street}) AS q),
		words AS (
			SELECT array_agg(DISTINCT w) AS list
			FROM needle, unnest(string_to_array(needle.q, ' ')) AS w WHERE length(w) >= 2
		),
		streets AS (SELECT DISTINCT street_key FROM civic_number WHERE number = ${house.number}),
		scored AS (
			SELECT s.street_key, round(m.closeness::numeric, 2) AS closeness,
				CASE WHEN s.street_key LIKE needle.q || '%' THEN 0 WHEN m.every_word_starts THEN 1 ELSE 2 END AS tier
			FROM streets s CROSS JOIN needle CROSS JOIN words
			CROSS JOIN LATERAL place_words_match(words.list, s.street_key) m
			WHERE m.matched
		),
		ranked AS (
			SELECT initcap(c.street) || ' ' || c.number || c.exponent AS name, c.geom, s.tier, s.closeness, c.exponent, c.street
			FROM scored s JOIN civic_number c ON c.street_key = s.street_key AND c.number = ${house.number}
			WHERE ${house.exponent} = '' OR c.exponent = ${house.exponent}
			ORDER BY s.tier, s.closeness DESC, c.exponent <> '', length(c.street), c.street, c.exponent, c.id
			LIMIT ${limit}
		)
		SELECT r.name, 'address' AS kind, NULL AS id,
			round(ST_X(r.geom)::numeric, 6)::float8 AS lon, round(ST_Y(r.geom)::numeric, 6)::float8 AS lat,
			NULL AS near_stop, n.name AS neighbourhood
		FROM ranked r
		LEFT JOIN LATERAL (SELECT name FROM neighbourhood WHERE ST_Intersects(neighbourhood.geom, r.geom) ORDER BY id LIMIT 1) n ON true
		ORDER BY r.tier, r.closeness DESC, r.exponent <> '', length(r.street), r.street, r.exponent`;
}

/**
 * The name search (rioni, places, stations, streets, resources). Tiers: the whole name starts with
 * the text; every typed word starts a word of the name; similar words only. Within a tier: closer
 * words, placed before unplaced, then rioni, places, streets, resources; then shorter names.
 *
 * Only the names resembling the longest typed word are scored (place_search_names, through trigram
 * indexes over each name's stored searchable form): every typed word must resemble a word of the
 * name, so no other name could match (issue 16: the same results in the same order as scoring every
 * name, tests/db/place-search-same.test.ts).
 */
async function searchNames(text: string, limit: number, includeUnplaced: boolean): Promise<SearchMatch[]> {
	return sql<SearchMatch[]>`
		WITH needle AS (SELECT place_search_text(${text}) AS q),
		words AS (
			SELECT array_agg(DISTINCT w) AS list,
				-- The longest typed word (then the first in order): its trigrams are the rarest, so
				-- the fewest names resemble it.
				(array_agg(w ORDER BY length(w) DESC, w))[1] AS probe
			FROM needle, unnest(string_to_array(needle.q, ' ')) AS w WHERE length(w) >= 2
		),
		scored AS (
			SELECT k.*, round(m.closeness::numeric, 2) AS closeness,
				CASE WHEN k.key LIKE needle.q || '%' THEN 0 WHEN m.every_word_starts THEN 1 ELSE 2 END AS tier
			FROM place_search_names((SELECT probe FROM words)) k
			CROSS JOIN needle
			CROSS JOIN words
			CROSS JOIN LATERAL place_words_match(words.list, k.key) m
			WHERE m.matched
		),
		-- A street that GeoNames also lists as a place (Piazza Mario Cermenati) is shown once, as the place.
		found AS (
			SELECT s.* FROM scored s
			WHERE s.kind <> 'street' OR NOT EXISTS (
				SELECT 1 FROM scored o WHERE o.kind IN ('neighbourhood', 'place') AND o.key = s.key)
		),
		-- The streets found, placed as the gazetteer document places them (db/functions/place_search.sql).
		placed AS (
			SELECT f.name, f.kind, f.id, f.kind_rank, f.tier, f.closeness,
				coalesce(f.geom, p.geom) AS geom,
				CASE WHEN f.geom IS NULL THEN p.near_stop END AS near_stop
			FROM found f
			LEFT JOIN street_positions(ARRAY(SELECT street_id FROM found WHERE street_id IS NOT NULL)) p USING (street_id)
		),
		ranked AS (
			SELECT * FROM placed
			WHERE geom IS NOT NULL OR ${includeUnplaced}
			ORDER BY tier, closeness DESC, geom IS NULL, kind_rank, length(name), name
			LIMIT ${limit}
		)
		SELECT r.name, r.kind, r.id,
			round(ST_X(r.geom)::numeric, 6)::float8 AS lon, round(ST_Y(r.geom)::numeric, 6)::float8 AS lat,
			r.near_stop,
			CASE WHEN r.kind = 'neighbourhood' THEN r.name ELSE n.name END AS neighbourhood
		FROM ranked r
		LEFT JOIN LATERAL (
			-- On a shared boundary the lowest id wins, as in transit_stop_placed.
			SELECT name FROM neighbourhood WHERE r.geom IS NOT NULL AND ST_Intersects(neighbourhood.geom, r.geom) ORDER BY id LIMIT 1
		) n ON true
		ORDER BY r.tier, r.closeness DESC, r.geom IS NULL, r.kind_rank, length(r.name), r.name`;
}

/**
 * Every name the name search can return, with its searchable key (place_search_text) and its point
 * as the search places it (null for a street whose position is not known): the public gazetteer
 * document the browser keeps for the offline place search (GET /api/places/gazetteer.json, ranked
 * by src/lib/domain/place-search.ts as searchNames ranks). The same names and placing as
 * searchNames, for all names at once; tests/db/place-search-offline.test.ts compares the two.
 * Public data only, as /api/places answers it; ANNCSU's civic numbers are left out (there can be
 * tens of thousands).
 */
export async function entries(): Promise<GazetteerEntry[]> {
	return sql<GazetteerEntry[]>`
		WITH named AS (
			SELECT n.name, 'neighbourhood' AS kind, NULL::text AS id, NULL::int AS street_id, n.label_point AS geom, 1 AS kind_rank
			FROM neighbourhood n
			UNION ALL
			SELECT p.name, 'place', NULL, NULL, p.geom, 2 FROM place p WHERE p.kind <> 'neighbourhood'
			UNION ALL
			SELECT 'Stazione di ' || t.name, 'place', NULL, NULL, t.geom, 2 FROM transit_stop t WHERE t.kind = 'rail'
			UNION ALL
			SELECT initcap(s.name), 'street', NULL, s.id, NULL, 3 FROM street s
			UNION ALL
			SELECT r.name, 'resource', r.id::text, NULL, r.geom, 4 FROM public_resource r
		),
		keyed AS MATERIALIZED (SELECT named.*, place_search_text(named.name) AS key FROM named),
		-- As in the search, a street that GeoNames also lists as a place is left to the place. (The
		-- search compares the names a text matched; names with one key match the same texts.)
		found AS (
			SELECT k.* FROM keyed k
			WHERE k.kind <> 'street' OR NOT EXISTS (
				SELECT 1 FROM keyed o WHERE o.kind IN ('neighbourhood', 'place') AND o.key = k.key)
		),
		placed AS (
			SELECT f.name, f.kind, f.id, f.key, f.kind_rank,
				coalesce(f.geom, p.geom) AS geom,
				CASE WHEN f.geom IS NULL THEN p.near_stop END AS near_stop
			FROM found f
			LEFT JOIN street_positions(ARRAY(SELECT street_id FROM found WHERE street_id IS NOT NULL)) p USING (street_id)
		)
		SELECT p.name, p.kind, p.id, p.key,
			round(ST_X(p.geom)::numeric, 6)::float8 AS lon, round(ST_Y(p.geom)::numeric, 6)::float8 AS lat,
			p.near_stop,
			CASE WHEN p.kind = 'neighbourhood' THEN p.name ELSE n.name END AS neighbourhood
		FROM placed p
		LEFT JOIN LATERAL (
			SELECT name FROM neighbourhood WHERE p.geom IS NOT NULL AND ST_Intersects(neighbourhood.geom, p.geom) ORDER BY id LIMIT 1
		) n ON true
		-- A stable order, so the document's ETag changes only with its content.
		ORDER BY p.kind_rank, p.name, p.id, lon, lat`;
}
