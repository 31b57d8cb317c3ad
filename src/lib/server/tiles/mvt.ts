import vtpbf from 'vt-pbf';

/**
 * One layer of points as a Mapbox Vector Tile (spec 2.1), as PostGIS's ST_AsMVT writes it: the
 * embedded backend's PostGIS is compiled without protobuf-c (no ST_AsMVT), so there the app encodes
 * the rows of `resource_tile_features` (db/functions/resource_tiles.sql) itself, with Mapbox's own
 * encoder (vt-pbf, fed features in geojson-vt's tile form). Null and non-scalar properties are left
 * out, as ST_AsMVT leaves out nulls. Pure: no I/O.
 */

export interface TilePoint {
	/** Tile coordinates: 0…extent, y down. */
	x: number;
	y: number;
	properties: Record<string, unknown>;
}

type Scalar = string | number | boolean;

function isScalar(value: unknown): value is Scalar {
	return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** geojson-vt's feature type for points. */
const POINT = 1;

/**
 * One tile holding one layer `name` with `points`, in the given order. No points: an empty tile
 * (zero bytes), as ST_AsMVT gives for no rows (resource_tiles turns its NULL into '').
 */
export function encodePointLayer(name: string, points: readonly TilePoint[], extent = 4096): Uint8Array {
	if (points.length === 0) return new Uint8Array(0);
	const features = points.map((point) => ({
		type: POINT,
		geometry: [[Math.round(point.x), Math.round(point.y)]],
		tags: Object.fromEntries(Object.entries(point.properties).filter(([, value]) => isScalar(value)))
	}));
	return vtpbf.fromGeojsonVt({ [name]: { features } } as never, { version: 2, extent });
}
