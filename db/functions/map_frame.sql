-- The first frame of the public map, drawn by the server as SVG before MapLibre is ready (and as
-- the map itself without JavaScript): the comuni and the rioni around a view, in Web Mercator
-- metres as SVG path data (ST_AsSVG: y grows downwards, i.e. it is minus the northing), simplified
-- to what a pixel can show. The page lays them out with the same fit MapLibre's fitBounds makes, so
-- the frame and the live map line up. Re-applied on every migrate.
CREATE OR REPLACE FUNCTION map_frame(west float8, south float8, east float8, north float8, tolerance_m float8)
RETURNS TABLE (layer text, name text, served boolean, path text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	-- The view and a margin of its own size on each side: a wider screen than the view's shape
	-- shows more around it, and a path cut at the view's edge would show its cut.
	WITH view AS (
		SELECT ST_Expand(ST_Transform(ST_MakeEnvelope(west, south, east, north, 4326), 3857),
			GREATEST(ST_XMax(b) - ST_XMin(b), ST_YMax(b) - ST_YMin(b))) AS box
		FROM (SELECT ST_Transform(ST_MakeEnvelope(west, south, east, north, 4326), 3857) AS b) AS projected
	),
	areas AS (
		SELECT 'comune'::text AS layer, a.name, a.served, ST_Transform(a.geom, 3857) AS geom
		FROM administrative_area a, view
		WHERE a.geom && ST_Transform(view.box, 4326)
		UNION ALL
		SELECT 'rione', n.name, true, ST_Transform(n.geom, 3857)
		FROM neighbourhood n, view
		WHERE n.geom && ST_Transform(view.box, 4326)
	)
	SELECT areas.layer, areas.name, areas.served,
		-- Rioni as their outlines (lines, not areas), so each is stroked once and never filled.
		ST_AsSVG(
			ST_SimplifyPreserveTopology(
				ST_ClipByBox2D(CASE WHEN areas.layer = 'rione' THEN ST_Boundary(areas.geom) ELSE areas.geom END, view.box),
				tolerance_m),
			0, 0) AS path
	FROM areas, view
	ORDER BY areas.layer = 'rione', areas.served, areas.name
$$;

COMMENT ON FUNCTION map_frame(float8, float8, float8, float8, float8) IS
	'SVG path data (EPSG:3857 metres, y down) of the comuni and rione outlines around a lon/lat view, simplified to tolerance_m: the server-drawn first frame of the public map.';
