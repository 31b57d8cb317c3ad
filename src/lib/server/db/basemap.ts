import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { mercatorBbox, type FramePath } from '../../domain/map-frame';
import type { Bbox } from '../../domain/resource';
import { sql } from './client';
import * as territory from './territory';

/**
 * Data for the app's own schematic basemap (drawn by `AtlasMap`), so the public map needs no tile
 * server and works offline: the comuni with their label points, the rioni's label points and the
 * Natural Earth lake, and the gazetteer's squares and landmarks. The rioni polygons themselves come from `/api/neighbourhoods`.
 */

/** What a basemap feature is; the map style filters on it. */
export type BasemapLayer = 'comune' | 'comune-label' | 'rione-label' | 'landmark';

export interface BasemapProperties {
	layer: BasemapLayer;
	name: string;
	/** Comuni only: the comune this instance serves (drawn as the city outline). */
	served?: boolean;
	/** Rioni only: an approximate boundary rather than an official one. */
	derived?: boolean;
	istat_code?: string;
	/** Landmarks only: the gazetteer's kind (square, landmark, park). */
	kind?: string;
}

type BasemapFeature = Feature<Geometry, BasemapProperties>;

function feature(geometry: string, properties: BasemapProperties): BasemapFeature {
	return { type: 'Feature', geometry: JSON.parse(geometry) as Geometry, properties };
}

/**
 * Every administrative area as a polygon plus one label point each, and the label point of every
 * rione. Labels are points (not polygons) because a polygon label is repeated in every tile the
 * client cuts the polygon into.
 */
export async function areas(): Promise<FeatureCollection<Geometry, BasemapProperties>> {
	const comuni = await sql<{ istat_code: string; name: string; served: boolean; geometry: string; label: string }[]>`
		SELECT istat_code, name, served, ST_AsGeoJSON(geom, 6) AS geometry,
			ST_AsGeoJSON(ST_PointOnSurface(geom), 6) AS label
		FROM administrative_area ORDER BY served, name`;
	const rioni = await sql<{ name: string; derived: boolean; label: string }[]>`
		SELECT name, derived, ST_AsGeoJSON(label_point, 6) AS label FROM neighbourhood ORDER BY name`;
	// Squares, parks and named buildings (GeoNames) inside the served city, to orient by. Parishes
	// are left out: the directory already draws them as pins, with their names close in.
	const landmarks = await sql<{ name: string; kind: string; label: string }[]>`
		SELECT name, kind, ST_AsGeoJSON(geom, 6) AS label FROM place
		WHERE in_served_area AND kind IN ('square', 'landmark', 'park') AND name NOT ILIKE 'parrocchia%'
		ORDER BY kind DESC, name`;
	const features: BasemapFeature[] = [
		...comuni.map((c) =>
			feature(c.geometry, { layer: 'comune', name: c.name, served: c.served, istat_code: c.istat_code })
		),
		...comuni.map((c) =>
			feature(c.label, { layer: 'comune-label', name: c.name, served: c.served, istat_code: c.istat_code })
		),
		...rioni.map((r) => feature(r.label, { layer: 'rione-label', name: r.name, derived: r.derived })),
		...landmarks.map((l) => feature(l.label, { layer: 'landmark', name: l.name, kind: l.kind }))
	];
	return { type: 'FeatureCollection', features };
}

const lakeCache = new Map<string, Promise<FeatureCollection>>();

/**
 * The Natural Earth 1:10M lake and river (`seed/lecco/lake.geojson` under the assets folder), read
 * once per process: it only changes with a new release of the app.
 */
export function lake(dbAssetsDir: string): Promise<FeatureCollection> {
	const file = path.resolve(dbAssetsDir, 'seed/lecco/lake.geojson');
	let cached = lakeCache.get(file);
	if (!cached) {
		cached = readFile(file, 'utf8').then((text) => JSON.parse(text) as FeatureCollection);
		// A failed read (file missing) is retried on the next request rather than remembered.
		cached.catch(() => lakeCache.delete(file));
		lakeCache.set(file, cached);
	}
	return cached;
}

/**
 * What a feature of the map's one basemap collection (`mapLayers`) is: the `areas()` kinds, the
 * rioni outlines, the lake and river, and the OpenStreetMap layers a deployment imported (prefixed,
 * as both the gazetteer and OSM have landmarks).
 */
export type MapLayer = BasemapLayer | 'rione' | 'lake' | 'river' | `osm-${territory.TerritoryLayer}`;

/**
 * Everything the schematic basemap draws except the transit stops, in one collection for one map
 * source (`/basemap/layers.geojson`): the comuni and their labels, the rioni outlines and labels,
 * the landmarks, the lake and river, and the imported OpenStreetMap layers, each feature tagged
 * with its `layer`.
 *
 * One source, not four, because MapLibre draws a stencil mask over the whole view for every fill
 * or line layer whose source differs from the previous one's (its tile clipping), in each of its two
 * passes: four interleaved sources cost eight full-view mask passes a frame, about half of each
 * frame in software WebGL, and a real cost on a phone's small GPU (`npm run bench:tiles`).
 */
export async function mapLayers(dbAssetsDir: string): Promise<FeatureCollection<Geometry, { layer: MapLayer; name?: string | null }>> {
	const [areaCollection, rioni, lakeCollection, imported] = await Promise.all([
		areas(),
		sql<{ name: string; derived: boolean; geometry: string }[]>`
			SELECT name, derived, ST_AsGeoJSON(geom, 6) AS geometry FROM neighbourhood ORDER BY name`,
		lake(dbAssetsDir),
		territory.features()
	]);
	return {
		type: 'FeatureCollection',
		features: [
			...areaCollection.features,
			...rioni.map((r) => ({
				type: 'Feature' as const,
				geometry: JSON.parse(r.geometry) as Geometry,
				properties: { layer: 'rione' as const, name: r.name, derived: r.derived }
			})),
			...lakeCollection.features.map((f) => ({
				...f,
				properties: { ...f.properties, layer: f.properties?.kind === 'river' ? ('river' as const) : ('lake' as const) }
			})),
			...imported.features.map((f) => ({ ...f, properties: { ...f.properties, layer: `osm-${f.properties.layer}` as const } }))
		]
	};
}

/**
 * The comuni and rione outlines around a view, as SVG path data for the map's server-drawn first
 * frame (`db/functions/map_frame.sql`; see `$lib/domain/map-frame`).
 */
export async function frameOutlines(bbox: Bbox, tolerance: number): Promise<FramePath[]> {
	const [west, south, east, north] = mercatorBbox(bbox);
	return sql<FramePath[]>`
		SELECT layer, name, served, path
		FROM map_frame(${west}, ${south}, ${east}, ${north}, ${tolerance})
		WHERE path <> ''`;
}
