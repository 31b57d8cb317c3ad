-- Imports (issue 15, item 3): an administrator loads a CSV, GeoJSON or HSDS data package of
-- directory records from a source (src/lib/server/imports). The records themselves go where the
-- seed's go (organization/location/service with source_id, source_ref and the `seeded` snapshot,
-- so a re-import never overwrites what a partner or an administrator edited since); this migration
-- adds what an import needs besides.

-- The column mapping last used for a source's files (CSV or GeoJSON columns → the import's fields),
-- offered again at the next import of the same source.
CREATE TABLE import_mapping (
	source_id text PRIMARY KEY REFERENCES source ON DELETE CASCADE,
	mapping jsonb NOT NULL CHECK (jsonb_typeof(mapping) = 'object'),
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by uuid REFERENCES app_user ON DELETE SET NULL
);

-- Every committed import: which source, under which licence at the time (a source's licence may
-- change at a later import), how many rows, who and when. Each organisation remembers the import
-- that last wrote it, so a record's provenance and licence are known per record.
CREATE TABLE import_run (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	source_id text NOT NULL REFERENCES source ON DELETE CASCADE,
	licence text NOT NULL CHECK (btrim(licence) <> ''),
	format text NOT NULL CHECK (format IN ('csv', 'geojson', 'hsds')),
	file_name text CHECK (length(file_name) <= 300),
	rows integer NOT NULL CHECK (rows >= 0),
	created integer NOT NULL CHECK (created >= 0),
	updated integer NOT NULL CHECK (updated >= 0),
	kept integer NOT NULL CHECK (kept >= 0),
	imported_by uuid REFERENCES app_user ON DELETE SET NULL,
	imported_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX import_run_source_idx ON import_run (source_id, imported_at DESC);

ALTER TABLE organization ADD COLUMN import_run_id uuid REFERENCES import_run ON DELETE SET NULL;
