-- place_words_match: how the typed words of a place search match a searchable name (both already
-- through place_search_text, migration 0020). One row: matched (every typed word resembles a word
-- of the name: pg_trgm word similarity >= 0.6), every_word_starts (every typed word starts a word of
-- the name) and closeness (the mean similarity, for ranking). Used by the name search and the house
-- number search of src/lib/server/db/gazetteer.ts, so both score alike. A set-returning SQL
-- function so that PostgreSQL inlines it in the LATERAL join of its callers.
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
