import { currentBackend } from '../db/client';
import * as tilesDb from '../db/tiles';
import { encodePointLayer, type TilePoint } from './mvt';

/**
 * The public vector tiles: on the server backend PostGIS encodes them (resource_tiles, ST_AsMVT);
 * on the embedded backend, whose PostGIS has no ST_AsMVT, the app encodes the same features
 * (resource_tile_features) with its own encoder. Both give the same decoded tile (tests/db/tiles.test.ts).
 */

export type { TileQuery } from '../db/tiles';

/** The tile encoded by the app from the SQL features (the embedded path; callable on both). */
export async function encodeInApp(query: tilesDb.TileQuery): Promise<Uint8Array> {
	const rows = await tilesDb.tileFeatures(query);
	if (rows.length === 0) return new Uint8Array(0);
	const points: TilePoint[] = rows.map((row) => ({ x: row.tx, y: row.ty, properties: row.properties }));
	return encodePointLayer(rows[0]!.layer, points);
}

/** The tile of public resources at z/x/y (already checked with domain/tiles.ts tileProblem). */
export async function resourceTile(query: tilesDb.TileQuery): Promise<Uint8Array> {
	return currentBackend() === 'server' ? tilesDb.encodedTile(query) : encodeInApp(query);
}
