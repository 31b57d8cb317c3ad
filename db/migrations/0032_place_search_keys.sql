-- Issue 16: the place search (src/lib/server/db/gazetteer.ts) fast on both backends, with the same
-- results in the same order.
--
-- Before, each search folded every name of the gazetteer through place_search_text (0020: seven
-- regular expressions a name) and scored every name with word_similarity: tens of milliseconds of
-- CPU a search on PostGIS, hundreds on the embedded store, growing with the directory. Now each
-- name's searchable form is stored with it, as a generated column (written by PostgreSQL on every
-- insert and rename, so it cannot drift from the name), and a trigram index over it lets a search
-- visit only the names that resemble its longest typed word (`search_key %> word`, true exactly when
-- word_similarity(word, search_key) reaches pg_trgm.word_similarity_threshold, which
-- place_search_names in db/functions/place_search.sql sets to the 0.6 of the ranking): every other
-- name would fail the ranking's own test anyway.
--
-- The rail stations' names ("Stazione di " and the feed's name) are few and made at search time:
-- they keep being folded then. The civic numbers already store theirs (civic_number.street_key).
-- A generated column is computed again when pg_restore loads a table (npm run restore), with
-- search_path empty: place_search_text must then still find fold_text, so it keeps the search_path
-- it was created with.
ALTER FUNCTION place_search_text(text) SET search_path FROM CURRENT;

ALTER TABLE neighbourhood ADD COLUMN search_key text GENERATED ALWAYS AS (place_search_text(name)) STORED;
ALTER TABLE place ADD COLUMN search_key text GENERATED ALWAYS AS (place_search_text(name)) STORED;
-- The search shows a street as initcap(name) and folds that.
ALTER TABLE street ADD COLUMN search_key text GENERATED ALWAYS AS (place_search_text(initcap(name))) STORED;
-- A public resource is searched by its service's name (public_resource.name).
ALTER TABLE service ADD COLUMN search_key text GENERATED ALWAYS AS (place_search_text(name)) STORED;

CREATE INDEX neighbourhood_search_key_idx ON neighbourhood USING gin (search_key gin_trgm_ops);
CREATE INDEX place_search_key_idx ON place USING gin (search_key gin_trgm_ops);
CREATE INDEX street_search_key_idx ON street USING gin (search_key gin_trgm_ops);
CREATE INDEX service_search_key_idx ON service USING gin (search_key gin_trgm_ops);

COMMENT ON COLUMN neighbourhood.search_key IS 'place_search_text(name): the place search compares typed words with it (issue 16).';
COMMENT ON COLUMN place.search_key IS 'place_search_text(name): the place search compares typed words with it (issue 16).';
COMMENT ON COLUMN street.search_key IS 'place_search_text(initcap(name)), the name as the place search shows it (issue 16).';
COMMENT ON COLUMN service.search_key IS 'place_search_text(name): the place search finds public resources by it (issue 16).';
