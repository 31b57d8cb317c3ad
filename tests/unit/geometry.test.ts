import { describe, expect, it } from 'vitest';
import { checkArea, checkLonLat } from '../../src/lib/domain/geometry';

const square = [
	[9.38, 45.85],
	[9.39, 45.85],
	[9.39, 45.86],
	[9.38, 45.86],
	[9.38, 45.85]
];
// A "bow tie": its edges cross at the middle.
const bowTie = [
	[9.38, 45.85],
	[9.39, 45.86],
	[9.39, 45.85],
	[9.38, 45.86],
	[9.38, 45.85]
];

describe('checkLonLat', () => {
	it('accepts a point in range', () => {
		expect(checkLonLat(9.39, 45.85)).toEqual({ ok: true, value: { lon: 9.39, lat: 45.85 } });
	});
	it.each([
		[200, 45, 'longitude 200'],
		[9, -91, 'latitude -91'],
		[Number.NaN, 45, 'must be numbers'],
		['9', 45, 'must be numbers'],
		[Number.POSITIVE_INFINITY, 45, 'must be numbers']
	])('refuses %s,%s', (lon, lat, message) => {
		const result = checkLonLat(lon, lat);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error).toContain(message);
	});
});

describe('checkArea', () => {
	it('accepts a polygon and returns it as a MultiPolygon', () => {
		const result = checkArea({ type: 'Polygon', coordinates: [square] });
		expect(result).toEqual({ ok: true, value: { type: 'MultiPolygon', coordinates: [[square]] } });
	});
	it('refuses a self-intersecting polygon', () => {
		const result = checkArea({ type: 'Polygon', coordinates: [bowTie] });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error).toMatch(/crosses itself/);
	});
	it('refuses overlapping parts of a MultiPolygon', () => {
		const shifted = square.map(([lon, lat]) => [lon! + 0.005, lat!]);
		const result = checkArea({ type: 'MultiPolygon', coordinates: [[square], [shifted]] });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error).toMatch(/not valid/);
	});
	it('refuses an open ring', () => {
		const result = checkArea({ type: 'Polygon', coordinates: [square.slice(0, 4)] });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error).toMatch(/not closed/);
	});
	it('refuses a ring with too few positions', () => {
		const result = checkArea({ type: 'Polygon', coordinates: [[square[0], square[1], square[0]]] });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error).toMatch(/at least 4/);
	});
	it('refuses coordinates out of range and non-polygons', () => {
		const far = square.map(([lon, lat]) => [lon! + 200, lat]);
		expect(checkArea({ type: 'Polygon', coordinates: [far] }).ok).toBe(false);
		expect(checkArea({ type: 'Point', coordinates: [9, 45] }).ok).toBe(false);
		expect(checkArea(null).ok).toBe(false);
		expect(checkArea({ type: 'MultiPolygon', coordinates: [] }).ok).toBe(false);
	});
});
