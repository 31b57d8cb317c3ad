import type { Feature, FeatureCollection, Geometry } from 'geojson';
import * as audit from './audit';
import { upsertSource } from './census';
import { sql, type TransactionSql } from './client';

/**
 * Territory data a deployment imports (migration 0027): the walkable network and the basemap
 * layers from OpenStreetMap, the ANNCSU civic numbers. Each import replaces its rows whole in one
 * transaction, stamps `territory_import` and records an audit event.
 */

export interface NetworkNode {
	id: number;
	lon: number;
	lat: number;
}

export interface NetworkEdge {
	source: number;
	target: number;
	length_m: number;
}

export type TerritoryLayer = 'street' | 'path' | 'shoreline' | 'landmark';

export interface TerritoryFeatureInput {
	layer: TerritoryLayer;
	kind: string;
	name: string | null;
	geometry: Geometry;
	/** "way/123" or "node/45": where it came from in the extract. */
	ref: string;
}

export interface CivicNumberInput {
	street: string;
	number: number;
	exponent: string;
	istatCode: string;
	lon: number;
	lat: number;
	ref: string;
}

export interface ImportActor {
	id: string | null;
	email: string | null;
}

/** Rows per INSERT: one JSON parameter each, small enough for the embedded store's memory. */
const CHUNK = 5_000;

function chunks<T>(rows: T[]): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
	return out;
}

async function stamp(tx: TransactionSql, dataset: 'osm' | 'anncsu', fileName: string, counts: Record<string, number>, actor: ImportActor): Promise<void> {
	// clock_timestamp, not now(): two imports in one transaction of a test still differ.
	await tx`
		INSERT INTO territory_import (dataset, file_name, imported_at, counts)
		VALUES (${dataset}, ${fileName}, clock_timestamp(), ${tx.json(counts)})
		ON CONFLICT (dataset) DO UPDATE SET file_name = EXCLUDED.file_name, imported_at = EXCLUDED.imported_at, counts = EXCLUDED.counts`;
	await audit.record({ actorId: actor.id, actorEmail: actor.email, action: `territory.import.${dataset}`, subjectType: 'territory_import', subjectId: dataset, detail: { file: fileName, ...counts } }, tx);
}

export const OSM_SOURCE = {
	id: 'osm',
	name: 'OpenStreetMap',
	licence: 'ODbL 1.0',
	url: 'https://www.openstreetmap.org/copyright',
	attribution: '© OpenStreetMap contributors'
};

/** Replaces the walkable network and the OSM basemap layers, all or nothing. */
export async function replaceOsm(
	data: { nodes: NetworkNode[]; edges: NetworkEdge[]; features: TerritoryFeatureInput[] },
	fileName: string,
	actor: ImportActor
): Promise<void> {
	await sql.begin(async (tx) => {
		await upsertSource(tx, OSM_SOURCE);
		await tx`DELETE FROM walk_edge`;
		await tx`DELETE FROM walk_node`;
		await tx`DELETE FROM territory_feature WHERE source_id = ${OSM_SOURCE.id}`;
		let written = 0;
		for (const part of chunks(data.nodes)) {
			const r = await tx`
				INSERT INTO walk_node (id, geom)
				SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326) FROM jsonb_to_recordset(${tx.json(part as never)}) AS r(id bigint, lon float8, lat float8)`;
			written += r.count;
		}
		if (written !== data.nodes.length) throw new Error(`only ${written} of ${data.nodes.length} network nodes were written`);
		written = 0;
		for (const part of chunks(data.edges)) {
			const r = await tx`
				INSERT INTO walk_edge (source, target, length_m)
				SELECT source, target, length_m FROM jsonb_to_recordset(${tx.json(part as never)}) AS r(source bigint, target bigint, length_m float8)`;
			written += r.count;
		}
		if (written !== data.edges.length) throw new Error(`only ${written} of ${data.edges.length} network edges were written`);
		written = 0;
		for (const part of chunks(data.features)) {
			const rows = part.map((f) => ({ layer: f.layer, kind: f.kind, name: f.name, geometry: JSON.stringify(f.geometry), ref: f.ref }));
			const r = await tx`
				INSERT INTO territory_feature (layer, kind, name, geom, source_id, source_ref)
				SELECT layer, kind, name, ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326), ${OSM_SOURCE.id}, ref
				FROM jsonb_to_recordset(${tx.json(rows)}) AS r(layer text, kind text, name text, geometry text, ref text)`;
			written += r.count;
		}
		// Fewer rows would mean the embedded PostGIS dropped a geometry silently.
		if (written !== data.features.length) throw new Error(`only ${written} of ${data.features.length} map features were written`);
		await stamp(tx, 'osm', fileName, { nodes: data.nodes.length, edges: data.edges.length, features: data.features.length }, actor);
	});
}

export const ANNCSU_SOURCE = {
	id: 'anncsu-civici',
	name: 'ANNCSU — Archivio Nazionale dei Numeri Civici e delle Strade Urbane: numeri civici (Agenzia delle Entrate–ISTAT)',
	licence: 'CC BY 4.0',
	url: 'https://anncsu.open.agenziaentrate.gov.it/',
	attribution: 'Numeri civici ANNCSU (Agenzia delle Entrate–ISTAT)'
};

/** Replaces every civic number, all or nothing. */
export async function replaceCivicNumbers(rows: CivicNumberInput[], fileName: string, actor: ImportActor): Promise<void> {
	await sql.begin(async (tx) => {
		await upsertSource(tx, ANNCSU_SOURCE);
		await tx`DELETE FROM civic_number`;
		let written = 0;
		for (const part of chunks(rows)) {
			const json = part.map((r) => ({ street: r.street, number: r.number, exponent: r.exponent, istat_code: r.istatCode, lon: r.lon, lat: r.lat, ref: r.ref }));
			const r = await tx`
				INSERT INTO civic_number (street, street_key, number, exponent, istat_code, geom, source_id, source_ref)
				SELECT street, place_search_text(street), number, exponent, istat_code, ST_SetSRID(ST_MakePoint(lon, lat), 4326), ${ANNCSU_SOURCE.id}, ref
				FROM jsonb_to_recordset(${tx.json(json)}) AS r(street text, number int, exponent text, istat_code text, lon float8, lat float8, ref text)`;
			written += r.count;
		}
		if (written !== rows.length) throw new Error(`only ${written} of ${rows.length} civic numbers were written`);
		await stamp(tx, 'anncsu', fileName, { civic_numbers: rows.length }, actor);
	});
}

/** ISTAT codes of the comuni this instance serves (empty in a database without the city seed). */
export async function servedIstatCodes(): Promise<string[]> {
	const rows = await sql<{ istat_code: string }[]>`SELECT istat_code FROM administrative_area WHERE served ORDER BY istat_code`;
	return rows.map((r) => r.istat_code);
}

/** When the walkable network was last imported (an opaque stamp), or null when it never was. */
export async function networkStamp(): Promise<string | null> {
	const [row] = await sql<{ stamp: string }[]>`SELECT imported_at::text AS stamp FROM territory_import WHERE dataset = 'osm'`;
	return row?.stamp ?? null;
}

/** The whole walkable network, for the in-memory router. */
export async function loadNetwork(): Promise<{ nodes: NetworkNode[]; edges: NetworkEdge[] }> {
	const nodes = await sql<NetworkNode[]>`SELECT id::float8 AS id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM walk_node ORDER BY id`;
	const edges = await sql<NetworkEdge[]>`SELECT source::float8 AS source, target::float8 AS target, length_m FROM walk_edge ORDER BY source, target`;
	return { nodes, edges };
}

export interface TerritoryProperties {
	layer: TerritoryLayer;
	kind: string;
	name: string | null;
}

/** The imported basemap layers (streets, paths, shoreline, landmarks), for /basemap/territory.geojson. */
export async function features(): Promise<FeatureCollection<Geometry, TerritoryProperties>> {
	const rows = await sql<{ layer: TerritoryLayer; kind: string; name: string | null; geometry: string }[]>`
		SELECT layer, kind, name, ST_AsGeoJSON(geom, 6) AS geometry FROM territory_feature ORDER BY layer, id`;
	return {
		type: 'FeatureCollection',
		features: rows.map((r): Feature<Geometry, TerritoryProperties> => ({
			type: 'Feature',
			geometry: JSON.parse(r.geometry) as Geometry,
			properties: { layer: r.layer, kind: r.kind, name: r.name }
		}))
	};
}
