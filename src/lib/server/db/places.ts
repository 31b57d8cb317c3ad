import type { MultiPolygon } from 'geojson';
import { checkArea, checkLonLat } from '../../domain/geometry';
import { sql, type TransactionSql } from './client';

/**
 * Neighbourhoods (rioni), administrative areas and the gazetteer. Areas are validated in
 * TypeScript (checkArea) before they reach SQL, and every write checks its row count.
 */

export class PlaceValidationError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PlaceValidationError';
	}
}

export interface SourceRecord {
	id: string;
	name: string;
	licence: string;
	url: string | null;
	attribution: string;
}

export interface NeighbourhoodInput {
	name: string;
	geometry: unknown;
	derived: boolean;
	source: string;
	/** A point inside the polygon for labels and approximate locations; computed when absent. */
	label?: [number, number];
}

export interface AreaInput {
	istatCode: string;
	name: string;
	geometry: unknown;
	served: boolean;
	source: string;
}

export interface PlaceInput {
	name: string;
	kind: string;
	lon: number;
	lat: number;
	inServedArea: boolean;
	source: string;
	ref: string;
}

export interface StreetInput {
	ref: string;
	prefix: string;
	name: string;
	istatCode: string;
}

function validArea(geometry: unknown, what: string): MultiPolygon {
	const checked = checkArea(geometry);
	if (!checked.ok) throw new PlaceValidationError(`${what}: ${checked.error}`);
	return checked.value;
}

export async function upsertSources(sources: SourceRecord[]): Promise<void> {
	await sql.begin(async (tx) => {
		for (const s of sources) {
			const rows = await tx`
				INSERT INTO source (id, name, licence, url, attribution)
				VALUES (${s.id}, ${s.name}, ${s.licence}, ${s.url}, ${s.attribution})
				ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, licence = EXCLUDED.licence,
					url = EXCLUDED.url, attribution = EXCLUDED.attribution
				RETURNING id`;
			if (rows.length !== 1) throw new Error(`source ${s.id} was not written`);
		}
	});
}

/** Recomputes every location's rione and public point after the rioni changed. */
async function refreshLocationPlaces(tx: TransactionSql): Promise<void> {
	const [row] = await tx<{ n: number }[]>`SELECT refresh_location_places() AS n`;
	const [count] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM location`;
	if (row?.n !== count?.n) throw new Error(`only ${row?.n} of ${count?.n} locations were re-placed`);
}

/**
 * Makes the neighbourhoods exactly `inputs` (matched by name, so ids and service areas survive
 * a redraw), then re-places every location. All or nothing: one invalid polygon writes nothing.
 */
export async function replaceNeighbourhoods(inputs: NeighbourhoodInput[]): Promise<number> {
	const names = new Set<string>();
	const checked = inputs.map((input) => {
		const name = input.name.trim();
		if (!name) throw new PlaceValidationError('a neighbourhood has no name');
		if (names.has(name)) throw new PlaceValidationError(`neighbourhood "${name}" appears twice`);
		names.add(name);
		if (input.label) {
			const label = checkLonLat(input.label[0], input.label[1]);
			if (!label.ok) throw new PlaceValidationError(`neighbourhood "${name}" label: ${label.error}`);
		}
		return { ...input, name, geometry: validArea(input.geometry, `neighbourhood "${name}"`) };
	});
	return sql.begin(async (tx) => {
		for (const n of checked) {
			const geojson = JSON.stringify(n.geometry);
			const rows = await tx`
				WITH shape AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326) AS geom)
				INSERT INTO neighbourhood (name, geom, label_point, derived, source_id)
				SELECT ${n.name}, shape.geom,
					${n.label ? sql`ST_SetSRID(ST_MakePoint(${n.label[0]}, ${n.label[1]}), 4326)` : sql`ST_PointOnSurface(shape.geom)`},
					${n.derived}, ${n.source}
				FROM shape
				ON CONFLICT (name) DO UPDATE SET geom = EXCLUDED.geom, label_point = EXCLUDED.label_point,
					derived = EXCLUDED.derived, source_id = EXCLUDED.source_id, updated_at = now()
				RETURNING id`;
			// Zero rows here would mean PostGIS failed silently on the geometry.
			if (rows.length !== 1) throw new Error(`neighbourhood "${n.name}" was not written`);
		}
		await tx`DELETE FROM neighbourhood WHERE name <> ALL(${[...names]}::text[])`;
		const [labelsInside] = await tx<{ outside: number }[]>`
			SELECT count(*)::int AS outside FROM neighbourhood WHERE NOT ST_Intersects(geom, label_point)`;
		if (labelsInside && labelsInside.outside > 0) {
			throw new PlaceValidationError('every neighbourhood label point must lie inside its polygon');
		}
		await refreshLocationPlaces(tx);
		return checked.length;
	});
}

export async function replaceAreas(inputs: AreaInput[]): Promise<number> {
	const checked = inputs.map((a) => {
		if (!/^[0-9]{6}$/.test(a.istatCode)) throw new PlaceValidationError(`area "${a.name}": ISTAT code must be 6 digits`);
		return { ...a, geometry: validArea(a.geometry, `area "${a.name}"`) };
	});
	return sql.begin(async (tx) => {
		await tx`DELETE FROM administrative_area`;
		for (const a of checked) {
			const rows = await tx`
				INSERT INTO administrative_area (istat_code, name, geom, served, source_id)
				VALUES (${a.istatCode}, ${a.name}, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(a.geometry)}), 4326),
					${a.served}, ${a.source})
				RETURNING istat_code`;
			if (rows.length !== 1) throw new Error(`area "${a.name}" was not written`);
		}
		return checked.length;
	});
}

export async function replacePlaces(inputs: PlaceInput[]): Promise<number> {
	for (const p of inputs) {
		const point = checkLonLat(p.lon, p.lat);
		if (!point.ok) throw new PlaceValidationError(`place "${p.name}": ${point.error}`);
	}
	return sql.begin(async (tx) => {
		await tx`DELETE FROM place`;
		if (inputs.length === 0) return 0;
		const rows = inputs.map((p) => ({
			name: p.name,
			kind: p.kind,
			lon: p.lon,
			lat: p.lat,
			in_served_area: p.inServedArea,
			source_id: p.source,
			source_ref: p.ref
		}));
		const inserted = await tx`
			INSERT INTO place (name, kind, geom, in_served_area, source_id, source_ref)
			SELECT name, kind, ST_SetSRID(ST_MakePoint(lon, lat), 4326), in_served_area, source_id, source_ref
			FROM jsonb_to_recordset(${tx.json(rows)})
				AS r(name text, kind text, lon float8, lat float8, in_served_area boolean, source_id text, source_ref text)`;
		if (inserted.count !== inputs.length) throw new Error(`only ${inserted.count} of ${inputs.length} places were written`);
		return inserted.count;
	});
}

export async function replaceStreets(inputs: StreetInput[], source: string): Promise<number> {
	return sql.begin(async (tx) => {
		await tx`DELETE FROM street WHERE source_id = ${source}`;
		if (inputs.length > 0) {
			const rows = inputs.map((s) => ({ name: s.name, prefix: s.prefix, istat_code: s.istatCode, source_id: source, source_ref: s.ref }));
			const inserted = await tx`INSERT INTO street ${tx(rows, 'name', 'prefix', 'istat_code', 'source_id', 'source_ref')}`;
			if (inserted.count !== inputs.length) throw new Error(`only ${inserted.count} of ${inputs.length} streets were written`);
		}
		// The place search places streets through the bus stops named after them.
		await tx`SELECT refresh_street_transit_stop()`;
		return inputs.length;
	});
}

export interface NeighbourhoodSummary {
	id: number;
	name: string;
	derived: boolean;
	geometry: MultiPolygon;
	counts: Record<string, number>;
}

/** Every neighbourhood with its public resources counted by category. */
export async function listNeighbourhoods(): Promise<NeighbourhoodSummary[]> {
	const rows = await sql<{ id: number; name: string; derived: boolean; geometry: string; counts: Record<string, number> | null }[]>`
		SELECT n.id, n.name, n.derived, ST_AsGeoJSON(n.geom, 6) AS geometry,
			(SELECT json_object_agg(c.category, c.n) FROM (
				SELECT r.category, count(*)::int AS n FROM public_resource r
				WHERE r.neighbourhood = n.name GROUP BY r.category) c) AS counts
		FROM neighbourhood n ORDER BY n.name`;
	return rows.map((row) => ({
		id: row.id,
		name: row.name,
		derived: row.derived,
		geometry: JSON.parse(row.geometry) as MultiPolygon,
		counts: row.counts ?? {}
	}));
}

export async function isEmpty(): Promise<boolean> {
	const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM neighbourhood`;
	return (row?.n ?? 0) === 0;
}

/** The data sources cited by a row of any of `tables` (each with a `source_id`), by id: an attribution line. */
export function citedSources(tables: readonly string[]): Promise<SourceRecord[]> {
	const cited = tables.map((table) => sql`s.id IN (SELECT source_id FROM ${sql(table)})`).reduce((all, one) => sql`${all} OR ${one}`, sql`FALSE`);
	return sql<SourceRecord[]>`
		SELECT s.id, s.name, s.licence, s.url, s.attribution FROM source s
		WHERE ${cited}
		ORDER BY s.id`;
}

/**
 * Every data source cited anywhere in the atlas (the public records and map layers, the bus stops
 * and the residents' figures), for the public "Fonti dei dati" page that the map's short credit
 * line and the footer link to.
 */
export function listSources(): Promise<SourceRecord[]> {
	return citedSources(['organization', 'neighbourhood', 'administrative_area', 'place', 'street', 'transit_stop', 'rione_population_current', 'territory_feature', 'civic_number']);
}

export interface Outline {
	/** A rione, or — for a place outside every rione — the comune around it. */
	kind: 'neighbourhood' | 'comune';
	name: string;
	geometry: MultiPolygon;
}

/**
 * The area drawn around a resource on its page: its rione by name, else the comune containing
 * `point`. Called with public data only (a confidential resource always has a rione, and its public
 * point is that rione's label point), so nothing here can reveal a confidential position.
 */
export async function outlineFor(neighbourhood: string | null, point: { lon: number; lat: number } | null): Promise<Outline | null> {
	if (neighbourhood) {
		const [row] = await sql<{ name: string; geometry: string }[]>`
			SELECT name, ST_AsGeoJSON(geom, 6) AS geometry FROM neighbourhood WHERE name = ${neighbourhood}`;
		if (row) return { kind: 'neighbourhood', name: row.name, geometry: JSON.parse(row.geometry) as MultiPolygon };
	}
	if (!point) return null;
	const [row] = await sql<{ name: string; geometry: string }[]>`
		SELECT name, ST_AsGeoJSON(geom, 6) AS geometry FROM administrative_area
		WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(${point.lon}, ${point.lat}), 4326))
		ORDER BY served DESC, name LIMIT 1`;
	return row ? { kind: 'comune', name: row.name, geometry: JSON.parse(row.geometry) as MultiPolygon } : null;
}

export interface NeighbourhoodPoint {
	name: string;
	/** The rione's label point: the same point the place search gives for the rione. */
	lon: number;
	lat: number;
}

/** Every rione with its label point, by name (for a "choose your rione" list). */
export async function neighbourhoodPoints(): Promise<NeighbourhoodPoint[]> {
	return sql<NeighbourhoodPoint[]>`
		SELECT name, round(ST_X(label_point)::numeric, 6)::float8 AS lon, round(ST_Y(label_point)::numeric, 6)::float8 AS lat
		FROM neighbourhood ORDER BY name`;
}
