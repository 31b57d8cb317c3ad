import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TILE_ZOOM, isUint, tileProblem, useTiles } from '../../src/lib/domain/tiles';
import { match } from '../../src/params/uint';

describe('tile addresses', () => {
	it('the route matcher takes digits only', () => {
		for (const ok of ['0', '7', '14', '00012', '99999999']) expect(match(ok)).toBe(true);
		for (const bad of ['', '-1', '+1', '1.5', '1e3', ' 1', 'x', '0x1', '123456789', '１']) expect(match(bad)).toBe(false);
		expect(isUint('12')).toBe(true);
	});

	it('exist from zoom 0 to the deepest, x and y within 0…2^z − 1', () => {
		expect(tileProblem({ z: 0, x: 0, y: 0 })).toBeNull();
		expect(tileProblem({ z: 14, x: 8619, y: 5838 })).toBeNull();
		expect(tileProblem({ z: MAX_TILE_ZOOM + 1, x: 0, y: 0 })).toMatch(/zoom/);
		expect(tileProblem({ z: 1, x: 2, y: 0 })).toMatch(/x 2 is outside 0…1/);
		expect(tileProblem({ z: 1, x: 0, y: 2 })).toMatch(/y 2 is outside 0…1/);
		fc.assert(
			fc.property(fc.integer({ min: 0, max: MAX_TILE_ZOOM }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (z, fx, fy) => {
				const n = 2 ** z;
				expect(tileProblem({ z, x: Math.floor(fx * n), y: Math.floor(fy * n) })).toBeNull();
				expect(tileProblem({ z, x: n, y: 0 })).not.toBeNull();
				expect(tileProblem({ z, x: 0, y: n })).not.toBeNull();
			})
		);
	});

	it('the map draws tiles only above the threshold and with no filter the tiles do not know', () => {
		expect(useTiles(5001, 5000, true)).toBe(true);
		expect(useTiles(5000, 5000, true)).toBe(false);
		expect(useTiles(200_000, 5000, false)).toBe(false);
		expect(useTiles(1, 0, true)).toBe(true);
	});
});
