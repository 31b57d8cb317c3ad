import { describe, expect, it } from 'vitest';
import { helpPath, helpQuery, roundCoordinate } from '../../src/lib/domain/help-search';

const empty = { needs: [], place: null, audiences: [], openNow: false, maxWalkMin: null };

describe('the Trova aiuto address', () => {
	it('holds the search with the API names, in a fixed order, commas kept readable', () => {
		expect(
			helpQuery({
				needs: ['homework', 'food'],
				place: { lon: 9.41419, lat: 45.85227, label: "Sant'Anna & Co" },
				audiences: ['families'],
				openNow: true,
				maxWalkMin: 30,
				lang: 'en'
			})
		).toBe("needs=homework,food&at=9.41419,45.85227&place=Sant'Anna%20%26%20Co&audience=families&max_walk_min=30&open_now=true&lang=en");
	});

	it('is the bare page when nothing is chosen, and leaves out an empty label', () => {
		expect(helpPath(empty)).toBe('/trova-aiuto');
		expect(helpPath({ ...empty, place: { lon: 9.4, lat: 45.8, label: '' } })).toBe('/trova-aiuto?at=9.4,45.8');
	});

	it('rounds a point to about 100 m', () => {
		expect(roundCoordinate(9.414194)).toBe(9.414);
		expect(roundCoordinate(45.85266)).toBe(45.853);
	});
});
