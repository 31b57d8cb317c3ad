-- Issue 14 (citizen's atlas): a forgiving place search, and streets placed through the bus stops
-- named after them.
--
-- Matching uses pg_trgm (word_similarity), present in PostgreSQL's contrib and loaded as a PGlite
-- extension by src/lib/server/db/embedded.ts, so both backends rank with the same SQL. Accents and
-- case still go through fold_text (0001) rather than the unaccent extension: one folding for the
-- whole schema, and the names here are Italian. At city scale (a few hundred names) every name is
-- scored on each search; no trigram index is needed.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The searchable form of a name or of typed text: folded, the usual Italian street abbreviations
-- written out ("p.za" → "piazza", "v.le" → "viale"), every other character than a letter or digit
-- a single space. Names and queries go through the same function, so they compare like for like.
CREATE FUNCTION place_search_text(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
AS $$
	SELECT btrim(regexp_replace(
		regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
			' ' || fold_text(value) || ' ',
			'([^a-z])p\.? ?z?za([^a-z])', '\1piazza\2', 'g'),
			'([^a-z])p\.? ?le([^a-z])', '\1piazzale\2', 'g'),
			'([^a-z])v\.? ?le([^a-z])', '\1viale\2', 'g'),
			'([^a-z])c\.? ?so([^a-z])', '\1corso\2', 'g'),
			'([^a-z])l\.? ?go([^a-z])', '\1largo\2', 'g'),
			'([^a-z])v\.([^a-z])', '\1via\2', 'g'),
		'[^a-z0-9]+', ' ', 'g'))
$$;

-- The streets named in the bus stops' names. A Linee Lecco stop is named "Lecco, [rione,]
-- street[ number][/crossing][, fr. landmark]" ("Lecco, Amendola/Ghislanzoni", "Lecco, Pescarenico,
-- Martiri/Amendola"): each part is compared with the official street names without their prefix
-- ("Antonio Ghislanzoni" for "Via Antonio Ghislanzoni"). A part equal to a whole name names that
-- street; otherwise a part equal to the end of a name ("Ghislanzoni") names it only when exactly one
-- street ends so ("Manzoni" is a square, a bridge and a street: none of them is guessed). Parts after
-- "fr." (di fronte a, opposite) are landmarks, not streets, and are left out.
--
-- A table, so a search reads it instead of parsing every stop name (~100 ms) each time: the only
-- writers of stops and streets, transit.replaceStops and places.replaceStreets (the seed loader),
-- call refresh_street_transit_stop() in their transaction. (A statement trigger would run it once
-- per stop the loader upserts.)
CREATE TABLE street_transit_stop (
	street_id integer NOT NULL REFERENCES street ON DELETE CASCADE,
	stop_id text NOT NULL REFERENCES transit_stop ON DELETE CASCADE,
	PRIMARY KEY (street_id, stop_id)
);

CREATE FUNCTION refresh_street_transit_stop() RETURNS void LANGUAGE sql AS $fn$
	DELETE FROM street_transit_stop;
	INSERT INTO street_transit_stop (street_id, stop_id)
WITH stop_part AS (
	SELECT DISTINCT s.id AS stop_id, place_search_text(regexp_replace(regexp_replace(part, '\mfr\..*$', ''), '[0-9]+', '', 'g')) AS key
	FROM transit_stop s
	CROSS JOIN LATERAL unnest(regexp_split_to_array(substring(s.name FROM '^[^,]+,(.*)$'), '[,/]')) AS part
	WHERE s.kind = 'bus' AND btrim(part) !~* '^fr\.'
),
street_key AS (
	SELECT id, place_search_text(CASE WHEN upper(name) LIKE upper(prefix) || ' %' THEN substr(name, length(prefix) + 2) ELSE name END) AS full_key
	FROM street
),
street_name_end AS (
	-- Every ending of the name at a word boundary, the whole name first: "antonio ghislanzoni", "ghislanzoni".
	SELECT k.id, array_to_string(words[i:], ' ') AS key, i = 1 AS whole
	FROM street_key k
	CROSS JOIN LATERAL regexp_split_to_array(k.full_key, ' ') AS words
	CROSS JOIN LATERAL generate_series(1, cardinality(words)) AS i
),
candidate AS (
	SELECT p.stop_id, e.id AS street_id, e.whole,
		bool_or(e.whole) OVER (PARTITION BY p.stop_id, p.key) AS some_whole,
		count(*) OVER (PARTITION BY p.stop_id, p.key) AS streets
	FROM stop_part p JOIN street_name_end e ON e.key = p.key
	WHERE length(p.key) >= 3
)
SELECT DISTINCT street_id, stop_id FROM candidate WHERE whole OR (NOT some_whole AND streets = 1);
$fn$;

-- The stops and streets already seeded.
SELECT refresh_street_transit_stop();
