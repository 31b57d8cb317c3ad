-- Issue 11 (planners): the coverage grid and its precomputed base view, the freshness state that
-- says when it was computed and whether it is stale, a service's capacity (2SFCA supply), and
-- census sections (population by ISTAT section, when a deployment imports them).
--
-- The grid and its figures are derived data: rebuilt whole by refreshCoverage()
-- (src/lib/server/planning/coverage.ts, SQL in db/functions/coverage.sql), never edited. So the
-- cells keep the rione's id and name as they were at the rebuild, without a foreign key: the seed
-- loader and the boundary import replace rioni, and a key would block them; the statement triggers
-- below mark the grid dirty instead, and the next refresh rebuilds it.

-- People a service can take at once (places at a doposcuola, beds, …); NULL when unknown. The
-- supply of the two-step floating catchment (2SFCA): a pin without a capacity counts as 1.
ALTER TABLE service ADD COLUMN capacity integer CHECK (capacity > 0);

-- Population by ISTAT census section (sezione di censimento), imported by an administrator. When
-- the table has rows, the grid spreads each section's residents over its own settled cells
-- instead of each rione's register figure over the rione's.
CREATE TABLE census_section (
	code text PRIMARY KEY CHECK (btrim(code) <> '' AND length(code) <= 40),
	geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
	residents integer NOT NULL CHECK (residents >= 0),
	reference_date date,
	source_id text NOT NULL REFERENCES source
);
CREATE INDEX census_section_geom_idx ON census_section USING gist (geom);

-- One hexagon of the grid: about 100 m across over the served comune and its rioni.
CREATE TABLE coverage_cell (
	id integer PRIMARY KEY,
	geom geometry(Polygon, 4326) NOT NULL,
	centre geometry(Point, 4326) NOT NULL,
	-- The centre in EPSG:32632 (UTM 32N, metres), where distances are measured (see below).
	centre_m geometry(Point, 32632) NOT NULL,
	-- The rione containing the centre (lowest id on a shared boundary); NULL outside every rione.
	neighbourhood_id integer,
	rione text,
	-- Within 400 m of a bus or rail stop, a school or a pharmacy: where people plausibly live.
	settled boolean NOT NULL,
	-- Estimated residents (a share of the rione's or the census section's figure).
	residents double precision NOT NULL CHECK (residents >= 0),
	-- Where the figure comes from; NULL when the cell's rione has no figure.
	residents_source text CHECK (residents_source IN ('register', 'census'))
);
-- Distances are straight-line metres in EPSG:32632: over Lombardy (6°–12° E, zone 32) the UTM scale
-- error stays under 0.05 %, less than the gap between the sphere and the spheroid, and planar
-- distances cost a fraction of geography ones, which is what lets all 16 needs be recomputed in
-- about a second. The pin → cells joins (ST_DWithin) use this index.
CREATE INDEX coverage_cell_centre_m_idx ON coverage_cell USING gist (centre_m);
CREATE INDEX coverage_cell_geom_idx ON coverage_cell USING gist (geom);
CREATE INDEX coverage_cell_centre_idx ON coverage_cell USING gist (centre);
CREATE INDEX coverage_cell_neighbourhood_idx ON coverage_cell (neighbourhood_id);

-- The base view (any time, any audience, any capacity) per cell and need: the straight-line metres
-- to the nearest public pin offering the need (NULL when there is none at all), and how many pins
-- lie within the straight-line radii of 10, 15 and 20 walking minutes (src/lib/domain/walking.ts).
CREATE TABLE coverage_cell_need (
	need text NOT NULL REFERENCES need,
	-- No foreign key: rebuilt together with coverage_cell, and a cascade from 7,000 cells would scan
	-- this table once per cell.
	cell_id integer NOT NULL,
	nearest_m double precision CHECK (nearest_m >= 0),
	within_10 integer NOT NULL CHECK (within_10 >= 0),
	within_15 integer NOT NULL CHECK (within_15 >= within_10),
	within_20 integer NOT NULL CHECK (within_20 >= within_15),
	PRIMARY KEY (need, cell_id)
);

-- The base view per rione (rione NULL: the whole city), need and minutes: the rows of
-- coverage_rioni() stored by the refresh, so GET /api/planning/rioni answers without computing.
CREATE TABLE coverage_rione_need (
	need text NOT NULL REFERENCES need,
	within_min smallint NOT NULL CHECK (within_min > 0),
	rione text,
	neighbourhood_id integer,
	derived boolean,
	residents double precision,
	residents_source text,
	resources integer NOT NULL,
	per_1000 double precision,
	share_within double precision,
	residents_within double precision,
	residents_beyond double precision,
	p50_m double precision,
	p90_m double precision,
	sfca double precision,
	gap_rank integer
);
CREATE INDEX coverage_rione_need_idx ON coverage_rione_need (need, within_min);

-- Freshness, one row: when the figures were computed, since when they are stale (NULL: fresh), and
-- how (cell size, duration, the method sentence the API returns).
CREATE TABLE coverage_state (
	id boolean PRIMARY KEY DEFAULT true CHECK (id),
	computed_at timestamptz,
	dirty_since timestamptz,
	cell_m double precision,
	cells integer,
	duration_ms integer,
	method text
);
INSERT INTO coverage_state (computed_at, dirty_since) VALUES (NULL, now());

-- Any change that can move a figure marks the grid dirty; the debounced refresh rebuilds it. Per
-- statement, not per row: a seed load of thousands of rows marks it once. dirty_since keeps the
-- first change, so the page can say how long the figures have been stale.
-- opening_interval is left out on purpose: the hourly expansion rewrites it to extend the same
-- weekly pattern, which changes no figure; a changed expression or schedule is caught on
-- opening_hours / schedule, and the evening/weekend variants are computed on request anyway.
CREATE FUNCTION coverage_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE coverage_state SET dirty_since = now() WHERE dirty_since IS NULL;
	RETURN NULL;
END $$;

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['service', 'service_need', 'service_audience', 'service_at_location', 'location',
		'organization', 'schedule', 'rione_population', 'neighbourhood', 'administrative_area',
		'transit_stop', 'census_section']
	LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
			FOR EACH STATEMENT EXECUTE FUNCTION coverage_mark_dirty()', t || '_coverage_dirty', t);
	END LOOP;
END $$;
-- The hourly expansion stamps opening_hours.expanded_until: that alone changes no figure, so only
-- a new, changed or removed expression marks the grid dirty.
CREATE TRIGGER opening_hours_coverage_dirty AFTER INSERT OR UPDATE OF expression OR DELETE OR TRUNCATE ON opening_hours
	FOR EACH STATEMENT EXECUTE FUNCTION coverage_mark_dirty();
