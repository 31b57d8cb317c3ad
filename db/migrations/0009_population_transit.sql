-- Issue 11 (data for planners): residents per rione as history, the city's age structure and the
-- public transport stops.
--
-- Rioni are referred to by name, not by neighbourhood.id: the seed loader replaces the rioni
-- (places.replaceNeighbourhoods upserts by name and deletes the names that went), so a foreign key
-- would either block a new map or lose the population history with it. A figure whose rione is no
-- longer on the map stays in the history; the stops' rione is computed from the current polygons
-- on every read (transit_stop_placed), never stored.

CREATE TABLE rione_population (
	id bigserial PRIMARY KEY,
	rione text NOT NULL CHECK (btrim(rione) <> ''),
	residents integer NOT NULL CHECK (residents >= 0),
	reference_date date NOT NULL,
	-- A seeded figure cites its source; an administrator's figure may describe it instead.
	source_id text REFERENCES source,
	source_note text CHECK (source_note IS NULL OR btrim(source_note) <> ''),
	-- NULL: loaded from the seed files.
	entered_by uuid REFERENCES app_user,
	entered_at timestamptz NOT NULL DEFAULT now(),
	CHECK (source_id IS NOT NULL OR source_note IS NOT NULL),
	CHECK (entered_by IS NOT NULL OR source_id IS NOT NULL)
);
-- Re-seeding the same figure is a no-op; a changed seed figure is a new row of history.
CREATE UNIQUE INDEX rione_population_seeded_idx ON rione_population (rione, reference_date, source_id, residents)
	WHERE entered_by IS NULL;
CREATE INDEX rione_population_current_idx ON rione_population (rione, reference_date DESC, entered_at DESC, id DESC);

-- History is never rewritten: a newer figure is a new row.
CREATE FUNCTION rione_population_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'rione_population is history: add a new figure instead of changing one'
		USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER rione_population_no_update BEFORE UPDATE ON rione_population
	FOR EACH ROW EXECUTE FUNCTION rione_population_no_update();

-- The current figure of each rione: the latest reference date; on the same date, the latest entry.
CREATE VIEW rione_population_current AS
	SELECT DISTINCT ON (rione) id, rione, residents, reference_date, source_id, source_note, entered_by, entered_at
	FROM rione_population
	ORDER BY rione, reference_date DESC, entered_at DESC, id DESC;

CREATE TABLE population_age (
	reference_date date NOT NULL,
	source_id text NOT NULL REFERENCES source,
	-- Single years; the last one (100 in the ISTAT table) means "and over".
	age integer NOT NULL CHECK (age BETWEEN 0 AND 120),
	males integer NOT NULL CHECK (males >= 0),
	females integer NOT NULL CHECK (females >= 0),
	total integer NOT NULL CHECK (total = males + females),
	PRIMARY KEY (reference_date, source_id, age)
);

CREATE TABLE transit_stop (
	-- The feed's stop_id prefixed by the feed ("lineelecco:85032", "trenord:S01520").
	id text PRIMARY KEY CHECK (id ~ '^[a-z0-9-]+:[A-Za-z0-9_.-]+$'),
	code text,
	name text NOT NULL CHECK (btrim(name) <> ''),
	kind text NOT NULL CHECK (kind IN ('bus', 'rail')),
	geom geometry(Point, 4326) NOT NULL CHECK (NOT ST_IsEmpty(geom)),
	source_id text NOT NULL REFERENCES source,
	-- The timetable feed's validity, when it states one.
	valid_from date,
	valid_to date,
	CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
CREATE INDEX transit_stop_geom_idx ON transit_stop USING gist (geom);

-- Each stop with the rione it lies in now (NULL outside every rione, i.e. outside Lecco).
CREATE VIEW transit_stop_placed AS
	SELECT s.id, s.code, s.name, s.kind, s.geom, s.source_id, s.valid_from, s.valid_to,
		n.id AS neighbourhood_id, n.name AS neighbourhood
	FROM transit_stop s
	LEFT JOIN LATERAL (
		-- On a shared boundary the lowest id wins, so the answer is stable.
		SELECT id, name FROM neighbourhood WHERE ST_Intersects(neighbourhood.geom, s.geom) ORDER BY id LIMIT 1
	) n ON true;
