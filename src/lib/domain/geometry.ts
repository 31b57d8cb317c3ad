import booleanValid from '@turf/boolean-valid';
import kinks from '@turf/kinks';
import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';

/**
 * Geometry checks that run in TypeScript before any geometry reaches SQL. They are not optional:
 * the embedded PostGIS swallows GEOS errors (an intersection with a self-intersecting polygon
 * returns no rows and no error), so a bad polygon could make a write silently do nothing.
 */
export type GeometryCheck<T> = { ok: true; value: T } | { ok: false; error: string };

export interface LonLat {
	lon: number;
	lat: number;
}

function isFiniteNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

/** A WGS84 longitude/latitude pair, in range. */
export function checkLonLat(lon: unknown, lat: unknown): GeometryCheck<LonLat> {
	if (!isFiniteNumber(lon) || !isFiniteNumber(lat)) return { ok: false, error: 'longitude and latitude must be numbers' };
	if (lon < -180 || lon > 180) return { ok: false, error: `longitude ${lon} is outside -180…180` };
	if (lat < -90 || lat > 90) return { ok: false, error: `latitude ${lat} is outside -90…90` };
	return { ok: true, value: { lon, lat } };
}

function checkPositions(positions: unknown): string | null {
	if (!Array.isArray(positions)) return 'coordinates must be arrays of [longitude, latitude]';
	for (const position of positions) {
		if (!Array.isArray(position) || position.length < 2) return 'every position must be [longitude, latitude]';
		const checked = checkLonLat(position[0], position[1]);
		if (!checked.ok) return checked.error;
	}
	return null;
}

function checkRing(ring: unknown, which: string): string | null {
	const problem = checkPositions(ring);
	if (problem) return problem;
	const positions = ring as Position[];
	if (positions.length < 4) return `${which} needs at least 4 positions (a closed triangle)`;
	const first = positions[0]!;
	const last = positions[positions.length - 1]!;
	if (first[0] !== last[0] || first[1] !== last[1]) return `${which} is not closed: its last position must equal its first`;
	return null;
}

/**
 * A valid (Multi)Polygon per OGC rules: closed rings of ≥4 in-range positions, no self-intersection,
 * holes inside their shell. Returns it as a MultiPolygon, the shape our tables store.
 */
export function checkArea(geometry: unknown): GeometryCheck<MultiPolygon> {
	if (typeof geometry !== 'object' || geometry === null) return { ok: false, error: 'geometry is missing' };
	const { type, coordinates } = geometry as Partial<Geometry> & { coordinates?: unknown };
	let polygons: unknown[];
	if (type === 'Polygon') polygons = [coordinates];
	else if (type === 'MultiPolygon' && Array.isArray(coordinates)) polygons = coordinates;
	else return { ok: false, error: `geometry must be a Polygon or MultiPolygon, not ${String(type)}` };
	if (polygons.length === 0) return { ok: false, error: 'geometry has no polygons' };
	for (const [index, polygon] of polygons.entries()) {
		if (!Array.isArray(polygon) || polygon.length === 0) return { ok: false, error: `polygon ${index + 1} has no rings` };
		for (const [ringIndex, ring] of polygon.entries()) {
			const problem = checkRing(ring, ringIndex === 0 ? `polygon ${index + 1}'s outer ring` : `polygon ${index + 1}'s hole ${ringIndex}`);
			if (problem) return { ok: false, error: problem };
		}
	}
	const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: polygons as Polygon['coordinates'][] };
	// booleanValid checks closure, spikes and overlaps but not rings crossing themselves: kinks does.
	for (const [index, coordinates] of multi.coordinates.entries()) {
		if (kinks({ type: 'Polygon', coordinates }).features.length > 0) {
			return { ok: false, error: `polygon ${index + 1} is not valid: its boundary crosses itself` };
		}
	}
	if (!booleanValid(multi)) {
		return { ok: false, error: 'geometry is not valid: it intersects itself, has overlapping parts or a hole outside its shell' };
	}
	return { ok: true, value: multi };
}
