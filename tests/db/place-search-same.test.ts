import { describe, expect, it } from 'vitest';
import { houseNumberOf } from '../../src/lib/domain/house-number';
import { sql } from '../../src/lib/server/db/client';
import * as gazetteer from '../../src/lib/server/db/gazetteer';
import type { PlaceMatch, SearchMatch } from '../../src/lib/server/db/gazetteer';

// Issue 16 made the place search fast without changing what it finds or in which order. This file
// keeps the search as it was before (commit 9805780: every name folded and scored on each search)
// as the reference, and checks the app's search against it on a corpus of queries, on the data
// of the database under test (the Lecco seed and the demo set), on both backends. The ranking is
// being ported to TypeScript for offline use: the port must agree with this reference too.

/** The place search of src/lib/server/db/gazetteer.ts before issue 16, unchanged. */
async function referenceSearchAll(text: string, limit = 8, includeUnplaced = true): Promise<SearchMatch[]> {
	if (text.trim().length < 2) return [];
	const house = houseNumberOf(text);
	const addresses = house ? await referenceCivicNumbers(house, limit) : [];
	if (addresses.length >= limit) return addresses;
	const named = await referenceSearchNames(text, limit - addresses.length, includeUnplaced);
	return [...addresses, ...named];
}


// Rioni, squares, stations, streets (placed by addresses, by a bus stop, or not at all), resources;
// abbreviations, accents, case, word order, typos, half words, house numbers, words that match
// nothing, text too short or made of symbols only.
const CORPUS = [
	'germ', 'germaned', 'Germanedo', 'cermenati', 'p.za cermenati', 'P.ZZA CERMENATI', 'cermenati piazza',
	'piazza garibaldi', 'p.za garibaldi', 'garibaldi', 'san nicolo', 'SAN NICOLÒ', 'ghislanzone', 'ghislanzoni',
	'via ghislanzoni', 'Via Antonio Ghislanzoni', 'via amendola', 'manzoni', 'stazione', 'stazione maggianico',
	'via', 'v.le turati', 'c.so martiri', 'l.go', 'via roma', 'scuola', 'scuola primaria', 'farmacia', 'parrocchia',
	'pescarenico', 'acquate', 'castello', 'santo stefano', 'ponte', "sant'anna", 'lecco', 'via dei tigli 12',
	'via ghislanzoni 12', 'cermenati zanzibar', 'zz', 'a b', 'g', '%%'
];

const runKey = (m: SearchMatch) => `${m.kind}|${m.name}`;
const json = (m: SearchMatch) => JSON.stringify(m);

/**
 * Whether `actual` ranks as `expected`. Rows of the same kind and name (two services called
 * "Doposcuola", say) tie on every sort key but placement, and PostgreSQL returns tied rows in
 * whatever order its plan makes: within such a run the rows are compared as a set, and in a run cut
 * by the limit each row must be one of the run's rows in `complete` (the same search, no limit).
 */
function expectSameRanking(actual: SearchMatch[], expected: SearchMatch[], complete: SearchMatch[], limit: number, label: string) {
	expect(actual.map(runKey), label).toEqual(expected.map(runKey));
	for (let start = 0; start < expected.length; ) {
		let end = start + 1;
		while (end < expected.length && runKey(expected[end]!) === runKey(expected[start]!)) end++;
		const got = actual.slice(start, end).map(json).sort();
		if (end === limit && end - start > 1) {
			const pool = new Set(complete.filter((m) => runKey(m) === runKey(expected[start]!)).map(json));
			for (const row of got) expect(pool.has(row), `${label}: ${row}`).toBe(true);
		} else {
			expect(got, label).toEqual(expected.slice(start, end).map(json).sort());
		}
		start = end;
	}
}

describe('the place search finds what it found before issue 16, in the same order', () => {
	it.each(CORPUS)('%s', async (text) => {
		for (const [limit, includeUnplaced] of [[8, true], [8, false], [20, true], [2, true]] as const) {
			const label = `${text} (limit ${limit}${includeUnplaced ? ', unplaced too' : ''})`;
			const expected = await referenceSearchAll(text, limit, includeUnplaced);
			const complete = await referenceSearchAll(text, 100, includeUnplaced);
			expectSameRanking(await gazetteer.searchAll(text, limit, includeUnplaced), expected, complete, limit, label);
		}
		// search(): the placed matches only.
		const placed = (await referenceSearchAll(text, 8, false)).filter((m): m is PlaceMatch => m.lon !== null);
		expectSameRanking(await gazetteer.search(text), placed, await referenceSearchAll(text, 100, false), 8, `${text} (search)`);
	});

	it('the corpus is not trivial: most queries find something, some streets unplaced, every kind found', async () => {
		const found = await Promise.all(CORPUS.map((text) => referenceSearchAll(text, 20, true)));
		expect(found.filter((list) => list.length > 0).length).toBeGreaterThan(CORPUS.length * 0.7);
		const kinds = new Set(found.flat().map((m) => m.kind));
		for (const kind of ['neighbourhood', 'place', 'street', 'resource']) expect(kinds.has(kind as SearchMatch['kind']), kind).toBe(true);
		expect(found.flat().some((m) => m.lon === null)).toBe(true);
		expect(found.flat().some((m) => m.near_stop !== null)).toBe(true);
	});
});

// The reference, as src/lib/server/db/gazetteer.ts had it before issue 16 (names prefixed "reference").

async function referenceCivicNumbers(house: { street: string; number: number; exponent: string }, limit: number): Promise<PlaceMatch[]> {
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

async function referenceSearchNames(text: string, limit: number, includeUnplaced: boolean): Promise<SearchMatch[]> {
	// Tiers: the whole name starts with the text; every typed word starts a word of the name;
	// similar words only. Within a tier: closer words, placed before unplaced, then rioni, places, streets,
	// resources; then shorter names.
	return sql<SearchMatch[]>`
		WITH needle AS (SELECT place_search_text(${text}) AS q),
		words AS (
			SELECT array_agg(DISTINCT w) AS list
			FROM needle, unnest(string_to_array(needle.q, ' ')) AS w WHERE length(w) >= 2
		),
		named AS (
			SELECT n.name, 'neighbourhood' AS kind, NULL::text AS id, NULL::int AS street_id, n.label_point AS geom, 1 AS kind_rank
			FROM neighbourhood n
			UNION ALL
			SELECT p.name, 'place', NULL, NULL, p.geom, 2 FROM place p WHERE p.kind <> 'neighbourhood'
			UNION ALL
			-- The railway stations, named as people ask for them (the feed calls them "Lecco", "Lecco Maggianico").
			SELECT 'Stazione di ' || t.name, 'place', NULL, NULL, t.geom, 2 FROM transit_stop t WHERE t.kind = 'rail'
			UNION ALL
			SELECT initcap(s.name), 'street', NULL, s.id, NULL, 3 FROM street s
			UNION ALL
			SELECT r.name, 'resource', r.id::text, NULL, r.geom, 4 FROM public_resource r
		),
		-- MATERIALIZED: each name is folded once, not once per use in the scoring below.
		keyed AS MATERIALIZED (SELECT named.*, place_search_text(named.name) AS key FROM named),
		scored AS (
			SELECT k.*, round(m.closeness::numeric, 2) AS closeness,
				CASE WHEN k.key LIKE needle.q || '%' THEN 0 WHEN m.every_word_starts THEN 1 ELSE 2 END AS tier
			FROM keyed k
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
		-- MATERIALIZED (both): each address and each street found is folded once, and only the
		-- streets found are compared with the addresses.
		found_street AS MATERIALIZED (
			SELECT s.id, fold_text(s.name) || ' %' AS address_pattern FROM street s WHERE s.id IN (SELECT street_id FROM found)
		),
		-- Real addresses in Lecco only: the streets are Lecco's (a "Via Roma" elsewhere is another
		-- street), and the demo set's points are invented.
		public_address AS MATERIALIZED (
			SELECT fold_text(l.address_1) AS address, l.public_geom
			FROM location l JOIN organization o ON o.id = l.organization_id
			WHERE NOT l.confidential AND l.address_1 IS NOT NULL AND l.neighbourhood_id IS NOT NULL AND NOT o.demo AND l.removed_at IS NULL
				AND EXISTS (SELECT 1 FROM found_street)
		),
		street_by_address AS (
			SELECT s.id AS street_id, ST_SetSRID(ST_MakePoint(avg(ST_X(a.public_geom)), avg(ST_Y(a.public_geom))), 4326) AS geom
			FROM found_street s JOIN public_address a ON a.address LIKE s.address_pattern
			GROUP BY s.id
		),
		stop_of_street AS (
			SELECT x.street_id, t.name, t.geom FROM street_transit_stop x JOIN transit_stop t ON t.id = x.stop_id
			WHERE x.street_id IN (SELECT street_id FROM found)
		),
		-- Of the stops named after a street, the one nearest their middle: a real stop, on or by the street.
		street_by_stop AS (
			SELECT DISTINCT ON (s.street_id) s.street_id, s.name AS stop_name, s.geom
			FROM stop_of_street s
			JOIN (SELECT street_id, ST_Centroid(ST_Collect(geom)) AS middle FROM stop_of_street GROUP BY street_id) m USING (street_id)
			ORDER BY s.street_id, ST_Distance(s.geom, m.middle), s.name
		),
		placed AS (
			SELECT f.name, f.kind, f.id, f.kind_rank, f.tier, f.closeness,
				coalesce(f.geom, a.geom, b.geom) AS geom,
				CASE WHEN f.geom IS NULL AND a.geom IS NULL THEN b.stop_name END AS near_stop
			FROM found f
			LEFT JOIN street_by_address a USING (street_id)
			LEFT JOIN street_by_stop b USING (street_id)
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
