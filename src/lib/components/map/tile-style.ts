import type { ExpressionSpecification, FilterSpecification } from 'maplibre-gl';
import { TILE_POINT_ZOOM } from '$lib/domain/tiles';

/**
 * Styles of the resources drawn from the vector tiles (/api/tiles, ResourceTileLayers): the same
 * pins as the GeoJSON layers (style.ts), and the tiles' own clusters — counts per cell and per
 * category, so the legend's categories filter them on the map, without new tiles.
 */

/** A vector source of the public tiles on this origin (MapLibre wants absolute tile URLs). */
export function tileSource(origin: string) {
	return { tiles: [`${origin}/api/tiles/{z}/{x}/{y}.mvt`], minzoom: 0, maxzoom: TILE_POINT_ZOOM };
}

/** A cluster's count of the shown categories (a category absent from a cell counts 0). */
export function shownCount(visible: readonly string[]): ExpressionSpecification {
	return ['+', 0, 0, ...visible.map((code): ExpressionSpecification => ['coalesce', ['get', code], 0])] as ExpressionSpecification;
}

export function clusterFilter(visible: readonly string[]): FilterSpecification {
	return ['>', shownCount(visible), 0];
}

export function pinFilter(visible: readonly string[]): FilterSpecification {
	return ['in', ['get', 'category'], ['literal', [...visible]]];
}

/** Radius and label from the shown count, stepped like the GeoJSON clusters (style.ts clusterCircle). */
export function clusterRadius(visible: readonly string[]): ExpressionSpecification {
	return ['step', shownCount(visible), 15, 10, 19, 50, 24];
}

export function clusterLabel(visible: readonly string[]): ExpressionSpecification {
	const n = shownCount(visible);
	return ['case', ['>=', n, 1000], ['concat', ['to-string', ['round', ['/', n, 1000]]], 'k'], ['to-string', n]];
}
