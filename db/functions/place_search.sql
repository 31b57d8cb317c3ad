-- place_words_match: how the typed words of a place search match a searchable name (both already
-- through place_search_text, migration 0020). One row: matched (every typed word resembles a word
-- of the name: pg_trgm word similarity >= 0.6), every_word_starts (every typed word starts a word of
-- the name) and closeness (the mean similarity, for ranking). Used by the name search and the house
-- number search of src/lib/server/db/gazetteer.ts, so both score alike. A set-returning SQL
-- function so that PostgreSQL inlines it in the LATERAL join of its callers. place_search_names
-- below passes the name search the names this function could match, by the same 0.6: change both
-- together.
CREATE OR REPLACE FUNCTION place_words_match(p_words text[], p_key text)
RETURNS TABLE (matched boolean, every_word_starts boolean, closeness double precision)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT bool_and(word_similarity(w, p_key) >= 0.6),
		bool_and(' ' || p_key LIKE '% ' || w || '%'),
		avg(word_similarity(w, p_key))
	FROM unnest(p_words) AS w
$$;

COMMENT ON FUNCTION place_words_match(text[], text) IS
	'Whether every typed word resembles (word_similarity >= 0.6) and starts a word of a searchable name, and the mean similarity. See db/functions/place_search.sql.';

-- place_search_names: the names the place search (src/lib/server/db/gazetteer.ts) scores for a typed
-- text whose longest word is p_word, with their searchable forms (`key`): the rioni, the places, the
-- railway stations (as "Stazione di …"), the streets and the public resources whose stored search_key
-- (migration 0032) has a word resembling p_word, word_similarity(p_word, key) >= 0.6. Every typed
-- word must resemble a word of a name for it to match (place_words_match), so no name left out here
-- could match: the search finds exactly what it found when it scored every name, only faster
-- (issue 16; tests/db/place-search-same.test.ts). The stations are a handful and always listed.
--
-- Its settings hold inside it only. The threshold is the one `search_key %> p_word` compares with,
-- the 0.6 of place_words_match (change both together). Sequential scans are off because the trigram
-- indexes must answer `%>`: the planner prices it like a comparison and would rather read a small
-- table whole, yet it costs microseconds a name (16 µs in the embedded store), most of a search.
-- JIT is off because the one scan left sequential (the stations: no index to use) is then priced
-- so high that a PostgreSQL server would compile the query first (~100 ms, measured).
-- plpgsql so that its plan is kept for the session; parallel restricted (run by the leader only) so
-- that its settings are never changed inside a parallel worker.
CREATE OR REPLACE FUNCTION place_search_names(p_word text)
RETURNS TABLE (name text, kind text, id text, street_id integer, geom geometry, kind_rank integer, key text)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 20
SET pg_trgm.word_similarity_threshold = 0.6
SET enable_seqscan = off
SET jit = off
AS $$
BEGIN
	RETURN QUERY
	SELECT n.name, 'neighbourhood'::text, NULL::text, NULL::integer, n.label_point::geometry, 1, n.search_key
	FROM neighbourhood n WHERE n.search_key %> p_word
	UNION ALL
	SELECT p.name, 'place', NULL, NULL, p.geom, 2, p.search_key
	FROM place p WHERE p.kind <> 'neighbourhood' AND p.search_key %> p_word
	UNION ALL
	-- Named as people ask for them (the feed calls them "Lecco", "Lecco Maggianico").
	SELECT 'Stazione di ' || t.name, 'place', NULL, NULL, t.geom, 2, place_search_text('Stazione di ' || t.name)
	FROM transit_stop t WHERE t.kind = 'rail'
	UNION ALL
	-- A street as the search shows it (initcap), a resource by its service's name (public_resource.name).
	SELECT initcap(s.name), 'street', NULL, s.id, NULL, 3, s.search_key
	FROM street s WHERE s.search_key %> p_word
	UNION ALL
	SELECT r.name, 'resource', r.id::text, NULL, r.geom, 4, s.search_key
	FROM public_resource r JOIN service s ON s.id = r.service_id WHERE s.search_key %> p_word;
END
$$;

COMMENT ON FUNCTION place_search_names(text) IS
	'The names the place search scores: those with a word resembling p_word (word_similarity >= 0.6, through trigram indexes), and the railway stations. See db/functions/place_search.sql.';

-- street_positions: where the place search puts each of these streets (ids of `street`, the
-- gazetteer's street names), for the name search and the offline gazetteer document of
-- src/lib/server/db/gazetteer.ts alike, so the two place a street the same way:
--   1. at the mean of the real public addresses on it (not confidential, in a rione, not the demo
--      set's invented points, not removed): an address "Via X 12" is on the street "Via X";
--   2. else at the stop named after it nearest the middle of all such stops (a real stop, on or by
--      the street), and then `near_stop` names that stop so the page can say "vicino alla fermata";
--   3. else not at all (no row).
-- Each address and street is folded once (MATERIALIZED), and only the given streets are compared
-- with the addresses; with no street given, no address is read. PL/pgSQL rather than SQL so that its
-- plan is kept for the session: a SQL function that cannot be inlined is planned again at each
-- call, which cost the place search a quarter of its throughput (bench:load --only places).
CREATE OR REPLACE FUNCTION street_positions(p_street_ids integer[])
RETURNS TABLE (street_id integer, geom geometry, near_stop text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH given_street AS MATERIALIZED (
		SELECT s.id, fold_text(s.name) || ' %' AS address_pattern FROM street s WHERE s.id = ANY(p_street_ids)
	),
	public_address AS MATERIALIZED (
		SELECT fold_text(l.address_1) AS address, l.public_geom
		FROM location l JOIN organization o ON o.id = l.organization_id
		WHERE NOT l.confidential AND l.address_1 IS NOT NULL AND l.neighbourhood_id IS NOT NULL AND NOT o.demo AND l.removed_at IS NULL
			AND EXISTS (SELECT 1 FROM given_street)
	),
	street_by_address AS (
		SELECT s.id AS street_id, ST_SetSRID(ST_MakePoint(avg(ST_X(a.public_geom)), avg(ST_Y(a.public_geom))), 4326) AS geom
		FROM given_street s JOIN public_address a ON a.address LIKE s.address_pattern
		GROUP BY s.id
	),
	stop_of_street AS (
		SELECT x.street_id, t.name, t.geom FROM street_transit_stop x JOIN transit_stop t ON t.id = x.stop_id
		WHERE x.street_id = ANY(p_street_ids)
	),
	street_by_stop AS (
		SELECT DISTINCT ON (s.street_id) s.street_id, s.name AS stop_name, s.geom
		FROM stop_of_street s
		JOIN (SELECT street_id, ST_Centroid(ST_Collect(geom)) AS middle FROM stop_of_street GROUP BY street_id) m USING (street_id)
		ORDER BY s.street_id, ST_Distance(s.geom, m.middle), s.name
	)
	SELECT coalesce(a.street_id, b.street_id), coalesce(a.geom, b.geom), CASE WHEN a.geom IS NULL THEN b.stop_name END
	FROM street_by_address a FULL JOIN street_by_stop b USING (street_id);
END
$$;

COMMENT ON FUNCTION street_positions(integer[]) IS
	'Where the place search puts these streets: the mean of the real public addresses on each, else its stop nearest the middle of the stops named after it (near_stop). No row for a street with neither. See db/functions/place_search.sql.';
