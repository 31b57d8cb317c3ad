-- Vector tiles of the public resources (GET /api/tiles/{z}/{x}/{y}.mvt), written in the style of
-- CrunchyData pg_tileserv's function layers: (z, x, y, query_params json) arguments, STABLE
-- PARALLEL SAFE, the tile's envelope transformed to the table's SRID (4326) so that the GiST index
-- on location.public_geom (location_public_geom_idx) picks the rows, and a COMMENT.
--
-- Two functions, so that both backends serve the same features:
--   resource_tile_features  the features, already in tile coordinates (plain SQL: both backends);
--   resource_tiles          the same features encoded by ST_AsMVT (server only: the embedded
--                           PostGIS is compiled without protobuf-c, so there ST_AsMVT and
--                           ST_AsMVTGeom raise and the app encodes resource_tile_features itself,
--                           src/lib/server/tiles/mvt.ts).
-- Tile coordinates are computed here instead of by ST_AsMVTGeom for the same reason; for points
-- that function does no more than this (scale to the extent, flip y, round).
--
-- Public data only: rows come from the public_resource view (a confidential place at its rione's
-- label point with approximate = true; active services at placed, not removed locations), as
-- /api/resources reads them.

-- The zoom from which tiles hold one feature per resource (layer "resources"); below it, tiles
-- hold counts per cell (layer "clusters"). The app's vector source stops at this zoom (maxzoom)
-- and MapLibre over-zooms the last tiles.
CREATE OR REPLACE FUNCTION resource_tile_point_zoom() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 14 $$;

COMMENT ON FUNCTION resource_tile_point_zoom() IS
	'Zoom from which resource tiles carry single resources (layer "resources"); below it, counts per cell (layer "clusters").';

CREATE OR REPLACE FUNCTION resource_tile_features(z integer, x integer, y integer, query_params json DEFAULT '{}'::json)
RETURNS TABLE (layer text, tx integer, ty integer, properties jsonb)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	WITH placed AS (
		SELECT r.id, r.name, r.category, r.approximate, r.demo,
			(mx - ST_XMin(env)) / (ST_XMax(env) - ST_XMin(env)) * 4096 AS px,
			(ST_YMax(env) - my) / (ST_XMax(env) - ST_XMin(env)) * 4096 AS py
		FROM ST_TileEnvelope(z, x, y) AS env, public_resource r,
			-- Web Mercator (EPSG:3857, a sphere of radius 6378137 m) by its formula: what
			-- ST_Transform(geom, 3857) gives, at a fraction of the cost for the many points of a
			-- low-zoom tile.
			LATERAL (SELECT ST_X(r.geom) * 20037508.342789244 / 180 AS mx,
				ln(tan(pi() / 4 + radians(ST_Y(r.geom)) / 2)) * 6378137 AS my) AS mercator
		-- The envelope in the table's SRID, a constant of the call: an index condition on
		-- location_public_geom_idx. Single resources keep a 64-unit margin (1/64 of the tile) so a pin
		-- on an edge is drawn whole by both tiles; counts take none (each resource in one tile only).
		WHERE r.geom && ST_Transform(ST_TileEnvelope(z, x, y,
				margin => CASE WHEN z >= resource_tile_point_zoom() THEN 64.0 / 4096 ELSE 0 END), 4326)
			-- Without "category" this is constant-folded away, so it does not blur the row estimates.
			AND (query_params -> 'category' IS NULL
				OR r.category IN (SELECT json_array_elements_text(query_params -> 'category')))
	)
	SELECT 'resources', round(px)::integer, round(py)::integer,
		jsonb_build_object('id', id::text, 'name', name, 'category', category, 'approximate', approximate, 'demo', demo)
	FROM placed
	WHERE z >= resource_tile_point_zoom()
	UNION ALL
	-- Cells of 512 × 512 units (8 × 8 per tile: 64 px on the map's 512 px tiles, about the GeoJSON
	-- clusters' spacing, and at most 64 features a tile for the map to draw at every frame): one
	-- feature per non-empty cell, at the mean of its resources, with their count and their count per
	-- category (only the categories present).
	SELECT 'clusters', round(avg(px))::integer, round(avg(py))::integer,
		jsonb_build_object('count', sum(n)::integer) || jsonb_object_agg(category, n)
	FROM (
		SELECT floor(px / 512) AS cx, floor(py / 512) AS cy, category, count(*) AS n, avg(px) AS px, avg(py) AS py
		FROM placed
		WHERE z < resource_tile_point_zoom() AND px >= 0 AND px < 4096 AND py >= 0 AND py < 4096
		GROUP BY 1, 2, 3
	) per_category
	GROUP BY cx, cy
	-- A stable order: the same data gives the same bytes, so the same ETag.
	ORDER BY 3, 2, 4
$$;

COMMENT ON FUNCTION resource_tile_features(integer, integer, integer, json) IS
	'Public resources in tile z/x/y as (layer, tx, ty, properties) in tile coordinates (extent 4096, y down). From resource_tile_point_zoom(): layer "resources", one row per resource (id, name, category, approximate, demo), 64-unit margin. Below: layer "clusters", one row per 512-unit cell (count and a count per category present), no margin. query_params: {"category": [...]} keeps those categories. Used by resource_tiles (server) and by the app''s own encoder (embedded).';

CREATE OR REPLACE FUNCTION resource_tiles(z integer, x integer, y integer, query_params json DEFAULT '{}'::json)
RETURNS bytea
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
	tile bytea;
BEGIN
	-- EXECUTE plans the query with this call's values: a plan made once for any tile (what a SQL
	-- function's body gets) cannot tell a z8 tile, a quarter of the region, from a z14 one, and
	-- walks the index for the former (seconds at 200,000 resources) instead of hashing.
	EXECUTE format(
		'SELECT ST_AsMVT(f, %L, 4096, %L) FROM (SELECT ST_Point(tx, ty) AS geom, properties FROM resource_tile_features(%s, %s, %s, %L::json)) AS f',
		CASE WHEN z >= resource_tile_point_zoom() THEN 'resources' ELSE 'clusters' END, 'geom', z, x, y, query_params)
	INTO tile;
	RETURN COALESCE(tile, ''::bytea);
END $$;

COMMENT ON FUNCTION resource_tiles(integer, integer, integer, json) IS
	'Mapbox Vector Tile of the public resources in tile z/x/y (Web Mercator, extent 4096): resource_tile_features encoded by ST_AsMVT, the jsonb properties as feature attributes. Server backend only (the embedded PostGIS has no ST_AsMVT).';
