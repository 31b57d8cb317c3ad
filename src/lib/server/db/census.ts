import type { MultiPolygon } from 'geojson';
import { sql, type Sql, type TransactionSql } from './client';

/**
 * Census sections (census_section): ISTAT's smallest statistical areas with their residents, the
 * finer basis of the coverage grid where a deployment has them. Written only by
 * `npm run import:sections` (server/territory/census.ts), all rows at once.
 */

export interface SectionRow {
	code: string;
	geometry: MultiPolygon;
	residents: number;
}

const asJson = (rows: SectionRow[]) => rows.map((r) => ({ code: r.code, geom: JSON.stringify(r.geometry), residents: r.residents }));

/** ISTAT codes of the comuni this instance serves ("097042" for Lecco). */
export async function servedComuni(db: Sql | TransactionSql = sql): Promise<string[]> {
	return (await db<{ code: string }[]>`SELECT istat_code AS code FROM administrative_area WHERE served ORDER BY istat_code`).map((r) => r.code);
}

/**
 * Of the sections given, the codes of those inside a served comune (a point on each section's
 * surface: sections never straddle comuni). For files whose sections carry no comune code. Reads only.
 */
export async function inServedArea(rows: SectionRow[], db: Sql | TransactionSql = sql): Promise<Set<string>> {
	if (rows.length === 0) return new Set();
	const found = await db<{ code: string }[]>`
		SELECT s.code FROM jsonb_to_recordset(${db.json(asJson(rows))}) AS s(code text, geom text, residents integer)
		WHERE EXISTS (SELECT 1 FROM administrative_area a
			WHERE a.served AND ST_Intersects(a.geom, ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON(s.geom), 4326))))`;
	return new Set(found.map((r) => r.code));
}

export interface RioneTotal {
	/** Null for sections outside every rione. */
	rione: string | null;
	sections: number;
	residents: number;
}

/** Sections and residents per rione of the current map (by a point on each section's surface). Reads only. */
export async function perRione(rows: SectionRow[], db: Sql | TransactionSql = sql): Promise<RioneTotal[]> {
	if (rows.length === 0) return [];
	return db<RioneTotal[]>`
		WITH s AS (
			SELECT code, residents, ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON(geom), 4326)) AS at
			FROM jsonb_to_recordset(${db.json(asJson(rows))}) AS r(code text, geom text, residents integer)
		)
		SELECT n.name AS rione, count(*)::int AS sections, sum(s.residents)::int AS residents
		FROM s LEFT JOIN LATERAL (
			SELECT name FROM neighbourhood WHERE ST_Intersects(geom, s.at) ORDER BY id LIMIT 1
		) n ON true
		GROUP BY n.name ORDER BY n.name NULLS LAST`;
}

export async function upsertSource(tx: TransactionSql, source: { id: string; name: string; licence: string; url: string; attribution: string }): Promise<void> {
	const rows = await tx`
		INSERT INTO source (id, name, licence, url, attribution)
		VALUES (${source.id}, ${source.name}, ${source.licence}, ${source.url}, ${source.attribution})
		ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, licence = EXCLUDED.licence, url = EXCLUDED.url, attribution = EXCLUDED.attribution
		RETURNING id`;
	if (rows.length !== 1) throw new Error(`source ${source.id} was not written`);
}

/** Makes census_section exactly `rows`, inside the caller's transaction. */
export async function replaceAll(tx: TransactionSql, rows: SectionRow[], referenceDate: string, sourceId: string): Promise<number> {
	await tx`DELETE FROM census_section`;
	if (rows.length === 0) return 0;
	const inserted = await tx`
		INSERT INTO census_section (code, geom, residents, reference_date, source_id)
		SELECT code, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(geom), 4326)), residents, ${referenceDate}::date, ${sourceId}
		FROM jsonb_to_recordset(${tx.json(asJson(rows))}) AS r(code text, geom text, residents integer)`;
	// Fewer rows would mean PostGIS failed silently on a geometry (the embedded backend does).
	if (inserted.count !== rows.length) throw new Error(`only ${inserted.count} of ${rows.length} census sections were written`);
	return inserted.count;
}

export interface SectionSummary {
	sections: number;
	residents: number;
	referenceDate: string | null;
	source: string | null;
}

export async function summary(db: Sql | TransactionSql = sql): Promise<SectionSummary> {
	const [row] = await db<SectionSummary[]>`
		SELECT count(*)::int AS sections, coalesce(sum(residents), 0)::int AS residents,
			max(reference_date)::text AS "referenceDate", max(source_id) AS source
		FROM census_section`;
	return row!;
}
