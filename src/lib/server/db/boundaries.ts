import type { MultiPolygon } from 'geojson';
import type { BoundaryDiff, BoundaryFeature, Bounds } from '../../domain/territory';
import { sql, type Sql, type TransactionSql } from './client';

/**
 * The rioni's boundaries as an administrator replaces them (services: server/territory/boundaries.ts).
 * Geometry reaches these functions already checked in TypeScript (domain/territory.ts,
 * readBoundaryFile); every write checks its row count, because the embedded PostGIS fails silently.
 */

export interface CurrentNeighbourhood {
	name: string;
	derived: boolean;
	source: string;
	geometry: MultiPolygon;
}

/** The served comuni's bounding box, or null before the seed loaded them. */
export async function servedBounds(db: Sql | TransactionSql = sql): Promise<Bounds | null> {
	const [row] = await db<{ w: number | null; s: number; e: number; n: number }[]>`
		SELECT ST_XMin(e)::float8 AS w, ST_YMin(e)::float8 AS s, ST_XMax(e)::float8 AS e, ST_YMax(e)::float8 AS n
		FROM (SELECT ST_Extent(geom)::geometry AS e FROM administrative_area WHERE served) x`;
	return row && row.w !== null ? [row.w, row.s, row.e, row.n] : null;
}

export async function current(db: Sql | TransactionSql = sql): Promise<CurrentNeighbourhood[]> {
	const rows = await db<{ name: string; derived: boolean; source: string; geometry: string }[]>`
		SELECT name, derived, source_id AS source, ST_AsGeoJSON(geom, 6) AS geometry FROM neighbourhood ORDER BY name`;
	return rows.map((r) => ({ ...r, geometry: JSON.parse(r.geometry) as MultiPolygon }));
}

/**
 * A fingerprint of the boundaries as they are now: an import confirms against the one its preview
 * was made on, so a change in between (another administrator, a seed load) is not overwritten blind.
 */
export async function fingerprint(db: Sql | TransactionSql = sql): Promise<string> {
	const [row] = await db<{ f: string | null }[]>`
		SELECT md5(string_agg(name || ':' || md5(ST_AsBinary(geom)) || ':' || derived::text || ':' || source_id, ',' ORDER BY name)) AS f
		FROM neighbourhood`;
	return row?.f ?? 'none';
}

/** Holds off other imports (and any other change of the rioni) until the transaction ends; reads go on. */
export async function lockForImport(tx: TransactionSql): Promise<void> {
	await tx`LOCK TABLE neighbourhood IN SHARE ROW EXCLUSIVE MODE`;
}

const asJson = (features: BoundaryFeature[]) => features.map((f) => ({ name: f.name, geom: JSON.stringify(f.geometry) }));

/**
 * What importing `features` would change: names added, names whose polygon differs (ST_Equals:
 * the same point set, whatever the vertex order), names kept as they are, names removed. Reads only.
 */
export async function compare(features: BoundaryFeature[], db: Sql | TransactionSql = sql): Promise<BoundaryDiff> {
	const rows = await db<{ name: string; state: 'added' | 'changed' | 'unchanged' | 'removed' }[]>`
		WITH incoming AS (
			SELECT name, ST_SetSRID(ST_GeomFromGeoJSON(geom), 4326) AS geom
			FROM jsonb_to_recordset(${db.json(asJson(features))}) AS r(name text, geom text)
		)
		SELECT i.name, CASE WHEN n.id IS NULL THEN 'added' WHEN ST_Equals(n.geom, i.geom) THEN 'unchanged' ELSE 'changed' END AS state
		FROM incoming i LEFT JOIN neighbourhood n ON n.name = i.name
		UNION ALL
		SELECT n.name, 'removed' FROM neighbourhood n WHERE n.name NOT IN (SELECT name FROM incoming)
		ORDER BY 1`;
	const of = (state: string) => rows.filter((r) => r.state === state).map((r) => r.name);
	return { added: of('added'), changed: of('changed'), unchanged: of('unchanged'), removed: of('removed') };
}

/**
 * Of the rioni named, those a household of the support plans is placed in. Names only: never which
 * household, nor how many.
 */
export async function rioniOfHouseholds(names: string[], db: Sql | TransactionSql = sql): Promise<string[]> {
	if (names.length === 0) return [];
	const rows = await db<{ name: string }[]>`
		SELECT DISTINCT n.name FROM neighbourhood n JOIN household h ON h.neighbourhood_id = n.id
		WHERE n.name = ANY(${names}::text[]) ORDER BY n.name`;
	return rows.map((r) => r.name);
}

/** How many service areas (a service meant for a rione) name one of these rioni: public facts. */
export async function serviceAreasIn(names: string[], db: Sql | TransactionSql = sql): Promise<number> {
	if (names.length === 0) return 0;
	const [row] = await db<{ n: number }[]>`
		SELECT count(*)::int AS n FROM service_area sa JOIN neighbourhood n ON n.id = sa.neighbourhood_id
		WHERE n.name = ANY(${names}::text[])`;
	return row?.n ?? 0;
}

/** Registers the file's source (provenance and licence), as every public record has one. */
export async function addSource(tx: TransactionSql, source: { id: string; name: string; licence: string }): Promise<void> {
	const rows = await tx`
		INSERT INTO source (id, name, licence, attribution) VALUES (${source.id}, ${source.name}, ${source.licence}, ${source.name})
		ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, licence = EXCLUDED.licence, attribution = EXCLUDED.attribution
		RETURNING id`;
	if (rows.length !== 1) throw new Error(`source ${source.id} was not written`);
}

/**
 * Replaces the rioni with `features` inside the caller's transaction: the geometry of every rione
 * changed or removed goes to neighbourhood_history first; rioni are matched by name, so ids (and
 * with them households, service areas and locations) survive a redraw; label points are computed
 * inside each polygon (ST_PointOnSurface, as for the seed's rioni without a label); every
 * location is re-placed. Returns how many history rows were written.
 */
export async function replace(tx: TransactionSql, features: BoundaryFeature[], diff: BoundaryDiff, sourceId: string, replacedBy: string): Promise<number> {
	const gone = [...diff.changed, ...diff.removed];
	let archived = 0;
	if (gone.length > 0) {
		const written = await tx`
			INSERT INTO neighbourhood_history (name, geom, label_point, derived, source_id, valid_from, valid_until, change, replaced_by)
			SELECT name, geom, label_point, derived, source_id, least(updated_at, now()), now(),
				CASE WHEN name = ANY(${diff.removed}::text[]) THEN 'removed' ELSE 'changed' END, ${replacedBy}
			FROM neighbourhood WHERE name = ANY(${gone}::text[])`;
		if (written.count !== gone.length) throw new Error(`only ${written.count} of ${gone.length} old boundaries were kept in history`);
		archived = written.count;
	}
	if (diff.removed.length > 0) {
		const deleted = await tx`DELETE FROM neighbourhood WHERE name = ANY(${diff.removed}::text[])`;
		if (deleted.count !== diff.removed.length) throw new Error(`only ${deleted.count} of ${diff.removed.length} rioni were removed`);
	}
	const unchanged = new Set(diff.unchanged);
	for (const f of features) {
		if (unchanged.has(f.name)) continue;
		const rows = await tx`
			WITH shape AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(f.geometry)}), 4326) AS geom)
			INSERT INTO neighbourhood (name, geom, label_point, derived, source_id)
			SELECT ${f.name}, shape.geom, ST_PointOnSurface(shape.geom), false, ${sourceId} FROM shape
			ON CONFLICT (name) DO UPDATE SET geom = EXCLUDED.geom, label_point = EXCLUDED.label_point,
				derived = false, source_id = EXCLUDED.source_id, updated_at = now()
			RETURNING id`;
		// Zero rows here would mean PostGIS failed silently on the geometry.
		if (rows.length !== 1) throw new Error(`rione "${f.name}" was not written`);
	}
	const [outside] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM neighbourhood WHERE NOT ST_Intersects(geom, label_point)`;
	if (outside && outside.n > 0) throw new Error('a rione label point lies outside its polygon');
	const [placed] = await tx<{ n: number }[]>`SELECT refresh_location_places() AS n`;
	const [count] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM location`;
	if (placed?.n !== count?.n) throw new Error(`only ${placed?.n} of ${count?.n} locations were re-placed`);
	return archived;
}

export interface HistoryEntry {
	name: string;
	change: 'changed' | 'removed';
	validFrom: Date;
	validUntil: Date;
	source: string;
	derived: boolean;
	replacedBy: string | null;
}

/** The latest replaced boundaries, newest first (without geometry: the list on the admin page). */
export async function history(limit = 100): Promise<HistoryEntry[]> {
	return sql<HistoryEntry[]>`
		SELECT h.name, h.change, h.valid_from AS "validFrom", h.valid_until AS "validUntil", h.source_id AS source, h.derived,
			COALESCE(u.name, u.email) AS "replacedBy"
		FROM neighbourhood_history h LEFT JOIN app_user u ON u.id = h.replaced_by
		ORDER BY h.valid_until DESC, h.name LIMIT ${limit}`;
}
