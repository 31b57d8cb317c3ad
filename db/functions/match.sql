-- match_resources: from a family's needs to the nearest public help (GET /api/match, /trova-aiuto).
--
-- For each need in p_needs (in that order), the p_limit public resources nearest to p_at that offer
-- it, within p_max_distance_m (straight line, metres), optionally only:
--   p_categories  of these categories;
--   p_audiences   serving one of these audiences, or everyone (audience 'everyone');
--   p_open_now    open at p_now (a known opening interval contains it, and the service is not
--                 temporarily closed that day);
--   p_accepting   not known to be full (accepting_new is not false).
-- The nearest are found with a nearest-neighbour scan of the GiST index on the public point
-- (location_public_geog_idx); the filters run as the scan goes. Within each need the rows come
-- "available" first (not known to be closed now and not known to be full), then the others, each
-- group nearest first: a closed or full place stays in the list, after the ones that can help now.
--
-- Distances are to the public point: a confidential location counts from its rione's centre
-- (approximate = true), as everywhere public. Same SQL on PGlite and on a PostGIS server.
-- Columns: need, position (1-based, within the need), the resource's id, name, organization (its
-- name), category, distance_m
-- (spheroid, unrounded), open_now (false while temporarily closed, else null when hours are unknown;
-- the same rule as resources.ts), accepting_new (null when unknown),
-- approximate, demo, lon/lat of the public point, neighbourhood, the OSM opening_hours expression,
-- and covers: which of p_needs this resource offers, in p_needs order (more than one = fewer places
-- to go).
DROP FUNCTION IF EXISTS match_resources;
CREATE FUNCTION match_resources(
	p_at geometry,
	p_needs text[],
	p_max_distance_m double precision,
	p_limit integer,
	p_now timestamptz,
	p_categories text[] DEFAULT NULL,
	p_audiences text[] DEFAULT NULL,
	p_open_now boolean DEFAULT false,
	p_accepting boolean DEFAULT false
) RETURNS TABLE (
	need text,
	"position" integer,
	id uuid,
	name text,
	organization text,
	category text,
	distance_m double precision,
	open_now boolean,
	accepting_new boolean,
	approximate boolean,
	demo boolean,
	lon double precision,
	lat double precision,
	neighbourhood text,
	opening_hours text,
	covers text[]
)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT
		wanted.need,
		(row_number() OVER (
			PARTITION BY wanted.need_order
			ORDER BY (found.open_now IS NOT FALSE AND found.accepting_new IS NOT FALSE) DESC, found.distance_m, found.id
		))::integer,
		found.id, found.name, found.organization_name, found.category, found.distance_m, found.open_now, found.accepting_new,
		found.approximate, found.demo, ST_X(found.geom), ST_Y(found.geom), found.neighbourhood,
		oh.expression,
		ARRAY(
			SELECT sn.need FROM service_need sn
			WHERE sn.service_id = found.service_id AND sn.need = ANY (p_needs)
			ORDER BY array_position(p_needs, sn.need)
		)
	FROM unnest(p_needs) WITH ORDINALITY AS wanted(need, need_order)
	CROSS JOIN LATERAL (
		-- The p_limit nearest by (distance, id): from the rows as near as the p_limit-th (see below).
		SELECT * FROM (
			SELECT
				r.id, r.service_id, r.name, r.organization_name, r.category, r.accepting_new, r.approximate, r.demo, r.geom,
				r.neighbourhood, r.opening_hours_id,
				r.geom::geography <-> p_at::geography AS knn_distance,
				ST_Distance(r.geom::geography, p_at::geography) AS distance_m,
				CASE WHEN service_closed_at(r.closed_from, r.closed_until, p_now) THEN false
					WHEN r.opening_hours_id IS NULL THEN NULL ELSE EXISTS (
					SELECT 1 FROM opening_interval oi
					WHERE oi.opening_hours_id = r.opening_hours_id AND oi.during @> p_now) END AS open_now
			FROM public_resource r
			WHERE EXISTS (SELECT 1 FROM service_need sn WHERE sn.service_id = r.service_id AND sn.need = wanted.need)
				-- ST_DWithin spelled out: the index condition its support function adds, and the same C
				-- test without that function. PostGIS estimates ST_DWithin's rows as if the distance were 0
				-- (20 of the 1,300 resources within 10 km at 200k), so the planner expected too few rows for
				-- LIMIT to cut a nearest-first scan short, and sorted them all instead.
				AND r.geom::geography && _ST_Expand(p_at::geography, p_max_distance_m)
				AND _ST_DWithin(r.geom::geography, p_at::geography, p_max_distance_m, true)
				AND (p_categories IS NULL OR r.category = ANY (p_categories))
				AND (p_audiences IS NULL OR EXISTS (
					SELECT 1 FROM service_audience sa
					WHERE sa.service_id = r.service_id AND (sa.audience = ANY (p_audiences) OR sa.audience = 'everyone')))
				AND (NOT p_open_now OR (NOT service_closed_at(r.closed_from, r.closed_until, p_now) AND EXISTS (
					SELECT 1 FROM opening_interval oi
					WHERE oi.opening_hours_id = r.opening_hours_id AND oi.during @> p_now)))
				AND (NOT p_accepting OR r.accepting_new IS DISTINCT FROM false)
			-- Distance alone: PostgreSQL 15 walks the GiST index nearest first only when the index yields
			-- the whole ORDER BY, so with r.id as a second key it sorted every resource within reach.
			-- WITH TIES keeps all rows as near as the p_limit-th, and the outer ORDER BY breaks ties by
			-- id among them: the same rows as ORDER BY distance, id LIMIT p_limit.
			ORDER BY r.geom::geography <-> p_at::geography
			FETCH FIRST p_limit ROWS WITH TIES
		) nearest
		ORDER BY nearest.knn_distance, nearest.id
		LIMIT p_limit
	) found
	LEFT JOIN opening_hours oh ON oh.id = found.opening_hours_id
	ORDER BY wanted.need_order, 2
$$;

COMMENT ON FUNCTION match_resources IS
	'For each need, the nearest public resources offering it (KNN on the public point), filtered by category, audience, open now and capacity; available ones first. See db/functions/match.sql.';
