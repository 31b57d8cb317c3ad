-- Issue 11, performance of the coverage refresh (db/functions/coverage.sql): the figures of all 16
-- needs within the targets (≤ 2 s on PostGIS), the grid kept when its inputs did not change, and
-- region-scale grids that finish.

-- The centre's planar coordinates (EPSG:32632 metres) as plain numbers: the pin → cell joins find
-- their candidates on the centre index and then measure sqrt(dx² + dy²) in arithmetic, the same
-- figure as ST_Distance between the points (PostGIS computes it so), without two geometry calls per
-- candidate pair (about a third of the refresh was spent in them).
ALTER TABLE coverage_cell ADD COLUMN x_m double precision, ADD COLUMN y_m double precision;
UPDATE coverage_cell SET x_m = ST_X(centre_m), y_m = ST_Y(centre_m);
ALTER TABLE coverage_cell ALTER COLUMN x_m SET NOT NULL, ALTER COLUMN y_m SET NOT NULL;

-- coverage_cell_need is rewritten whole by every refresh (about 115,000 rows for Lecco). Its primary
-- key made each insert check the deleted row with the same key (a heap visit per row), and the
-- foreign key to need ran one lookup per row: together two thirds of the insert's time. The rows
-- are derived and written only by the refresh, from the taxonomy's needs, one per cell and need
-- (storeCellNeeds in src/lib/server/db/coverage.ts), so a plain index serves the reads (per need, per cell) instead.
ALTER TABLE coverage_cell_need DROP CONSTRAINT coverage_cell_need_need_fkey;
ALTER TABLE coverage_cell_need DROP CONSTRAINT coverage_cell_need_pkey;
CREATE INDEX coverage_cell_need_idx ON coverage_cell_need (need, cell_id);

-- The 2SFCA pairs (coverage_rioni) join pins only to inhabited cells: about a third of Lecco's, and
-- far fewer over a region. This index holds only those, so each pin's scan skips the others.
CREATE INDEX coverage_cell_inhabited_idx ON coverage_cell USING gist (centre_m) WHERE residents > 0;

-- The inputs the grid was built from (coverage_grid_key): a refresh whose inputs are unchanged keeps
-- the grid and recomputes only the needs' figures. NULL: rebuild.
ALTER TABLE coverage_state ADD COLUMN grid_key text;
