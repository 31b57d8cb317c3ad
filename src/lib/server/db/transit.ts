import type { Feature, FeatureCollection, Point } from 'geojson';
import { checkLonLat } from '../../domain/geometry';
import { sql } from './client';

/**
 * Public transport stops (bus stops and railway stations). Each stop's rione is computed from the
 * current rioni on every read (the transit_stop_placed view), so re-importing the rioni needs no
 * update here.
 */

export type StopKind = 'bus' | 'rail';

export interface StopInput {
	id: string;
	code: string | null;
	name: string;
	kind: StopKind;
	lon: number;
	lat: number;
	source: string;
	validFrom: string | null;
	validTo: string | null;
}

export interface TransitStop extends Omit<StopInput, 'code'> {
	/** The rione the stop lies in, or null outside every rione (outside Lecco). */
	neighbourhood: string | null;
}

/**
 * Replaces the stops of every source named in `inputs`, in one transaction: stops the file no longer
 * lists are removed, the others written. Stops of other sources are left alone.
 */
export async function replaceStops(inputs: StopInput[]): Promise<number> {
	const ids = new Set<string>();
	for (const stop of inputs) {
		if (ids.has(stop.id)) throw new Error(`stop ${stop.id} appears twice`);
		ids.add(stop.id);
		if (!stop.name.trim()) throw new Error(`stop ${stop.id} has no name`);
		if (stop.kind !== 'bus' && stop.kind !== 'rail') throw new Error(`stop ${stop.id}: unknown kind "${String(stop.kind)}"`);
		const at = checkLonLat(stop.lon, stop.lat);
		if (!at.ok) throw new Error(`stop ${stop.id}: ${at.error}`);
	}
	const sources = [...new Set(inputs.map((stop) => stop.source))];
	return sql.begin(async (tx) => {
		await tx`DELETE FROM transit_stop WHERE source_id = ANY(${sources}::text[]) AND id <> ALL(${[...ids]}::text[])`;
		for (const s of inputs) {
			const rows = await tx`
				INSERT INTO transit_stop (id, code, name, kind, geom, source_id, valid_from, valid_to)
				VALUES (${s.id}, ${s.code}, ${s.name.trim()}, ${s.kind}, ST_SetSRID(ST_MakePoint(${s.lon}, ${s.lat}), 4326),
					${s.source}, ${s.validFrom}, ${s.validTo})
				ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, kind = EXCLUDED.kind,
					geom = EXCLUDED.geom, source_id = EXCLUDED.source_id, valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to
				RETURNING id`;
			if (rows.length !== 1) throw new Error(`stop ${s.id} was not written`);
		}
		// The place search finds streets through the stops named after them.
		await tx`SELECT refresh_street_transit_stop()`;
		return inputs.length;
	});
}

/** Every stop with its rione, ordered by kind (stations first) and name. */
export async function transitStops(): Promise<TransitStop[]> {
	return sql<TransitStop[]>`
		SELECT id, name, kind, ST_X(geom) AS lon, ST_Y(geom) AS lat, source_id AS source,
			valid_from::text AS "validFrom", valid_to::text AS "validTo", neighbourhood
		FROM transit_stop_placed ORDER BY kind DESC, name, id`;
}

export interface TransitFeatureProperties {
	id: string;
	name: string;
	kind: StopKind;
	rione: string | null;
}

/** The public map layer: bus stops and stations as points, with name, kind and rione. */
export async function transitLayer(): Promise<FeatureCollection<Point, TransitFeatureProperties>> {
	const stops = await transitStops();
	const features = stops.map(
		(s): Feature<Point, TransitFeatureProperties> => ({
			type: 'Feature',
			geometry: { type: 'Point', coordinates: [Math.round(s.lon * 1e6) / 1e6, Math.round(s.lat * 1e6) / 1e6] },
			properties: { id: s.id, name: s.name, kind: s.kind, rione: s.neighbourhood }
		})
	);
	return { type: 'FeatureCollection', features };
}

export interface NearestStop {
	/** The public resource it is near. */
	resourceId: string;
	id: string;
	name: string;
	kind: StopKind;
	/** Straight line, metres (spheroid), rounded. */
	distanceM: number;
	/** The stop's point and the resource's public point, for a walking route between them. */
	stop: { lon: number; lat: number };
	from: { lon: number; lat: number };
}

/**
 * For each of these public resources, its `perResource` nearest stops (bus stops and stations)
 * within `maxMetres` of its public point, nearest first. Confidential places are left out here,
 * in the query, not by the caller: their point is their rione's centre, and stops "near" it would
 * both mislead and hint at where the place is. A nearest-neighbour query per resource (LATERAL),
 * on the same SQL for PGlite and a PostGIS server.
 */
export async function nearestStops(resourceIds: string[], perResource: number, maxMetres: number): Promise<Map<string, NearestStop[]>> {
	const found = new Map<string, NearestStop[]>();
	if (resourceIds.length === 0 || perResource < 1) return found;
	const rows = await sql<NearestStop[]>`
		SELECT r.id::text AS "resourceId", s.id, s.name, s.kind, round(s.distance)::int AS "distanceM",
			json_build_object('lon', ST_X(s.geom), 'lat', ST_Y(s.geom)) AS stop, json_build_object('lon', ST_X(r.geom), 'lat', ST_Y(r.geom)) AS "from"
		FROM public_resource r
		CROSS JOIN LATERAL (
			SELECT t.id, t.name, t.kind, t.geom, ST_Distance(t.geom::geography, r.geom::geography) AS distance
			FROM transit_stop t
			WHERE ST_DWithin(t.geom::geography, r.geom::geography, ${maxMetres})
			-- The spheroid distance, not the planar one of the geometry index (degrees of longitude
			-- are shorter than degrees of latitude here): a few hundred stops, so the order is exact.
			ORDER BY distance, t.id
			LIMIT ${perResource}
		) s
		WHERE r.id = ANY(${resourceIds}::uuid[]) AND NOT r.approximate
		ORDER BY r.id, s.distance, s.id`;
	for (const row of rows) {
		const list = found.get(row.resourceId) ?? [];
		list.push(row);
		found.set(row.resourceId, list);
	}
	return found;
}
