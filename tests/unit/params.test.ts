import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/lib/server/api/http';
import { resourceFilter } from '../../src/lib/server/api/public';

const parse = (query: string) => resourceFilter(new URLSearchParams(query));

function rejection(query: string): string {
	try {
		parse(query);
	} catch (error) {
		expect(error).toBeInstanceOf(ApiError);
		expect((error as ApiError).status).toBe(400);
		return (error as ApiError).message;
	}
	throw new Error(`${query} was accepted`);
}

describe('resource query parameters', () => {
	it('has the documented defaults and ignores unknown parameters', () => {
		expect(parse('whatever=1')).toEqual({
			near: undefined,
			bbox: undefined,
			categories: undefined,
			needs: undefined,
			audiences: undefined,
			openNow: false,
			q: undefined,
			limit: 200
		});
	});
	it('reads every parameter, merging repeated lists and removing duplicates', () => {
		const filter = parse('near=9.39,45.85&radius=500&bbox=9.3,45.8,9.5,45.9&category=parish,school&need=food&need=homework,food&audience=children&open_now=true&q=%20san%20&limit=10');
		expect(filter).toEqual({
			near: { lon: 9.39, lat: 45.85, radius: 500 },
			bbox: { west: 9.3, south: 45.8, east: 9.5, north: 45.9 },
			categories: ['parish', 'school'],
			needs: ['food', 'homework'],
			audiences: ['children'],
			openNow: true,
			q: 'san',
			limit: 10
		});
	});
	it.each([
		['near=9.39', /near must be two numbers/],
		['near=abc,45', /near must be two numbers/],
		['near=190,45', /longitude 190/],
		['near=9,95', /latitude 95/],
		['near=9.39,45.85&radius=0', /radius must be from 1 to 50000/],
		['near=9.39,45.85&radius=50001', /radius must be from 1 to 50000/],
		['near=9.39,45.85&radius=1.5', /whole number/],
		['bbox=1,2,3', /four numbers/],
		['bbox=9.5,45.8,9.3,45.9', /west < east/],
		['category=church', /unknown category "church": valid values are partner, institution/],
		['need=food,beer', /unknown need "beer"/],
		['audience=aliens', /unknown audience/],
		['open_now=maybe', /open_now must be true or false/],
		['limit=0', /limit must be from 1 to 5000/],
		['limit=5001', /limit must be from 1 to 5000/],
		['limit=ten', /whole number/],
		['q=' + 'x'.repeat(201), /longer than 200/],
		['near=9,45&near=9,46', /given 2 times/]
	])('refuses %s with an actionable message', (query, message) => {
		expect(rejection(query)).toMatch(message);
	});
});

describe('the uuid route matcher', async () => {
	const { match } = await import('../../src/params/uuid');
	it('lets a UUID through and nothing else', () => {
		expect(match('3f2c9a8e-1b7d-4c2e-9f10-2a3b4c5d6e7f')).toBe(true);
		for (const other of ['', 'x', '3f2c9a8e-1b7d-4c2e-9f10-2a3b4c5d6e7', '../admin', '3f2c9a8e1b7d4c2e9f102a3b4c5d6e7f', '%00']) {
			expect(match(other), other).toBe(false);
		}
	});
});
