-- Where points stand: for each (lon, lat) pair, the rione it lies in and whether it is in the area
-- this instance serves (a served comune, or within margin_m metres of one; with no served comune
-- recorded, everywhere is served). The one rule behind a location's point check (server/records.ts
-- placePoint, one point) and an import's thousands of rows (server/imports, one call for all).
-- The exact test (a geography distance to a comune's outline, about a millisecond a point) is
-- left to the points near the margin's edge: a planar distance in degrees bounds the true one from
-- both sides (a degree is at most 111,700 m anywhere, and at least 110,500 m × cos(latitude) near
-- the point), so points well inside or well outside are decided by the fast planar test.
CREATE OR REPLACE FUNCTION point_facts(lons double precision[], lats double precision[], margin_m double precision)
RETURNS TABLE (i integer, neighbourhood text, served boolean)
LANGUAGE sql STABLE AS $$
	WITH p AS (
		SELECT u.i::integer AS i, ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326) AS geom
		FROM unnest(lons, lats) WITH ORDINALITY AS u(lon, lat, i)
	)
	SELECT p.i,
		(SELECT n.name FROM neighbourhood n WHERE ST_Intersects(n.geom, p.geom) ORDER BY n.name LIMIT 1),
		CASE
			WHEN NOT EXISTS (SELECT 1 FROM administrative_area WHERE served) THEN true
			WHEN EXISTS (SELECT 1 FROM administrative_area a
				WHERE a.served AND ST_DWithin(a.geom, p.geom, margin_m / 111700.0)) THEN true
			WHEN NOT EXISTS (SELECT 1 FROM administrative_area a
				WHERE a.served AND ST_DWithin(a.geom, p.geom, margin_m / (110500.0 * cos(radians(least(89.0, abs(ST_Y(p.geom)) + 1.0)))))) THEN false
			ELSE EXISTS (SELECT 1 FROM administrative_area a
				WHERE a.served AND ST_DWithin(a.geom::geography, p.geom::geography, margin_m))
		END
	FROM p
	ORDER BY p.i
$$;

COMMENT ON FUNCTION point_facts(double precision[], double precision[], double precision) IS
	'For each point (1-based i, in the order given): its rione and whether it lies in the served area (served comuni plus margin_m metres).';
