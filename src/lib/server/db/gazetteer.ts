import { sql } from './client';
import { escapeLike } from './text';

/**
 * The place search of the atlas, offline, from seeded data only: rioni (their label point),
 * GeoNames places, streets (placed at the public addresses known on them, since the official
 * street list has no coordinates) and public resources by name.
 */
export interface PlaceMatch {
	name: string;
	kind: 'neighbourhood' | 'place' | 'street' | 'resource';
	/** A resource's id, for a link to its page. */
	id: string | null;
	lon: number;
	lat: number;
}

export async function search(text: string, limit = 8): Promise<PlaceMatch[]> {
	const q = text.trim();
	if (q.length < 2) return [];
	// Rank: names starting with the text first, then words starting with it, then anywhere.
	return sql<PlaceMatch[]>`
		WITH needle AS (SELECT fold_text(${escapeLike(q)}) AS q),
		candidates AS (
			SELECT n.name, 'neighbourhood' AS kind, NULL::text AS id,
				ST_X(n.label_point) AS lon, ST_Y(n.label_point) AS lat, 1 AS kind_rank
			FROM neighbourhood n, needle WHERE fold_text(n.name) LIKE '%' || needle.q || '%'
			UNION ALL
			SELECT p.name, 'place', NULL, ST_X(p.geom), ST_Y(p.geom), 2
			FROM place p, needle
			WHERE p.kind <> 'neighbourhood' AND fold_text(p.name) LIKE '%' || needle.q || '%'
			UNION ALL
			SELECT initcap(min(s.name)), 'street', NULL,
				avg(ST_X(l.public_geom)), avg(ST_Y(l.public_geom)), 3
			FROM street s
			CROSS JOIN needle
			JOIN location l ON NOT l.confidential AND l.address_1 IS NOT NULL
				AND fold_text(l.address_1) LIKE fold_text(s.name) || ' %'
			WHERE fold_text(s.name) LIKE '%' || needle.q || '%'
			GROUP BY s.id
			UNION ALL
			SELECT r.name, 'resource', r.id::text, ST_X(r.geom), ST_Y(r.geom), 4
			FROM public_resource r, needle WHERE fold_text(r.name) LIKE '%' || needle.q || '%'
		)
		SELECT c.name, c.kind, c.id, round(c.lon::numeric, 6)::float8 AS lon, round(c.lat::numeric, 6)::float8 AS lat
		FROM candidates c, needle
		ORDER BY
			CASE WHEN fold_text(c.name) LIKE needle.q || '%' THEN 0
				WHEN fold_text(c.name) LIKE '% ' || needle.q || '%' THEN 1 ELSE 2 END,
			c.kind_rank, length(c.name), c.name
		LIMIT ${limit}`;
}
