import vtpbf from 'vt-pbf';
import { currentBackend } from '../db/client';
import * as tilesDb from '../db/tiles';

/**
 * The public vector tiles: on the server backend PostGIS encodes them (resource_tiles, ST_AsMVT);
 * on the embedded backend, whose PostGIS is compiled without protobuf-c (no ST_AsMVT), the app
 * encodes the same rows of `resource_tile_features` (db/functions/resource_tiles.sql) itself, as one
 * layer of points in a Mapbox Vector Tile (spec 2.1), with Mapbox's own encoder (vt-pbf, fed
 * features in geojson-vt's tile form). Both give the same decoded tile (tests/db/tiles.test.ts).
 */

export type { TileQuery } from '../db/tiles';

type Scalar = string | number | boolean;

function isScalar(value: unknown): value is Scalar {
	return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** geojson-vt's feature type for points. */
const POINT = 1;
/** The tile's extent, as resource_tile_features and ST_AsMVT use it: coordinates 0…4096, y down. */
const EXTENT = 4096;

/**
 * The tile encoded by the app from the SQL features (the embedded path; callable on both), in
 * their order. Null and non-scalar properties are left out, as ST_AsMVT leaves out nulls. No
 * features: an empty tile (zero bytes), as ST_AsMVT gives for no rows (resource_tiles turns its
 * NULL into '').
 */
export async function encodeInApp(query: tilesDb.TileQuery): Promise<Uint8Array> {
	const rows = await tilesDb.tileFeatures(query);
	if (rows.length === 0) return new Uint8Array(0);
	const features = rows.map((row) => ({
		type: POINT,
		geometry: [[Math.round(row.tx), Math.round(row.ty)]],
		tags: Object.fromEntries(Object.entries(row.properties).filter(([, value]) => isScalar(value)))
	}));
	return vtpbf.fromGeojsonVt({ [rows[0]!.layer]: { features } } as never, { version: 2, extent: EXTENT });
}

/** The tile of public resources at z/x/y (already checked with domain/tiles.ts tileProblem). */
export async function resourceTile(query: tilesDb.TileQuery): Promise<Uint8Array> {
	return currentBackend() === 'server' ? tilesDb.encodedTile(query) : encodeInApp(query);
}
