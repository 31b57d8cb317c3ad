import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

/**
 * A vector tile decoded by Mapbox's own reader (@mapbox/vector-tile, what MapLibre's decoder
 * descends from), not by anything of the app: each layer's point features with tile coordinates
 * and properties, sorted so that two encodings of the same content compare equal.
 */
export interface DecodedPoint {
	layer: string;
	x: number;
	y: number;
	properties: Record<string, unknown>;
}

export function decodeTile(bytes: Uint8Array): { layers: Record<string, { extent: number; version: number; length: number }>; points: DecodedPoint[] } {
	const tile = new VectorTile(new PbfReader(bytes));
	const layers: Record<string, { extent: number; version: number; length: number }> = {};
	const points: DecodedPoint[] = [];
	for (const [name, layer] of Object.entries(tile.layers)) {
		layers[name] = { extent: layer.extent, version: layer.version, length: layer.length };
		for (let i = 0; i < layer.length; i++) {
			const feature = layer.feature(i);
			const [[point]] = feature.loadGeometry() as unknown as [[{ x: number; y: number }]];
			points.push({ layer: name, x: point.x, y: point.y, properties: { ...feature.properties } });
		}
	}
	points.sort((a, b) => a.layer.localeCompare(b.layer) || a.y - b.y || a.x - b.x || JSON.stringify(a.properties).localeCompare(JSON.stringify(b.properties)));
	return { layers, points };
}

/** The XYZ tile holding a point at zoom z. */
export function tileOf(z: number, lon: number, lat: number): { z: number; x: number; y: number } {
	const n = 2 ** z;
	const rad = (lat * Math.PI) / 180;
	return {
		z,
		x: Math.floor(((lon + 180) / 360) * n),
		y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)
	};
}
