-- Issue 11, the coverage refresh within its 2 s target (db/functions/coverage.sql): each cell's
-- two-step floating catchment (2SFCA) access per need and radius, stored with its other figures.
-- coverage_store_cell_needs computes it from the pin → cell pairs it already enumerates for the
-- counts, and coverage_rioni (p_stored) reads it back instead of enumerating the pairs of the
-- inhabited cells a second time (about a third of the refresh went to that second pass).
--
-- sfca_10 / sfca_15 / sfca_20: at the straight-line radius of 10, 15 and 20 walking minutes, the sum
-- over the pins within that radius of the cell of each pin's supply (capacity, else 1) divided by
-- the residents of the cells within that radius of the pin; 0 when no pin is within reach. A cell
-- without residents gets what one living there would reach (coverage_rioni weights by residents).
-- NULL only on rows written before this migration (the next refresh rewrites every row).
-- No CHECK constraints: derived figures written by one function, and each check is evaluated for
-- every one of the 115,000 rows a refresh writes.
ALTER TABLE coverage_cell_need
	ADD COLUMN sfca_10 double precision,
	ADD COLUMN sfca_15 double precision,
	ADD COLUMN sfca_20 double precision;
