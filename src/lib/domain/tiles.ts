/**
 * Rules of the public vector tiles (GET /api/tiles/{z}/{x}/{y}.mvt): which tile addresses exist,
 * and when the atlas map draws tiles instead of one GeoJSON of every resource. Pure: shared by
 * browser and server.
 */

/** The deepest zoom served: MapLibre over-zooms the last tiles (resource_tile_point_zoom, 14) anyway. */
export const MAX_TILE_ZOOM = 22;

/** The layers of a tile (db/functions/resource_tiles.sql): counts per cell below zoom 14, single resources from it. */
export const TILE_LAYERS = { clusters: 'clusters', resources: 'resources' } as const;

/** Mirrors resource_tile_point_zoom() in db/functions/resource_tiles.sql: the vector source's maxzoom. */
export const TILE_POINT_ZOOM = 14;

/** A tile address in the XYZ scheme (y down from the north), checked. */
export interface TileAddress {
	z: number;
	x: number;
	y: number;
}

/** Digits only, no sign, at most 8 of them: the route matcher's rule (src/params/uint.ts). */
export const isUint = (segment: string): boolean => /^\d{1,8}$/.test(segment);

/**
 * Why a tile address does not exist, in words for the caller, or null when it does:
 * z from 0 to {@link MAX_TILE_ZOOM}, x and y from 0 to 2^z − 1.
 */
export function tileProblem({ z, x, y }: TileAddress): string | null {
	if (!Number.isInteger(z) || z < 0 || z > MAX_TILE_ZOOM) return `zoom ${z} is outside 0…${MAX_TILE_ZOOM}`;
	const last = 2 ** z - 1;
	if (!Number.isInteger(x) || x < 0 || x > last) return `x ${x} is outside 0…${last} at zoom ${z}`;
	if (!Number.isInteger(y) || y < 0 || y > last) return `y ${y} is outside 0…${last} at zoom ${z}`;
	return null;
}

/**
 * Whether the atlas map should draw the vector tiles rather than one GeoJSON of every resource:
 * only when nothing but categories is filtered (the tiles know categories, not needs, audiences,
 * hours or text) and there are more public resources than `threshold` (ATLANTE_MAP_TILES_ABOVE).
 */
export function useTiles(publicCount: number, threshold: number, onlyCategoriesFiltered: boolean): boolean {
	return onlyCategoriesFiltered && publicCount > threshold;
}
