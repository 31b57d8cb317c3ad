-- Coverage for planners (issue 11): which rioni lack which help. The same SQL on PGlite and on a
-- PostGIS server. Distances are straight-line metres in EPSG:32632 (UTM 32N): over Lombardy the
-- projection's scale error is under 0.05 % (less than the sphere/spheroid gap), and planar distances
-- are several times cheaper than geography ones (see db/migrations/0010_coverage.sql).
-- The walking minutes are never computed here: the caller turns minutes into metres and back with
-- src/lib/domain/walking.ts, the one walking model of the project.
--
-- Two walking bases (coverage_state.walk_basis):
--   estimate  no walkable network imported: straight-line metres measured here, radii the straight
--             lines of 10/15/20 minutes' estimate (straight line × 1.3 at 75 m a minute);
--   route     a network imported (migration 0027): metres walked, radii 10/15/20 minutes at 75 m a
--             minute. The walks come from the one walking function in Node
--             (src/lib/server/territory/walk-network.ts: along the network where it joins the two
--             points, else the estimate), stored pin location → cell in coverage_walk (migration
--             0031) by the refresh, plus each cell's nearest walk passed in as arrays; the `_walked`
--             functions and the p_walked arguments below read them instead of measuring.
--
--   coverage_build_grid    the hexagonal grid, each cell's rione, settled flag and residents (VOLATILE)
--   coverage_pins          the public pins offering a need under a variant (when, audience, capacity,
--                          hidden pins)
--   coverage_cell_reach    per cell: nearest pin and pins within three radii, for a variant, with
--                          hypothetical pins added
--   coverage_store_cell_needs  the same for the base view of every need, with each cell's 2SFCA
--                          access, written to coverage_cell_need by the refresh (region-sized:
--                          indexed nearest pin)
--   coverage_rioni         per rione and for the city: resources, per 1,000, share within reach,
--                          population-weighted percentiles, 2SFCA, gap rank
--   coverage_walk_pairs, coverage_cell_reach_walked, coverage_store_cell_needs_walked
--                          the same figures on the route basis, from coverage_walk
--   coverage_scenario      "what if" on either basis

-- ---------------------------------------------------------------------------------------------
-- The pins that count as settlement anchors: bus and rail stops, schools, pharmacies. A pharmacy is
-- a public pin of the regional pharmacy register (source regione-lombardia-farmacie, see
-- db/seed/lecco/farmacie.directory.json), or a health service whose name starts with "Farmacia"
-- (a pharmacy a partner entered by hand).
DROP FUNCTION IF EXISTS coverage_anchors;
CREATE FUNCTION coverage_anchors() RETURNS TABLE (kind text, geom geometry)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT 'stop', s.geom FROM transit_stop s
	UNION ALL
	SELECT 'school', r.geom FROM public_resource r WHERE r.category = 'school'
	UNION ALL
	SELECT 'pharmacy', r.geom FROM public_resource r
	WHERE r.source_id = 'regione-lombardia-farmacie' OR (r.category = 'health' AND fold_text(r.name) LIKE 'farmacia%')
$$;

COMMENT ON FUNCTION coverage_anchors IS
	'Settlement anchors: transit stops, school pins, pharmacy pins (regional register or a health service named Farmacia…). See db/functions/coverage.sql.';

-- ---------------------------------------------------------------------------------------------
-- coverage_build_grid: replaces coverage_cell with a hexagonal grid of cells p_across_m across
-- (corner to corner: ST_HexagonGrid's size is the side, half of that), laid in EPSG:32632 (UTM 32N,
-- metres) over the served comune and the rioni, keeping the hexagons that touch them. Each cell:
--   rione     the rione containing its centre, the lowest id on a shared boundary;
--   settled   its centre within p_settle_m (400 m) of a settlement anchor (coverage_anchors), so
--             that nobody "lives" on the Resegone;
--   residents with census sections (census_section has rows): each section's residents spread
--             equally over its settled cells (the cells whose centre lies in it, lowest code on a
--             boundary), over all its cells if none is settled, or given to the cell nearest the
--             section when no cell centre lies in it; residents_source 'census'.
--             Otherwise each rione's current register figure (rione_population_current, matched
--             by name) spread equally over the rione's settled cells, or over all its cells if none
--             is settled; residents_source 'register'. A rione without a figure gives 0 (source
--             NULL), and so does a cell outside every rione.
-- Over a region (the area would hold more than p_max_cells, 250,000 cells; Lecco has about 7,000)
-- only the cells that can have residents are laid: the settled ones and those in a rione. They are
-- the same hexagons (same lattice, same flags and residents) as the full grid's; the others would
-- only multiply the work (a 1.2-million-cell grid of Lombardy did not finish) where nobody lives.
-- Ids follow the grid's columns and rows, so the same data gives the same ids on both backends.
-- Returns the number of cells.
DROP FUNCTION IF EXISTS coverage_build_grid;
CREATE FUNCTION coverage_build_grid(
	p_across_m double precision,
	p_settle_m double precision DEFAULT 400,
	p_max_cells integer DEFAULT 250000
) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET jit = off
SET work_mem = '64MB'
AS $$
DECLARE
	n integer;
	area geometry;
	region boolean;
	index_defs text[];
	index_names text[];
	k integer;
BEGIN
	IF p_across_m IS NULL OR p_across_m < 10 THEN
		RAISE EXCEPTION 'cell size % m: at least 10 m', p_across_m USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- The figures of the old cells go with them (derived data, no foreign key between the two).
	-- TRUNCATE, not DELETE: the new rows then go into empty tables and indexes instead of beside
	-- 7,000 + 115,000 dead ones that every later step of the refresh stepped over (a sixth of the
	-- refresh with a new grid, measured). The price: TRUNCATE locks both tables until the refresh
	-- commits, so on PostGIS the readers of the cells (the cells API, "what if", variants computed on
	-- request) wait for a grid rebuild (about a second for Lecco), which happens only when the grid's
	-- inputs change (coverage_grid_key: boundaries, anchors, population). A refresh that keeps the
	-- grid (a directory edit) deletes the needs' rows instead, and readers go on meanwhile.
	TRUNCATE coverage_cell_need, coverage_cell;

	-- One shape, so the tests below run against one prepared geometry.
	SELECT ST_Union(g) INTO area FROM (
		SELECT ST_Transform(geom, 32632) AS g FROM administrative_area WHERE served
		UNION ALL
		SELECT ST_Transform(geom, 32632) FROM neighbourhood
	) parts;
	-- A hexagon of side s covers 3√3/2 s².
	region := coalesce(ST_Area(area) / (3 * sqrt(3) / 2 * (p_across_m / 2) ^ 2) > p_max_cells, false);

	-- Everything is worked out on staging tables and written to coverage_cell in one insert: updating
	-- the cells in place (rione, then settled, then residents) left three dead versions of every row
	-- in its three spatial indexes, which every later query of the refresh had to step over.
	-- The hexagons: over the whole area, or over a region only the lattice's hexagons around each
	-- anchor whose centre is within p_settle_m of it (the settled cells, each found from an anchor it
	-- is near) and those whose centre is in a rione. Numbered in the grid's column and row order.
	CREATE TEMP TABLE coverage_hex (g geometry, i integer, j integer) ON COMMIT DROP;
	IF NOT region THEN
		INSERT INTO coverage_hex
		SELECT h.geom, h.i, h.j FROM ST_HexagonGrid(p_across_m / 2, area) h WHERE ST_Intersects(area, h.geom);
	ELSE
		INSERT INTO coverage_hex
		SELECT DISTINCT ON (near.i, near.j) near.g, near.i, near.j FROM (
			SELECT h.geom AS g, h.i, h.j
			FROM (SELECT ST_Transform(a.geom, 32632) AS p FROM coverage_anchors() a) anchor
			CROSS JOIN LATERAL ST_HexagonGrid(p_across_m / 2, ST_Expand(anchor.p, p_settle_m)) h
			WHERE ST_DWithin(ST_Centroid(h.geom), anchor.p, p_settle_m) AND ST_Intersects(area, h.geom)
			UNION ALL
			-- The cells placed in a rione below: the same test on the centre, rione by rione.
			SELECT h.geom, h.i, h.j
			FROM (SELECT ST_Transform(ST_Union(geom), 32632) AS g FROM neighbourhood) rioni
			CROSS JOIN LATERAL ST_HexagonGrid(p_across_m / 2, rioni.g) h
			WHERE EXISTS (SELECT 1 FROM neighbourhood nb WHERE ST_Intersects(nb.geom, ST_Transform(ST_Centroid(h.geom), 4326)))
		) near ORDER BY near.i, near.j;
	END IF;
	CREATE TEMP TABLE coverage_stage ON COMMIT DROP AS
	SELECT hex.id, hex.g, hex.c, ST_Transform(hex.c, 4326) AS centre
	FROM (SELECT (row_number() OVER (ORDER BY i, j))::integer AS id, g, ST_Centroid(g) AS c FROM coverage_hex) hex;
	CREATE INDEX ON coverage_stage USING gist (c);
	CREATE INDEX ON coverage_stage USING gist (centre);
	ANALYZE coverage_stage;

	CREATE TEMP TABLE coverage_placed ON COMMIT DROP AS
	SELECT st.id, placed.neighbourhood_id, placed.rione, near.id IS NOT NULL AS settled
	FROM coverage_stage st
	-- From each anchor to the cells around it, on the centre index: no cell × anchor pairs. A join,
	-- not IN (…): over a region the set outgrew work_mem and IN ran it again for every cell.
	LEFT JOIN (
		SELECT DISTINCT s2.id FROM coverage_anchors() a
		JOIN coverage_stage s2 ON ST_DWithin(s2.c, ST_Transform(a.geom, 32632), p_settle_m)
	) near ON near.id = st.id
	LEFT JOIN (
		-- Each rione → the cell centres inside it (on the centre index, one prepared polygon at a
		-- time); the lowest id wins on a shared boundary, as for a location (set_location_places).
		SELECT DISTINCT ON (s1.id) s1.id AS cell_id, nb.id AS neighbourhood_id, nb.name AS rione
		FROM neighbourhood nb JOIN coverage_stage s1 ON ST_Intersects(nb.geom, s1.centre)
		ORDER BY s1.id, nb.id
	) placed ON placed.cell_id = st.id;
	CREATE UNIQUE INDEX ON coverage_placed (id);
	ANALYZE coverage_placed;

	CREATE TEMP TABLE coverage_people (id integer PRIMARY KEY, residents double precision, residents_source text) ON COMMIT DROP;
	IF EXISTS (SELECT 1 FROM census_section) THEN
		INSERT INTO coverage_people
		WITH owner AS (
			-- Each cell in at most one section: the lowest code on a shared boundary.
			SELECT DISTINCT ON (st.id) st.id AS cell_id, s.code, p.settled
			FROM coverage_stage st JOIN census_section s ON ST_Intersects(s.geom, st.centre)
			JOIN coverage_placed p ON p.id = st.id
			ORDER BY st.id, s.code
		),
		orphan AS (
			-- A section no cell centre falls in (smaller than a cell): its nearest cell takes it.
			SELECT s.code, nearest.id AS cell_id
			FROM census_section s
			CROSS JOIN LATERAL (
				SELECT st.id FROM coverage_stage st
				ORDER BY st.c <-> ST_Transform(ST_PointOnSurface(s.geom), 32632) LIMIT 1
			) nearest
			WHERE NOT EXISTS (SELECT 1 FROM owner o WHERE o.code = s.code)
		),
		members AS (
			SELECT code, cell_id,
				CASE WHEN bool_or(settled) OVER (PARTITION BY code) THEN settled ELSE true END AS takes
			FROM owner
			UNION ALL
			SELECT code, cell_id, true FROM orphan
		),
		share AS (
			SELECT m.cell_id, s.residents::double precision / count(*) OVER (PARTITION BY m.code) AS residents
			FROM members m JOIN census_section s ON s.code = m.code
			WHERE m.takes
		)
		-- Every cell's source is the census; a cell no section gives residents has 0.
		SELECT share.cell_id, sum(share.residents), 'census' FROM share GROUP BY share.cell_id;
	ELSE
		INSERT INTO coverage_people
		WITH counted AS (
			SELECT p.id, p.rione, p.settled,
				count(*) FILTER (WHERE p.settled) OVER (PARTITION BY p.neighbourhood_id) AS settled_cells,
				count(*) OVER (PARTITION BY p.neighbourhood_id) AS all_cells
			FROM coverage_placed p
			WHERE p.neighbourhood_id IS NOT NULL
		)
		SELECT k.id,
			CASE
				WHEN k.settled_cells > 0 AND NOT k.settled THEN 0
				WHEN k.settled_cells > 0 THEN fig.residents::double precision / k.settled_cells
				ELSE fig.residents::double precision / k.all_cells END,
			'register'
		FROM counted k JOIN rione_population_current fig ON fig.rione = k.rione;
	END IF;

	-- A region's hundreds of thousands of cells: inserted one by one into the spatial indexes they
	-- took half the grid's time; built afterwards, sorted, a fraction of it. The definitions are read
	-- back from the catalogue, so the migrations stay their one source. (Readers already wait: the
	-- TRUNCATE above locks the table until the refresh commits.)
	IF region THEN
		SELECT array_agg(indexdef), array_agg(indexname) INTO index_defs, index_names
		FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'coverage_cell' AND indexname <> 'coverage_cell_pkey';
		FOR k IN 1 .. coalesce(array_length(index_names, 1), 0) LOOP
			EXECUTE format('DROP INDEX %I', index_names[k]);
		END LOOP;
	END IF;
	INSERT INTO coverage_cell (id, geom, centre, centre_m, x_m, y_m, neighbourhood_id, rione, settled, residents, residents_source)
	SELECT st.id, ST_Transform(st.g, 4326), st.centre, st.c, ST_X(st.c), ST_Y(st.c), p.neighbourhood_id, p.rione, p.settled,
		coalesce(pe.residents, 0),
		CASE WHEN pe.residents_source IS NOT NULL THEN pe.residents_source
			WHEN EXISTS (SELECT 1 FROM census_section) THEN 'census' END
	FROM coverage_stage st JOIN coverage_placed p ON p.id = st.id
	LEFT JOIN coverage_people pe ON pe.id = st.id;
	IF region THEN
		FOR k IN 1 .. coalesce(array_length(index_defs, 1), 0) LOOP
			EXECUTE index_defs[k];
		END LOOP;
	END IF;
	DROP TABLE coverage_hex, coverage_stage, coverage_placed, coverage_people;
	-- Statistics for the refresh's own queries, on the columns they join and filter on: the geometry
	-- columns' histograms (geom, centre) took half of the ANALYZE's time and only the readers after
	-- the commit use them (the refresh's VACUUM (ANALYZE) gives them theirs).
	ANALYZE coverage_cell (id, neighbourhood_id, residents, centre_m);

	SELECT count(*) INTO n FROM coverage_cell;
	RETURN n;
END $$;

COMMENT ON FUNCTION coverage_build_grid IS
	'Rebuilds coverage_cell: hexagons p_across_m across in EPSG:32632 over the served comune and rioni, each with its rione, settled flag (within p_settle_m of a stop, school or pharmacy) and residents (register figure per rione, or census sections). See db/functions/coverage.sql.';

-- ---------------------------------------------------------------------------------------------
-- coverage_grid_key: a digest of everything coverage_build_grid reads (the served comune, the
-- rioni, the settlement anchors, the register figures, the census sections) and of its arguments.
-- The refresh stores it with the grid (coverage_state.grid_key) and keeps the grid while it is
-- unchanged: a directory edit (a pin's needs, hours, capacity) then costs only the needs' figures.
-- 'grid 2' names the rules of coverage_build_grid: change it with them, so a new rule rebuilds.
DROP FUNCTION IF EXISTS coverage_grid_key;
CREATE FUNCTION coverage_grid_key(p_across_m double precision, p_settle_m double precision DEFAULT 400)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT md5(concat_ws(E'\n', 'grid 2', p_across_m::text, p_settle_m::text,
		(SELECT string_agg(istat_code || ' ' || md5(ST_AsEWKB(geom)::text), ',' ORDER BY istat_code)
			FROM administrative_area WHERE served),
		(SELECT string_agg(id || ' ' || name || ' ' || md5(ST_AsEWKB(geom)::text), ',' ORDER BY id) FROM neighbourhood),
		(SELECT md5(string_agg(ST_AsEWKB(geom)::text, ',' ORDER BY ST_AsEWKB(geom)::text)) FROM coverage_anchors()),
		(SELECT string_agg(rione || ' ' || residents, ',' ORDER BY rione) FROM rione_population_current),
		(SELECT md5(string_agg(code || ' ' || residents || ' ' || md5(ST_AsEWKB(geom)::text), ',' ORDER BY code))
			FROM census_section)))
$$;

COMMENT ON FUNCTION coverage_grid_key IS
	'Digest of the inputs of coverage_build_grid (served comune, rioni, anchors, register figures, census sections, cell size): the refresh keeps the grid while it is unchanged. See db/functions/coverage.sql.';

-- ---------------------------------------------------------------------------------------------
-- coverage_pins: the public pins (public_resource: active services at shown points) offering
-- p_need, under a variant:
--   p_when       'any'; 'evening': an opening interval starting Monday to Friday (in Rome) that
--                ends after 18:00 of its day; 'weekend': an interval starting on Saturday or Sunday.
--                Decided on the expanded intervals (the coming 8 days), so holidays count as they
--                fall; a pin without known hours never counts for 'evening' or 'weekend'.
--   p_accepting  only pins not known to be full (accepting_new is not false);
--   p_audience   only pins serving that audience or everyone;
--   p_hide       pins (public_resource ids) left out, for "what if".
-- supply: the service's capacity where known, else 1 (the 2SFCA supply).
DROP FUNCTION IF EXISTS coverage_pins;
CREATE FUNCTION coverage_pins(
	p_need text,
	p_when text DEFAULT 'any',
	p_accepting boolean DEFAULT false,
	p_audience text DEFAULT NULL,
	p_hide uuid[] DEFAULT NULL
) RETURNS TABLE (id uuid, geom geometry, neighbourhood text, supply double precision, capacity_known boolean, location_id uuid)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	-- From the need's services (service_need, one row per service and need) to their pins: the
	-- other way round the planner scanned every pin once per need.
	SELECT r.id, r.geom, r.neighbourhood, coalesce(s.capacity, 1)::double precision, s.capacity IS NOT NULL, sal.location_id
	FROM service_need sn
	JOIN public_resource r ON r.service_id = sn.service_id
	JOIN service s ON s.id = r.service_id
	JOIN service_at_location sal ON sal.id = r.id
	WHERE sn.need = p_need
		AND (p_hide IS NULL OR r.id <> ALL (p_hide))
		AND (NOT p_accepting OR r.accepting_new IS DISTINCT FROM false)
		AND (p_audience IS NULL OR EXISTS (
			SELECT 1 FROM service_audience sa
			WHERE sa.service_id = r.service_id AND (sa.audience = p_audience OR sa.audience = 'everyone')))
		AND (coalesce(p_when, 'any') = 'any' OR EXISTS (
			SELECT 1 FROM opening_interval oi
			WHERE oi.opening_hours_id = r.opening_hours_id
				AND CASE p_when
					WHEN 'evening' THEN extract(isodow FROM lower(oi.during) AT TIME ZONE 'Europe/Rome') BETWEEN 1 AND 5
						AND upper(oi.during) AT TIME ZONE 'Europe/Rome'
							> (lower(oi.during) AT TIME ZONE 'Europe/Rome')::date + time '18:00'
					WHEN 'weekend' THEN extract(isodow FROM lower(oi.during) AT TIME ZONE 'Europe/Rome') IN (6, 7)
					ELSE false END))
$$;

COMMENT ON FUNCTION coverage_pins IS
	'Public pins offering a need under a planning variant (evening / weekend hours, accepting new people, audience, hidden pins), with their 2SFCA supply. See db/functions/coverage.sql.';

-- ---------------------------------------------------------------------------------------------
-- coverage_cell_reach: for every cell, the straight-line metres to the nearest pin offering p_need
-- (coverage_pins under the variant, plus the hypothetical points p_add), NULL when there is none,
-- and how many lie within each of the three radii p_radii (metres, ascending).
-- Index-driven: each pin finds the cells within the largest radius on the centre index
-- (coverage_cell_centre_m_idx, candidates by bounding box), measured as sqrt(dx² + dy²) on the
-- stored planar coordinates (x_m, y_m: the figure ST_Distance gives, without two geometry calls per
-- candidate); that gives the counts and the nearest for every cell some pin reaches. The cells beyond every pin's largest radius get the nearest another way:
--   - up to 256 pins: against all of them at once, as one multipoint (a single C loop per cell, no
--     cell × pin rows) — a rare need, where a nearest-neighbour scan would walk most locations;
--   - more: a nearest-neighbour scan of the public-point index (location_public_geog_idx, as
--     match_resources), keeping the locations of the chosen pins as the scan goes, and the
--     hypothetical points compared directly. The scan orders by great-circle distance; the metres
--     reported are planar to the pin it finds (the two orders can differ only between pins within
--     0.3 % of each other's distance).
DROP FUNCTION IF EXISTS coverage_cell_reach;
CREATE FUNCTION coverage_cell_reach(
	p_need text,
	p_radii double precision[],
	p_when text DEFAULT 'any',
	p_accepting boolean DEFAULT false,
	p_audience text DEFAULT NULL,
	p_hide uuid[] DEFAULT NULL,
	p_add geometry[] DEFAULT NULL
) RETURNS TABLE (cell_id integer, nearest_m double precision, within integer[])
LANGUAGE sql STABLE PARALLEL SAFE
-- The plans cost enough to wake PostgreSQL's JIT, whose compilation took longer (~0.8 s) than the
-- whole query; PGlite has no JIT and accepts the setting.
SET jit = off
SET work_mem = '64MB'
AS $$
	WITH pin AS MATERIALIZED (
		SELECT found.g, ST_X(found.g) AS x, ST_Y(found.g) AS y, found.location_id FROM (
			SELECT ST_Transform(p.geom, 32632) AS g, p.location_id FROM coverage_pins(p_need, p_when, p_accepting, p_audience, p_hide) p
			UNION ALL
			SELECT ST_Transform(a, 32632), NULL FROM unnest(p_add) a
		) found
	),
	-- Not DISTINCT: the planner would guess 200 rows for it, and then ran the nearest pin below as
	-- "every one of the need's locations, sorted by distance" for each cell instead of an index scan.
	located AS MATERIALIZED (SELECT pin.location_id FROM pin WHERE pin.location_id IS NOT NULL),
	many AS MATERIALIZED (SELECT count(*) > 256 AS yes FROM pin),
	near AS (
		SELECT c.id, sqrt((c.x_m - pin.x) * (c.x_m - pin.x) + (c.y_m - pin.y) * (c.y_m - pin.y)) AS d
		FROM pin JOIN coverage_cell c ON c.centre_m && ST_Expand(pin.g, p_radii[3])
	),
	reached AS MATERIALIZED (
		SELECT near.id, min(near.d) AS d,
			ARRAY[count(*) FILTER (WHERE near.d <= p_radii[1]), count(*) FILTER (WHERE near.d <= p_radii[2]),
				count(*)]::integer[] AS within
		FROM near WHERE near.d <= p_radii[3] GROUP BY near.id
	),
	every AS MATERIALIZED (SELECT ST_Collect(pin.g) AS g FROM pin),
	added AS MATERIALIZED (SELECT ST_Collect(ST_Transform(a, 32632)) AS g FROM unnest(p_add) a)
	SELECT reached.id, reached.d, reached.within FROM reached
	UNION ALL
	SELECT c.id, ST_Distance(c.centre_m, every.g), ARRAY[0, 0, 0]::integer[]
	FROM coverage_cell c CROSS JOIN every CROSS JOIN many
	WHERE NOT many.yes AND NOT EXISTS (SELECT 1 FROM reached WHERE reached.id = c.id)
	UNION ALL
	SELECT c.id,
		least(
			(SELECT ST_Distance(ST_Transform(l.public_geom, 32632), c.centre_m) FROM location l
			WHERE l.public_geom IS NOT NULL AND (l.id IN (SELECT located.location_id FROM located)) IS TRUE
			ORDER BY l.public_geom::geography <-> c.centre::geography
			LIMIT 1),
			ST_Distance(c.centre_m, added.g)),
		ARRAY[0, 0, 0]::integer[]
	FROM coverage_cell c CROSS JOIN added CROSS JOIN many
	WHERE many.yes AND NOT EXISTS (SELECT 1 FROM reached WHERE reached.id = c.id)
$$;

COMMENT ON FUNCTION coverage_cell_reach IS
	'Per coverage cell: straight-line metres to the nearest pin offering a need (variant, hidden and hypothetical pins) and the pins within three radii. See db/functions/coverage.sql.';

-- ---------------------------------------------------------------------------------------------
-- coverage_store_cell_needs: the refresh's base view (any time, any audience, any capacity) of
-- every need of p_needs into coverage_cell_need: per cell the figures coverage_cell_reach gives
-- (the same sums on the same stored coordinates), and the cell's 2SFCA access that coverage_rioni
-- then reads (p_stored) instead of enumerating the pin → cell pairs a second time. Built the way a
-- region needs:
--   - the pins of all the needs selected once, into a staging table (coverage_pin_stage);
--   - then in batches, each batch's pins copied to a small table with a planar GiST index of its
--     own (coverage_need_pin) and written by one statement. A batch is either every need with at
--     most 256 pins together (all 16 needs of Lecco: one statement instead of 16, with their plans
--     and analyses), or one need with more pins alone;
--   - the cells within the largest radius of a pin found pin → cells on the centre index as in
--     coverage_cell_reach, the pins' order kept through the join so that each pin's sums below
--     need no sort of the pairs; every other cell's nearest pin against the multipoint of the
--     need's pins (up to 256, as coverage_cell_reach), or alone in its batch by a nearest-neighbour
--     scan of that index (ORDER BY g <-> centre_m LIMIT 1, exact for points), one short index walk
--     per cell instead of "every pin, sorted" or a scan of the shared public-point index filtered
--     by membership (90 s for one need of the 200,000-pin region);
--   - 2SFCA per cell and radius (sfca_10/15/20): each pin's supply divided by the residents of the
--     inhabited cells within that radius of it (a window over the pin's pairs), summed over the
--     pins within that radius of the cell; 0 when there is none. Cells without residents get what
--     a resident there would reach; coverage_rioni weights by residents, so only the others count.
-- The nearest metres are the planar minimum over the need's pins, the figure coverage_cell_reach
-- gives up to 256 pins (its multipoint: the same point-to-point distances); above that,
-- coverage_cell_reach orders by great-circle distance and can pick another pin within 0.3 % of the
-- nearest's distance, this one cannot. Returns the number of rows written. VOLATILE (it writes);
-- the caller deletes the old rows.
DROP FUNCTION IF EXISTS coverage_store_cell_needs;
CREATE FUNCTION coverage_store_cell_needs(p_needs text[], p_radii double precision[]) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET jit = off
SET work_mem = '64MB'
AS $$
DECLARE
	batch text[];
	many boolean;
	written integer;
	total integer := 0;
	index_defs text[];
	index_names text[];
	k integer;
BEGIN
	-- A table empty on disk was truncated by coverage_build_grid in this transaction (locked until
	-- the commit: readers wait anyway) or never filled: its index is built after the insert, sorted,
	-- instead of taking the rows one by one (a quarter of the insert's time). After a DELETE (the
	-- grid kept) the dead rows still fill its pages, and the index stays, so readers go on.
	IF pg_relation_size('coverage_cell_need') = 0 THEN
		SELECT array_agg(indexdef), array_agg(indexname) INTO index_defs, index_names
		FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'coverage_cell_need';
		FOR k IN 1 .. coalesce(array_length(index_names, 1), 0) LOOP
			EXECUTE format('DROP INDEX %I', index_names[k]);
		END LOOP;
	END IF;
	CREATE TEMP TABLE coverage_pin_stage ON COMMIT DROP AS
	SELECT w.need, ST_Transform(p.geom, 32632) AS g, p.supply
	FROM (SELECT DISTINCT need FROM unnest(p_needs) AS u(need)) w CROSS JOIN LATERAL coverage_pins(w.need) p;
	CREATE INDEX ON coverage_pin_stage (need);
	CREATE TEMP TABLE coverage_need_pin (need text, pin_no integer, g geometry, x double precision, y double precision,
		supply double precision) ON COMMIT DROP;
	CREATE INDEX ON coverage_need_pin USING gist (g);
	FOR batch, many IN
		SELECT array_agg(w.need ORDER BY w.need), bool_or(w.pins > 256)
		FROM (
			SELECT u.need, (SELECT count(*) FROM coverage_pin_stage s WHERE s.need = u.need) AS pins
			FROM (SELECT DISTINCT need FROM unnest(p_needs) AS u(need)) u
		) w
		GROUP BY CASE WHEN w.pins > 256 THEN w.need END
		ORDER BY 2, 1
	LOOP
		TRUNCATE coverage_need_pin;
		INSERT INTO coverage_need_pin
		SELECT s.need, row_number() OVER (ORDER BY s.need), s.g, ST_X(s.g), ST_Y(s.g), s.supply
		FROM coverage_pin_stage s WHERE s.need = ANY (batch);
		ANALYZE coverage_need_pin;
		INSERT INTO coverage_cell_need (need, cell_id, nearest_m, within_10, within_15, within_20, sfca_10, sfca_15, sfca_20)
		WITH near AS (
			SELECT pin.need, pin.pin_no, pin.supply, c.id, c.residents,
				sqrt((c.x_m - pin.x) * (c.x_m - pin.x) + (c.y_m - pin.y) * (c.y_m - pin.y)) AS d
			FROM (SELECT * FROM coverage_need_pin ORDER BY pin_no) pin
			JOIN coverage_cell c ON c.centre_m && ST_Expand(pin.g, p_radii[3])
		),
		-- Each pair with its pin's supply ÷ the residents within each radius of the pin (NULL: nobody).
		share AS (
			SELECT near.need, near.id, near.d,
				near.supply / sum(near.residents) FILTER (WHERE near.d <= p_radii[1] AND near.residents > 0) OVER per_pin AS r1,
				near.supply / sum(near.residents) FILTER (WHERE near.d <= p_radii[2] AND near.residents > 0) OVER per_pin AS r2,
				near.supply / sum(near.residents) FILTER (WHERE near.residents > 0) OVER per_pin AS r3
			FROM near WHERE near.d <= p_radii[3]
			WINDOW per_pin AS (PARTITION BY near.pin_no)
		),
		reached AS MATERIALIZED (
			SELECT share.need, share.id, min(share.d) AS d,
				count(*) FILTER (WHERE share.d <= p_radii[1]) AS w1, count(*) FILTER (WHERE share.d <= p_radii[2]) AS w2,
				count(*) AS w3,
				coalesce(sum(share.r1) FILTER (WHERE share.d <= p_radii[1]), 0) AS a1,
				coalesce(sum(share.r2) FILTER (WHERE share.d <= p_radii[2]), 0) AS a2,
				coalesce(sum(share.r3), 0) AS a3
			FROM share GROUP BY share.need, share.id
		),
		-- Each need of the batch with the multipoint of its pins (none alone in a batch: its index).
		every AS MATERIALIZED (
			SELECT b.need, ST_Collect(pin.g) FILTER (WHERE NOT many) AS g
			FROM unnest(batch) AS b(need) LEFT JOIN coverage_need_pin pin ON pin.need = b.need
			GROUP BY b.need
		)
		-- Every cell of every need of the batch: the reached ones with their figures, the others with
		-- the nearest pin (computed only for them: coalesce stops at the first value).
		SELECT every.need, c.id,
			coalesce(reached.d, CASE WHEN many
				THEN (SELECT ST_Distance(c.centre_m, pin.g) FROM coverage_need_pin pin ORDER BY pin.g <-> c.centre_m LIMIT 1)
				ELSE ST_Distance(c.centre_m, every.g) END),
			coalesce(reached.w1, 0), coalesce(reached.w2, 0), coalesce(reached.w3, 0),
			coalesce(reached.a1, 0), coalesce(reached.a2, 0), coalesce(reached.a3, 0)
		FROM every CROSS JOIN coverage_cell c
		LEFT JOIN reached ON reached.need = every.need AND reached.id = c.id;
		GET DIAGNOSTICS written = ROW_COUNT;
		total := total + written;
	END LOOP;
	FOR k IN 1 .. coalesce(array_length(index_defs, 1), 0) LOOP
		EXECUTE index_defs[k];
	END LOOP;
	DROP TABLE coverage_pin_stage, coverage_need_pin;
	RETURN total;
END $$;

COMMENT ON FUNCTION coverage_store_cell_needs IS
	'Writes the base view of every need per cell into coverage_cell_need (nearest pin metres, pins within three radii, 2SFCA access per radius): pins selected once, needs with up to 256 pins in one statement (nearest pin from their multipoint), others one by one (nearest-neighbour scan of their own planar index). See db/functions/coverage.sql.';

-- ---------------------------------------------------------------------------------------------
-- coverage_walk_sources (route basis): the locations walked from, one row each: every location of
-- a public pin offering some need, at its public point; approximate for a confidential place (its
-- rione's centre), which the walking function only estimates, never routes to.
DROP FUNCTION IF EXISTS coverage_walk_sources;
CREATE FUNCTION coverage_walk_sources() RETURNS TABLE (location_id uuid, geom geometry, approximate boolean)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT DISTINCT ON (sal.location_id) sal.location_id, r.geom, coalesce(r.approximate, false)
	FROM public_resource r JOIN service_at_location sal ON sal.id = r.id
	WHERE EXISTS (SELECT 1 FROM service_need sn WHERE sn.service_id = r.service_id)
	ORDER BY sal.location_id
$$;

COMMENT ON FUNCTION coverage_walk_sources IS
	'Route basis: the locations of the public pins offering some need (public point, approximate), which coverage_walk walks from. See db/functions/coverage.sql.';

-- coverage_walk_key: a digest of what coverage_walk is computed from, given the grid's key: the
-- network's import stamp and the walked locations (coverage_walk_sources). The refresh keeps the
-- walks while it equals coverage_state.walk_key. 'walks 1' names the rules: change it with them.
DROP FUNCTION IF EXISTS coverage_walk_key;
CREATE FUNCTION coverage_walk_key(p_grid_key text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT md5(concat_ws(E'\n', 'walks 1', p_grid_key,
		(SELECT imported_at::text FROM territory_import WHERE dataset = 'osm'),
		(SELECT md5(string_agg(s.location_id::text || ' ' || ST_AsText(s.geom) || ' ' || s.approximate::text, ',' ORDER BY s.location_id))
			FROM coverage_walk_sources() s)))
$$;

COMMENT ON FUNCTION coverage_walk_key IS
	'Digest of the inputs of coverage_walk (grid key, network import stamp, walked locations): the refresh keeps the walks while it is unchanged. See db/functions/coverage.sql.';

-- ---------------------------------------------------------------------------------------------
-- coverage_walk_pairs (route basis): the pin → cell walks of p_need under a variant, from
-- coverage_walk (each pin takes its location's walks; several pins at one location each count),
-- plus the walks of hypothetical points passed in as three parallel arrays (point number, cell,
-- metres walked), which the caller asked of the walking function: numbered -1, -2, … with supply 1.
-- Only walks up to the longest radius the refresh stored (20 minutes) are there.
DROP FUNCTION IF EXISTS coverage_walk_pairs;
CREATE FUNCTION coverage_walk_pairs(
	p_need text,
	p_when text DEFAULT 'any',
	p_accepting boolean DEFAULT false,
	p_audience text DEFAULT NULL,
	p_hide uuid[] DEFAULT NULL,
	p_add_no integer[] DEFAULT NULL,
	p_add_cell integer[] DEFAULT NULL,
	p_add_m double precision[] DEFAULT NULL
) RETURNS TABLE (pin_no bigint, supply double precision, cell_id integer, d double precision)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT p.pin_no, p.supply, w.cell_id, w.walk_m
	FROM (
		SELECT row_number() OVER () AS pin_no, cp.location_id, cp.supply
		FROM coverage_pins(p_need, p_when, p_accepting, p_audience, p_hide) cp
	) p
	JOIN coverage_walk w ON w.location_id = p.location_id
	UNION ALL
	SELECT -a.k::bigint, 1::double precision, a.cell, a.m
	FROM unnest(p_add_no, p_add_cell, p_add_m) AS a(k, cell, m)
$$;

COMMENT ON FUNCTION coverage_walk_pairs IS
	'Route basis: the walks (metres) from the pins of a need under a variant, and from hypothetical points passed in, to the cells within 20 minutes (coverage_walk). See db/functions/coverage.sql.';

-- ---------------------------------------------------------------------------------------------
-- coverage_cell_reach_walked (route basis): coverage_cell_reach's answer from the walks: per cell
-- the metres of the shortest walk to a pin (passed in, p_nearest_cell / p_nearest_m: the walking
-- function's multi-source search finds it at any distance; NULL when no pin offers the need) and
-- how many pins (coverage_walk_pairs) lie within each radius of p_radii (metres walked).
DROP FUNCTION IF EXISTS coverage_cell_reach_walked;
CREATE FUNCTION coverage_cell_reach_walked(
	p_need text,
	p_radii double precision[],
	p_nearest_cell integer[],
	p_nearest_m double precision[],
	p_when text DEFAULT 'any',
	p_accepting boolean DEFAULT false,
	p_audience text DEFAULT NULL,
	p_hide uuid[] DEFAULT NULL,
	p_add_no integer[] DEFAULT NULL,
	p_add_cell integer[] DEFAULT NULL,
	p_add_m double precision[] DEFAULT NULL
) RETURNS TABLE (cell_id integer, nearest_m double precision, within integer[])
LANGUAGE sql STABLE PARALLEL SAFE
SET jit = off
SET work_mem = '64MB'
AS $$
	WITH counted AS MATERIALIZED (
		SELECT w.cell_id, count(*) FILTER (WHERE w.d <= p_radii[1]) AS w1, count(*) FILTER (WHERE w.d <= p_radii[2]) AS w2,
			count(*) FILTER (WHERE w.d <= p_radii[3]) AS w3
		FROM coverage_walk_pairs(p_need, p_when, p_accepting, p_audience, p_hide, p_add_no, p_add_cell, p_add_m) w
		GROUP BY w.cell_id
	),
	nearest AS MATERIALIZED (SELECT n.cell, n.m FROM unnest(p_nearest_cell, p_nearest_m) AS n(cell, m))
	SELECT c.id, nearest.m, ARRAY[coalesce(counted.w1, 0), coalesce(counted.w2, 0), coalesce(counted.w3, 0)]::integer[]
	FROM coverage_cell c
	LEFT JOIN nearest ON nearest.cell = c.id
	LEFT JOIN counted ON counted.cell_id = c.id
$$;

COMMENT ON FUNCTION coverage_cell_reach_walked IS
	'Route basis: per coverage cell the shortest walk to a pin (passed in) and the pins within three radii of metres walked (coverage_walk). See db/functions/coverage.sql.';

-- ---------------------------------------------------------------------------------------------
-- coverage_store_cell_needs_walked (route basis): coverage_store_cell_needs from the walks. Per
-- need of p_needs and cell: the shortest walk to a pin (passed in: p_nearest_need / _cell / _m,
-- NULL where the need has no pin), the pins within each radius of metres walked, and the 2SFCA
-- access per radius, with the same sums as coverage_store_cell_needs (each pin's supply over the
-- residents of the cells within that radius of it, summed over the pins within that radius of the
-- cell). Returns the number of rows written; the caller deletes the old rows.
DROP FUNCTION IF EXISTS coverage_store_cell_needs_walked;
CREATE FUNCTION coverage_store_cell_needs_walked(
	p_needs text[],
	p_radii double precision[],
	p_nearest_need text[],
	p_nearest_cell integer[],
	p_nearest_m double precision[]
) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET jit = off
SET work_mem = '64MB'
-- The planner cannot estimate the pairs' rows (it guessed 900 for 45,000) and joined them to the
-- cells by a merge join that re-read them 700,000 times; a hash join reads them once.
SET enable_mergejoin = off
AS $$
DECLARE
	written integer;
BEGIN
	INSERT INTO coverage_cell_need (need, cell_id, nearest_m, within_10, within_15, within_20, sfca_10, sfca_15, sfca_20)
	WITH wanted AS MATERIALIZED (SELECT DISTINCT u.need FROM unnest(p_needs) AS u(need)),
	near AS MATERIALIZED (
		SELECT wanted.need, w.pin_no, w.supply, w.cell_id AS id, c.residents, w.d
		FROM wanted CROSS JOIN LATERAL coverage_walk_pairs(wanted.need) w
		JOIN coverage_cell c ON c.id = w.cell_id
		WHERE w.d <= p_radii[3]
	),
	share AS (
		SELECT near.need, near.id, near.d,
			near.supply / sum(near.residents) FILTER (WHERE near.d <= p_radii[1] AND near.residents > 0) OVER per_pin AS r1,
			near.supply / sum(near.residents) FILTER (WHERE near.d <= p_radii[2] AND near.residents > 0) OVER per_pin AS r2,
			near.supply / sum(near.residents) FILTER (WHERE near.residents > 0) OVER per_pin AS r3
		FROM near
		WINDOW per_pin AS (PARTITION BY near.need, near.pin_no)
	),
	reached AS MATERIALIZED (
		SELECT share.need, share.id,
			count(*) FILTER (WHERE share.d <= p_radii[1]) AS w1, count(*) FILTER (WHERE share.d <= p_radii[2]) AS w2,
			count(*) AS w3,
			coalesce(sum(share.r1) FILTER (WHERE share.d <= p_radii[1]), 0) AS a1,
			coalesce(sum(share.r2) FILTER (WHERE share.d <= p_radii[2]), 0) AS a2,
			coalesce(sum(share.r3), 0) AS a3
		FROM share GROUP BY share.need, share.id
	),
	nearest AS MATERIALIZED (
		SELECT n.need, n.cell, n.m FROM unnest(p_nearest_need, p_nearest_cell, p_nearest_m) AS n(need, cell, m)
	)
	SELECT wanted.need, c.id, nearest.m,
		coalesce(reached.w1, 0), coalesce(reached.w2, 0), coalesce(reached.w3, 0),
		coalesce(reached.a1, 0), coalesce(reached.a2, 0), coalesce(reached.a3, 0)
	FROM wanted CROSS JOIN coverage_cell c
	LEFT JOIN nearest ON nearest.need = wanted.need AND nearest.cell = c.id
	LEFT JOIN reached ON reached.need = wanted.need AND reached.id = c.id;
	GET DIAGNOSTICS written = ROW_COUNT;
	RETURN written;
END $$;

COMMENT ON FUNCTION coverage_store_cell_needs_walked IS
	'Route basis: writes the base view of every need per cell into coverage_cell_need (shortest walk passed in, pins within three radii of metres walked and 2SFCA access from coverage_walk). See db/functions/coverage.sql.';

-- ---------------------------------------------------------------------------------------------
-- coverage_rioni: per need of p_needs, per reported radius (p_within: indexes into p_radii), per
-- rione and for the city (rione NULL), under a variant:
--   residents         the rione's residents: its register figure (NULL without one), or with census
--                     sections the sum of its cells; residents_source the figure's source id (or the
--                     administrator's note), or the census sections' source
--   resources         pins offering the need in the rione (hypothetical points by the rione they
--                     fall in); the city counts the pins inside any rione
--   per_1000          resources per 1,000 residents
--   share_within      share of the residents (cells, population-weighted) whose nearest pin is within
--                     the radius; residents_within / residents_beyond the same as numbers
--   p50_m, p90_m      population-weighted median and 90th percentile of the metres to the nearest
--                     pin: the metres of the first cell (by distance, then id) at which the running
--                     sum of residents reaches that fraction of the total; NULL when it is a cell
--                     with no pin at all. The caller maps metres to minutes (walkMinutes, monotone).
--   sfca              two-step floating catchment, catchment = the radius: each pin's supply
--                     (capacity, else 1) divided by the residents of the cells within reach of it;
--                     each cell's score the sum over the pins within reach; the rione's the
--                     population-weighted mean, per 1,000 residents. Pins with nobody within reach
--                     serve nobody.
--   gap_rank          1 = most residents beyond reach; ties by lower share, then name; NULL for a
--                     rione without residents
-- Hypothetical points p_add offer every need of p_needs. p_stored: read the cells' nearest metres
-- and 2SFCA access from coverage_cell_need instead of computing them (the refresh stores them
-- first, coverage_store_cell_needs, for the same three radii; only for the base variant): the
-- refresh then enumerates the pin → cell pairs once, not twice. Several needs and radii in one
-- call share the work: the refresh makes one call.
-- Every figure of a rione (and of the city) comes from one pass over its inhabited cells, the three
-- radii side by side: the residents within each radius, the access weighted by residents, and the
-- percentile cells (the smallest (running sum, id) at or past the fraction: the first cell in the
-- running order, as array_agg(… ORDER BY running sum, id)[1] picked it, without sorting again);
-- the radii asked for are then read from it. Joining the cells with the radii first tripled the
-- rows every later step went through.
DROP FUNCTION IF EXISTS coverage_rioni;
CREATE FUNCTION coverage_rioni(
	p_needs text[],
	p_radii double precision[],
	p_within integer[],
	p_when text DEFAULT 'any',
	p_accepting boolean DEFAULT false,
	p_audience text DEFAULT NULL,
	p_hide uuid[] DEFAULT NULL,
	p_add geometry[] DEFAULT NULL,
	p_stored boolean DEFAULT false,
	p_walked boolean DEFAULT false,
	p_add_no integer[] DEFAULT NULL,
	p_add_cell integer[] DEFAULT NULL,
	p_add_m double precision[] DEFAULT NULL,
	p_nearest_cell integer[] DEFAULT NULL,
	p_nearest_m double precision[] DEFAULT NULL
) RETURNS TABLE (
	need text,
	within_index integer,
	rione text,
	neighbourhood_id integer,
	derived boolean,
	residents double precision,
	residents_source text,
	resources integer,
	per_1000 double precision,
	share_within double precision,
	residents_within double precision,
	residents_beyond double precision,
	p50_m double precision,
	p90_m double precision,
	sfca double precision,
	gap_rank integer
)
LANGUAGE sql STABLE PARALLEL SAFE
-- The plans cost enough to wake PostgreSQL's JIT, whose compilation took longer (~0.8 s) than the
-- whole query; PGlite has no JIT and accepts the setting.
SET jit = off
SET work_mem = '64MB'
AS $$
	WITH wanted AS MATERIALIZED (SELECT DISTINCT w AS need FROM unnest(p_needs) w),
	radius AS MATERIALIZED (SELECT DISTINCT k, p_radii[k] AS m FROM unnest(p_within) k),
	pin AS MATERIALIZED (
		SELECT row_number() OVER () AS pin_no, found.*, ST_X(found.g) AS x, ST_Y(found.g) AS y FROM (
			SELECT wanted.need, ST_Transform(p.geom, 32632) AS g, p.neighbourhood, p.supply
			FROM wanted CROSS JOIN LATERAL coverage_pins(wanted.need, p_when, p_accepting, p_audience, p_hide) p
			UNION ALL
			SELECT wanted.need, ST_Transform(a, 32632),
				(SELECT nb.name FROM neighbourhood nb WHERE ST_Intersects(nb.geom, a) ORDER BY nb.id LIMIT 1), 1
			FROM wanted CROSS JOIN unnest(p_add) a
		) found
	),
	-- Pins per need and rione, counted once (not once per rione and radius).
	counted AS MATERIALIZED (
		SELECT pin.need, pin.neighbourhood, count(*)::integer AS resources FROM pin GROUP BY pin.need, pin.neighbourhood
	),
	reach AS MATERIALIZED (
		SELECT wanted.need, r.cell_id, r.nearest_m
		FROM wanted CROSS JOIN LATERAL coverage_cell_reach(wanted.need, p_radii, p_when, p_accepting, p_audience, p_hide, p_add) r
		WHERE NOT p_stored AND NOT p_walked
		UNION ALL
		SELECT wanted.need, n.cell, n.m FROM wanted CROSS JOIN unnest(p_nearest_cell, p_nearest_m) AS n(cell, m)
		WHERE NOT p_stored AND p_walked
	),
	-- Computed only (not p_stored). 2SFCA: pin → inhabited cells within the largest radius on the
	-- centre index (bounding box, then sqrt(dx² + dy²) on the stored coordinates, as in
	-- coverage_cell_reach), once. Each pair carries all three radii side by side (a radius not asked
	-- for is computed from a subset and never read): each pin's ratio per radius over its pairs (a
	-- window, not a join: the planner cannot estimate the distance filter and chose a nested loop of
	-- pairs × pins), then each cell's sums — as coverage_store_cell_needs stores them.
	-- On the route basis (p_walked, one need) the pairs are the walks of coverage_walk_pairs, and
	-- each cell's shortest walk is passed in (p_nearest_cell / p_nearest_m).
	pair AS MATERIALIZED (
		SELECT near.* FROM (
			SELECT pin.need, pin.pin_no, pin.supply, c.id AS cell_id, c.residents,
				sqrt((c.x_m - pin.x) * (c.x_m - pin.x) + (c.y_m - pin.y) * (c.y_m - pin.y)) AS d
			FROM pin JOIN coverage_cell c ON c.centre_m && ST_Expand(pin.g, (SELECT max(radius.m) FROM radius)) AND c.residents > 0
			WHERE NOT p_stored AND NOT p_walked
		) near WHERE near.d <= (SELECT max(radius.m) FROM radius)
		UNION ALL
		SELECT wanted.need, w.pin_no, w.supply, c.id, c.residents, w.d
		FROM wanted CROSS JOIN LATERAL coverage_walk_pairs(wanted.need, p_when, p_accepting, p_audience, p_hide, p_add_no, p_add_cell, p_add_m) w
		JOIN coverage_cell c ON c.id = w.cell_id AND c.residents > 0
		WHERE NOT p_stored AND p_walked AND w.d <= (SELECT max(radius.m) FROM radius)
	),
	ratio AS MATERIALIZED (
		SELECT pair.need, pair.cell_id, pair.d,
			pair.supply / sum(pair.residents) FILTER (WHERE pair.d <= p_radii[1]) OVER per_pin AS r1,
			pair.supply / sum(pair.residents) FILTER (WHERE pair.d <= p_radii[2]) OVER per_pin AS r2,
			pair.supply / sum(pair.residents) FILTER (WHERE pair.d <= p_radii[3]) OVER per_pin AS r3
		FROM pair WINDOW per_pin AS (PARTITION BY pair.need, pair.pin_no)
	),
	access AS MATERIALIZED (
		SELECT ratio.need, ratio.cell_id,
			sum(ratio.r1) FILTER (WHERE ratio.d <= p_radii[1]) AS a1,
			sum(ratio.r2) FILTER (WHERE ratio.d <= p_radii[2]) AS a2,
			sum(ratio.r3) FILTER (WHERE ratio.d <= p_radii[3]) AS a3
		FROM ratio GROUP BY ratio.need, ratio.cell_id
	),
	-- The inhabited cells of every need with their nearest metres and access per radius: stored, or
	-- computed above.
	cell AS MATERIALIZED (
		SELECT cn.need, c.id, c.neighbourhood_id, c.residents, cn.nearest_m,
			coalesce(cn.sfca_10, 0) AS a1, coalesce(cn.sfca_15, 0) AS a2, coalesce(cn.sfca_20, 0) AS a3
		FROM coverage_cell_need cn JOIN coverage_cell c ON c.id = cn.cell_id
		WHERE p_stored AND cn.need = ANY (p_needs) AND c.residents > 0
		UNION ALL
		SELECT reach.need, c.id, c.neighbourhood_id, c.residents, reach.nearest_m,
			coalesce(access.a1, 0), coalesce(access.a2, 0), coalesce(access.a3, 0)
		FROM reach JOIN coverage_cell c ON c.id = reach.cell_id
		LEFT JOIN access ON access.need = reach.need AND access.cell_id = reach.cell_id
		WHERE c.residents > 0
	),
	-- The running sums for the percentiles (a relative tolerance, so equal shares summed in another
	-- order do not step over the fraction).
	ranked AS MATERIALIZED (
		SELECT cell.*,
			sum(cell.residents) OVER (PARTITION BY cell.need, cell.neighbourhood_id ORDER BY cell.nearest_m NULLS LAST, cell.id
				ROWS UNBOUNDED PRECEDING) AS running_rione,
			sum(cell.residents) OVER (PARTITION BY cell.need, cell.neighbourhood_id) AS total_rione,
			sum(cell.residents) OVER (PARTITION BY cell.need ORDER BY cell.nearest_m NULLS LAST, cell.id
				ROWS UNBOUNDED PRECEDING) AS running_city,
			sum(cell.residents) OVER (PARTITION BY cell.need) AS total_city
		FROM cell
	),
	by_rione AS MATERIALIZED (
		SELECT r.need, r.neighbourhood_id, sum(r.residents) AS cell_residents,
			sum(r.residents) FILTER (WHERE r.nearest_m <= p_radii[1]) AS within_1,
			sum(r.residents) FILTER (WHERE r.nearest_m <= p_radii[2]) AS within_2,
			sum(r.residents) FILTER (WHERE r.nearest_m <= p_radii[3]) AS within_3,
			sum(r.a1 * r.residents) AS weighted_1, sum(r.a2 * r.residents) AS weighted_2, sum(r.a3 * r.residents) AS weighted_3,
			(min(ARRAY[r.running_rione, r.id, r.nearest_m]) FILTER (WHERE r.running_rione >= 0.5 * r.total_rione * (1 - 1e-9)))[3] AS p50_m,
			(min(ARRAY[r.running_rione, r.id, r.nearest_m]) FILTER (WHERE r.running_rione >= 0.9 * r.total_rione * (1 - 1e-9)))[3] AS p90_m
		FROM ranked r WHERE r.neighbourhood_id IS NOT NULL GROUP BY r.need, r.neighbourhood_id
	),
	by_city AS MATERIALIZED (
		SELECT r.need, sum(r.residents) AS cell_residents,
			sum(r.residents) FILTER (WHERE r.nearest_m <= p_radii[1]) AS within_1,
			sum(r.residents) FILTER (WHERE r.nearest_m <= p_radii[2]) AS within_2,
			sum(r.residents) FILTER (WHERE r.nearest_m <= p_radii[3]) AS within_3,
			sum(r.a1 * r.residents) AS weighted_1, sum(r.a2 * r.residents) AS weighted_2, sum(r.a3 * r.residents) AS weighted_3,
			(min(ARRAY[r.running_city, r.id, r.nearest_m]) FILTER (WHERE r.running_city >= 0.5 * r.total_city * (1 - 1e-9)))[3] AS p50_m,
			(min(ARRAY[r.running_city, r.id, r.nearest_m]) FILTER (WHERE r.running_city >= 0.9 * r.total_city * (1 - 1e-9)))[3] AS p90_m
		FROM ranked r GROUP BY r.need
	),
	census AS MATERIALIZED (SELECT min(source_id) AS source_id FROM census_section),
	rione_row AS (
		SELECT wanted.need, radius.k, nb.name AS rione, nb.id AS neighbourhood_id, nb.derived,
			CASE WHEN census.source_id IS NOT NULL THEN coalesce(b.cell_residents, 0)
				ELSE fig.residents::double precision END AS residents,
			CASE WHEN census.source_id IS NOT NULL THEN census.source_id
				ELSE coalesce(fig.source_id, fig.source_note) END AS residents_source,
			coalesce(n.resources, 0) AS resources,
			b.cell_residents,
			CASE radius.k WHEN 1 THEN b.within_1 WHEN 2 THEN b.within_2 ELSE b.within_3 END AS within_residents,
			CASE radius.k WHEN 1 THEN b.weighted_1 WHEN 2 THEN b.weighted_2 ELSE b.weighted_3 END AS access_weighted,
			b.p50_m, b.p90_m
		FROM wanted CROSS JOIN radius CROSS JOIN neighbourhood nb CROSS JOIN census
		LEFT JOIN rione_population_current fig ON fig.rione = nb.name
		LEFT JOIN by_rione b ON b.need = wanted.need AND b.neighbourhood_id = nb.id
		LEFT JOIN counted n ON n.need = wanted.need AND n.neighbourhood = nb.name
	),
	city_row AS (
		SELECT wanted.need, radius.k, NULL::text AS rione, NULL::integer AS neighbourhood_id, NULL::boolean AS derived,
			b.cell_residents AS residents, census.source_id AS residents_source,
			(SELECT coalesce(sum(n.resources), 0) FROM counted n WHERE n.need = wanted.need AND n.neighbourhood IS NOT NULL)::integer AS resources,
			b.cell_residents,
			CASE radius.k WHEN 1 THEN b.within_1 WHEN 2 THEN b.within_2 ELSE b.within_3 END AS within_residents,
			CASE radius.k WHEN 1 THEN b.weighted_1 WHEN 2 THEN b.weighted_2 ELSE b.weighted_3 END AS access_weighted,
			b.p50_m, b.p90_m
		FROM wanted CROSS JOIN radius CROSS JOIN census
		LEFT JOIN by_city b ON b.need = wanted.need
	),
	measured AS (
		SELECT r.need, r.k, r.rione, r.neighbourhood_id, r.derived, r.residents, r.residents_source, r.resources,
			CASE WHEN r.residents > 0 THEN r.resources * 1000.0 / r.residents END AS per_1000,
			CASE WHEN r.cell_residents > 0 THEN coalesce(r.within_residents, 0) / r.cell_residents END AS share_within,
			CASE WHEN r.cell_residents > 0 THEN coalesce(r.within_residents, 0) END AS residents_within,
			CASE WHEN r.cell_residents > 0 THEN r.cell_residents - coalesce(r.within_residents, 0) END AS residents_beyond,
			CASE WHEN r.cell_residents > 0 THEN r.p50_m END AS p50_m,
			CASE WHEN r.cell_residents > 0 THEN r.p90_m END AS p90_m,
			CASE WHEN r.cell_residents > 0 THEN 1000 * r.access_weighted / r.cell_residents END AS sfca
		FROM (SELECT * FROM rione_row UNION ALL SELECT * FROM city_row) r
	)
	SELECT m.*,
		(CASE WHEN m.rione IS NOT NULL AND m.residents_beyond IS NOT NULL THEN
			row_number() OVER (PARTITION BY m.need, m.k, m.rione IS NOT NULL AND m.residents_beyond IS NOT NULL
				ORDER BY m.residents_beyond DESC, m.share_within, m.rione) END)::integer
	FROM measured m
$$;

COMMENT ON FUNCTION coverage_rioni IS
	'Per need, radius, rione and for the city (rione NULL): resources, per 1,000 residents, share within reach, population-weighted p50/p90 metres, 2SFCA and gap rank, under a planning variant. See db/functions/coverage.sql.';

-- ---------------------------------------------------------------------------------------------
-- coverage_scenario: "what if" for p_need within p_radius metres (p_within: which of the three
-- stored radii, 1–3): per rione (rione NULL: the whole grid) the residents whose cell has a pin
-- within reach before (the stored base view, coverage_cell_need) and after hiding the pins p_hide
-- and adding the points p_add. Only the cells the change can touch are measured again: those
-- within reach of a hidden pin (still reached if another, kept pin is within reach) and those
-- within reach of an added point. Reads only; the stored base view must be fresh (the service
-- answers with its computed_at). On the route basis (p_walked; p_radius in metres walked) reach
-- is read from the walks: the pins' from coverage_walk, the added points' passed in (p_add_cell /
-- p_add_m: their walks of at most the longest radius, from the walking function).
DROP FUNCTION IF EXISTS coverage_scenario;
CREATE FUNCTION coverage_scenario(
	p_need text,
	p_radius double precision,
	p_within integer,
	p_hide uuid[] DEFAULT NULL,
	p_add geometry[] DEFAULT NULL,
	p_walked boolean DEFAULT false,
	p_add_cell integer[] DEFAULT NULL,
	p_add_m double precision[] DEFAULT NULL
) RETURNS TABLE (rione text, before double precision, after double precision)
LANGUAGE sql STABLE PARALLEL SAFE
SET jit = off
SET work_mem = '64MB'
AS $$
	WITH hidden AS MATERIALIZED (
		SELECT ST_Transform(p.geom, 32632) AS g FROM coverage_pins(p_need) p WHERE p.id = ANY (p_hide)
	),
	kept AS MATERIALIZED (
		SELECT ST_Transform(p.geom, 32632) AS g FROM coverage_pins(p_need, 'any', false, NULL, p_hide) p
		WHERE EXISTS (SELECT 1 FROM hidden)
	),
	lost AS MATERIALIZED (
		SELECT DISTINCT c.id FROM hidden JOIN coverage_cell c ON ST_DWithin(c.centre_m, hidden.g, p_radius)
		WHERE NOT p_walked AND NOT EXISTS (SELECT 1 FROM kept WHERE ST_DWithin(kept.g, c.centre_m, p_radius))
		UNION
		SELECT w.cell_id FROM coverage_pins(p_need) p JOIN coverage_walk w ON w.location_id = p.location_id
		WHERE p_walked AND p.id = ANY (p_hide) AND w.walk_m <= p_radius
		EXCEPT
		SELECT w.cell_id FROM coverage_pins(p_need, 'any', false, NULL, p_hide) p JOIN coverage_walk w ON w.location_id = p.location_id
		WHERE p_walked AND w.walk_m <= p_radius
	),
	gained AS MATERIALIZED (
		SELECT DISTINCT c.id FROM unnest(p_add) a JOIN coverage_cell c ON ST_DWithin(c.centre_m, ST_Transform(a, 32632), p_radius)
		WHERE NOT p_walked
		UNION
		SELECT a.cell FROM unnest(p_add_cell, p_add_m) AS a(cell, m) WHERE p_walked AND a.m <= p_radius
	),
	cell AS (
		SELECT c.rione, c.residents,
			CASE p_within WHEN 1 THEN cn.within_10 WHEN 2 THEN cn.within_15 ELSE cn.within_20 END > 0 AS was,
			c.id
		FROM coverage_cell c JOIN coverage_cell_need cn ON cn.cell_id = c.id AND cn.need = p_need
		WHERE c.residents > 0
	),
	judged AS (
		SELECT cell.rione, cell.residents, cell.was,
			(cell.was AND NOT EXISTS (SELECT 1 FROM lost WHERE lost.id = cell.id))
				OR EXISTS (SELECT 1 FROM gained WHERE gained.id = cell.id) AS now
		FROM cell
	)
	SELECT j.rione, coalesce(sum(j.residents) FILTER (WHERE j.was), 0), coalesce(sum(j.residents) FILTER (WHERE j.now), 0)
	FROM judged j WHERE j.rione IS NOT NULL GROUP BY j.rione
	UNION ALL
	SELECT NULL, coalesce(sum(j.residents) FILTER (WHERE j.was), 0), coalesce(sum(j.residents) FILTER (WHERE j.now), 0)
	FROM judged j
$$;

COMMENT ON FUNCTION coverage_scenario IS
	'What if: residents within reach per rione and for the city before (stored base view) and after hiding pins and adding points, re-measuring only the cells the change touches. See db/functions/coverage.sql.';
