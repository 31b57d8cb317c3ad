import { sql } from './client';

/**
 * Deterministic synthetic directory for benchmarks only: `count` resources spread uniformly over
 * Lombardy's bounding box, each with a category and two needs. Clearly synthetic (source
 * `synthetic-bench`, names "Synthetic resource N", demo = true) and only ever written into a
 * scratch database that the benchmark creates and throws away — never mixed with real data.
 * Positions come from md5 of the index, so every run and both backends get the same set.
 */
export const LOMBARDY_BBOX = { west: 8.5, south: 44.68, east: 11.43, north: 46.64 } as const;

export async function generate(count: number): Promise<void> {
	const { west, south, east, north } = LOMBARDY_BBOX;
	await sql.begin(async (tx) => {
		await tx`INSERT INTO source (id, name, licence, attribution)
			VALUES ('synthetic-bench', 'Synthetic benchmark data (not real)', 'CC0 1.0', 'Synthetic data')
			ON CONFLICT (id) DO NOTHING`;
		await tx`
			CREATE TEMP TABLE synthetic ON COMMIT DROP AS
			SELECT i,
				md5('org' || i)::uuid AS organization_id, md5('loc' || i)::uuid AS location_id,
				md5('svc' || i)::uuid AS service_id, md5('sal' || i)::uuid AS sal_id,
				${west}::float8 + ${east - west}::float8 * (('x' || substr(md5('lon' || i), 1, 8))::bit(32)::bigint / 4294967296.0) AS lon,
				${south}::float8 + ${north - south}::float8 * (('x' || substr(md5('lat' || i), 1, 8))::bit(32)::bigint / 4294967296.0) AS lat,
				(ARRAY['partner','institution','parish','school','shop','custodia','health'])[1 + i % 7] AS category
			FROM generate_series(1, ${count}::int) AS i`;
		await tx`INSERT INTO organization (id, name, kind, source_id, source_ref, demo)
			SELECT organization_id, 'Synthetic resource ' || i, category, 'synthetic-bench', i::text, true FROM synthetic`;
		await tx`INSERT INTO location (id, organization_id, name, geom, source_ref)
			SELECT location_id, organization_id, 'Synthetic site ' || i, ST_SetSRID(ST_MakePoint(lon, lat), 4326), 'site' FROM synthetic`;
		await tx`INSERT INTO service (id, organization_id, name, category, source_ref)
			SELECT service_id, organization_id, 'Synthetic resource ' || i, category, 'service' FROM synthetic`;
		await tx`INSERT INTO service_need (service_id, need)
			SELECT DISTINCT s.service_id, n.code FROM synthetic s
			JOIN need n ON n.position IN (1 + s.i % 16, 1 + (s.i * 7 + 3) % 16)`;
		await tx`INSERT INTO service_audience (service_id, audience)
			SELECT s.service_id, a.code FROM synthetic s JOIN audience a ON a.position = 1 + s.i % 8`;
		await tx`INSERT INTO service_at_location (id, service_id, location_id)
			SELECT sal_id, service_id, location_id FROM synthetic`;
		const [row] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM service_at_location`;
		if ((row?.n ?? 0) < count) throw new Error(`synthetic data incomplete: ${row?.n} pins for ${count} resources`);
	});
	// VACUUM too: a bulk load leaves the visibility map unset, so autovacuum would wake up in the
	// middle of the first measurement and index-only scans would visit the heap until it did.
	await sql`VACUUM ANALYZE`;
}

/**
 * Marks the synthetic set as real directory records (demo = false), for benchmarks of answers that
 * leave the demo set out (the HSDS API, bench:hsds). Only ever run on a benchmark's scratch store.
 */
export async function treatAsReal(): Promise<void> {
	await sql`UPDATE organization SET demo = false WHERE source_id = 'synthetic-bench'`;
	await sql`VACUUM ANALYZE organization`;
}
