-- Issue 15, item 4: territory data a deployment imports from the real files.
--
-- `npm run import:osm -- FILE.osm.pbf` (src/lib/server/territory/osm.ts) writes:
--   walk_node / walk_edge   the walkable network (OpenStreetMap ways a person may walk on), one node
--                           per OSM node of those ways and one undirected edge per pair of
--                           consecutive nodes, with its length in metres. The app loads it into
--                           memory and finds walking routes in Node (graphology), so both backends
--                           give the same answers from the same rows;
--   territory_feature       the basemap layers the app serves itself (/basemap/territory.geojson):
--                           streets, paths, the shoreline and landmarks.
-- `npm run import:anncsu -- FILE.csv` (src/lib/server/territory/anncsu.ts) writes civic_number:
-- ANNCSU house numbers with their point, for the place search ("via X 12").
--
-- Every import replaces its tables whole in one transaction and stamps territory_import, which
-- the app reads to know that its in-memory network is out of date.

CREATE TABLE walk_node (
	id bigint PRIMARY KEY,
	geom geometry(Point, 4326) NOT NULL
);

CREATE TABLE walk_edge (
	source bigint NOT NULL REFERENCES walk_node ON DELETE CASCADE,
	target bigint NOT NULL REFERENCES walk_node ON DELETE CASCADE,
	length_m double precision NOT NULL CHECK (length_m >= 0 AND length_m < 100000),
	-- Stored once per pair, the smaller id first: walking goes both ways, even on a one-way street.
	PRIMARY KEY (source, target),
	CHECK (source < target)
);

CREATE TABLE territory_feature (
	id serial PRIMARY KEY,
	layer text NOT NULL CHECK (layer IN ('street', 'path', 'shoreline', 'landmark')),
	-- The OSM tag value that put it in the layer (residential, footway, water, place_of_worship, …).
	kind text NOT NULL,
	name text,
	geom geometry(Geometry, 4326) NOT NULL,
	source_id text NOT NULL REFERENCES source,
	source_ref text NOT NULL
);
CREATE INDEX territory_feature_layer_idx ON territory_feature (layer);

CREATE TABLE civic_number (
	id serial PRIMARY KEY,
	-- ODONIMO as ANNCSU writes it ("VIA ANTONIO GHISLANZONI").
	street text NOT NULL CHECK (btrim(street) <> ''),
	-- place_search_text(street): compared with the typed street, as the place search compares names.
	street_key text NOT NULL,
	number integer NOT NULL CHECK (number > 0),
	-- ESPONENTE ("A", "BIS"), upper case; '' when none.
	exponent text NOT NULL DEFAULT '',
	istat_code text NOT NULL CHECK (istat_code ~ '^[0-9]{6}$'),
	geom geometry(Point, 4326) NOT NULL,
	source_id text NOT NULL REFERENCES source,
	-- PROGRESSIVO_ACCESSO: ANNCSU's id of the access.
	source_ref text NOT NULL,
	UNIQUE (source_id, source_ref)
);
CREATE INDEX civic_number_number_idx ON civic_number (number);

CREATE TABLE territory_import (
	dataset text PRIMARY KEY CHECK (dataset IN ('osm', 'anncsu')),
	file_name text NOT NULL,
	imported_at timestamptz NOT NULL DEFAULT now(),
	counts jsonb NOT NULL
);

INSERT INTO source (id, name, licence, url, attribution) VALUES
	('osm', 'OpenStreetMap', 'ODbL 1.0', 'https://www.openstreetmap.org/copyright', '© OpenStreetMap contributors')
ON CONFLICT (id) DO NOTHING;
