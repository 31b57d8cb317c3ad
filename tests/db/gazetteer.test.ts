import { describe, expect, it } from 'vitest';
import * as gazetteer from '../../src/lib/server/db/gazetteer';

describe('place search', () => {
	it('finds a rione first, by a prefix, at its label point inside Lecco', async () => {
		const [first] = await gazetteer.search('germ');
		expect(first).toMatchObject({ name: 'Germanedo', kind: 'neighbourhood' });
		expect(first!.lon).toBeGreaterThan(9.36);
		expect(first!.lat).toBeGreaterThan(45.81);
	});

	it('finds squares from GeoNames and resources, regardless of accents', async () => {
		const square = await gazetteer.search('cermenati');
		expect(square[0]).toMatchObject({ name: 'Piazza Mario Cermenati', kind: 'place' });
		const parish = await gazetteer.search('san nicolo');
		expect(parish.some((m) => m.kind === 'resource' && m.name === 'Parrocchia di San Nicolò' && m.id)).toBe(true);
	});

	it('places a street at the public addresses known on it', async () => {
		const streets = (await gazetteer.search('via')).filter((m) => m.kind === 'street');
		expect(streets.length).toBeGreaterThan(0);
		for (const street of streets) {
			expect(street.lon).toBeGreaterThan(9.3);
			expect(street.lon).toBeLessThan(9.5);
		}
	});

	it('answers nothing for text shorter than two characters, and never fails on odd text', async () => {
		expect(await gazetteer.search('g')).toEqual([]);
		expect(await gazetteer.search("%_'\\")).toEqual([]);
		expect(await gazetteer.search('%%')).toEqual([]);
	});
});
