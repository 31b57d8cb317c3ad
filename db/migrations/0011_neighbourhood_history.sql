-- Issue 11 (territory): an administrator replaces the rioni's boundaries by importing a GeoJSON,
-- and the geometry it replaced is kept here; census sections with their residents, imported by
-- `npm run import:sections`.

-- Every rione as it was before an import changed or removed it. Append-only: what a boundary was
-- is a fact of the past (the figures computed on it were computed on this geometry).
CREATE TABLE neighbourhood_history (
	id bigserial PRIMARY KEY,
	-- By name, like rione_population: ids do not survive a rione being removed and added again.
	name text NOT NULL CHECK (btrim(name) <> ''),
	geom geometry(MultiPolygon, 4326) NOT NULL,
	label_point geometry(Point, 4326) NOT NULL,
	derived boolean NOT NULL,
	source_id text NOT NULL REFERENCES source,
	-- When this geometry came in (the rione's updated_at at the time) and when it was replaced.
	valid_from timestamptz NOT NULL,
	valid_until timestamptz NOT NULL DEFAULT now(),
	CHECK (valid_until >= valid_from),
	-- 'changed': a new polygon under the same name; 'removed': the name left the map.
	change text NOT NULL CHECK (change IN ('changed', 'removed')),
	-- The administrator who imported the new boundaries. No foreign key, as for audit_event's
	-- actor: history outlives accounts (and an ON DELETE action would have to update this row).
	replaced_by uuid NOT NULL
);
CREATE INDEX neighbourhood_history_name_idx ON neighbourhood_history (name, valid_until DESC);

CREATE FUNCTION neighbourhood_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'neighbourhood_history is history: it is never changed or deleted'
		USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER neighbourhood_history_append_only BEFORE UPDATE OR DELETE ON neighbourhood_history
	FOR EACH ROW EXECUTE FUNCTION neighbourhood_history_append_only();

-- Census sections (ISTAT sezioni di censimento) with their residents live in census_section,
-- created by 0010_coverage.sql; `npm run import:sections` fills it.
