-- Issue 15, item 4: planning's coverage on true walking times when a walkable network is imported
-- (`npm run import:osm`, migration 0027), the straight-line estimate otherwise.
--
-- coverage_walk: with a network, the refresh (src/lib/server/planning/coverage.ts) asks the one
-- walking function (src/lib/server/territory/walk-network.ts: a route where the network joins the
-- two points, else the estimate) for the walks of at most 20 minutes from every location of a
-- public pin to every grid cell's centre, and stores them here: metres walked (a route's length,
-- or the estimate's stretched straight line). The coverage functions (db/functions/coverage.sql,
-- the `_walked` ones) read the pin → cell pairs from it instead of measuring straight lines, for
-- the base view, the variants and "what if". Rebuilt whole by a refresh with a network when the
-- network, the grid's cells or the pins' locations changed (walk_key below), emptied by a refresh
-- without one. Derived
-- data: no foreign keys (rebuilt together with coverage_cell, as coverage_cell_need).
CREATE TABLE coverage_walk (
	location_id uuid NOT NULL,
	cell_id integer NOT NULL,
	walk_m double precision NOT NULL
);
CREATE INDEX coverage_walk_location_idx ON coverage_walk (location_id);
CREATE INDEX coverage_walk_cell_idx ON coverage_walk (cell_id);

-- Which walking basis the stored figures were computed on: 'route' (the imported network) or
-- 'estimate' (straight line × 1.3). The API returns it as walk_basis, the pages word it.
ALTER TABLE coverage_state ADD COLUMN walk_basis text NOT NULL DEFAULT 'estimate' CHECK (walk_basis IN ('route', 'estimate'));

-- The inputs coverage_walk was computed from (coverage_walk_key: the network's import stamp, the
-- grid, the pins' locations): a refresh with the same ones keeps the walks (a directory edit that
-- moves no pin: capacity, needs, hours) and only recomputes the figures from them. NULL: no walks.
ALTER TABLE coverage_state ADD COLUMN walk_key text;

-- A new network (or its removal) changes the walking times: the figures are stale.
CREATE TRIGGER walk_edge_coverage_dirty AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON walk_edge
	FOR EACH STATEMENT EXECUTE FUNCTION coverage_mark_dirty();
