import { sql } from './client';

/**
 * The public vector tiles' SQL (db/functions/resource_tiles.sql): the features of a tile, in tile
 * coordinates, on both backends, and the tile encoded by ST_AsMVT on the server backend.
 */

export interface TileQuery {
	z: number;
	x: number;
	y: number;
	/** Only these categories (all when absent). */
	categories?: string[];
}

export interface TileFeatureRow {
	layer: string;
	tx: number;
	ty: number;
	properties: Record<string, unknown>;
}

function queryParams(query: TileQuery) {
	return query.categories?.length ? { category: query.categories } : {};
}

/** The tile's features, in the order resource_tiles encodes them. */
export async function tileFeatures(query: TileQuery): Promise<TileFeatureRow[]> {
	// Not a prepared statement: PostgreSQL would settle on one plan for every tile, and a low-zoom
	// tile (much of the region) wants another plan than a street's (resource_tiles says the same).
	return sql.unsafe<TileFeatureRow[]>(
		'SELECT layer, tx, ty, properties FROM resource_tile_features($1, $2, $3, $4::json)',
		[query.z, query.x, query.y, sql.json(queryParams(query))],
		{ prepare: false }
	);
}

/** The tile as ST_AsMVT encodes it (server backend only: the embedded PostGIS has no ST_AsMVT). */
export async function encodedTile(query: TileQuery): Promise<Uint8Array> {
	const [row] = await sql<{ tile: Buffer }[]>`
		SELECT resource_tiles(${query.z}, ${query.x}, ${query.y}, ${sql.json(queryParams(query))}::json) AS tile`;
	return new Uint8Array(row!.tile);
}

/** Every public resource's count per category (the atlas legend when the map draws tiles). */
export async function publicCountsByCategory(): Promise<Record<string, number>> {
	const rows = await sql<{ category: string; n: number }[]>`SELECT category, count(*)::int AS n FROM public_resource GROUP BY category`;
	return Object.fromEntries(rows.map((row) => [row.category, row.n]));
}
