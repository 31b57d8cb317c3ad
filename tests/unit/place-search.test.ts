import { describe, expect, it } from 'vitest';
import { placeQueryOf, placeSearchText, rankPlaces, roundCloseness, trigramsOf, wordSimilarity, type GazetteerEntry } from '../../src/lib/domain/place-search';

// The offline place search's pure rules (src/lib/domain/place-search.ts). Its agreement with the
// SQL it ports, on the real data of both backends, is tests/db/place-search-offline.test.ts.

describe("pg_trgm's word similarity, ported", () => {
	it('makes the trigrams pg_trgm documents', () => {
		// PostgreSQL's pg_trgm documentation: show_trgm('cat') is {"  c"," ca","at ","cat"} (as a sorted set).
		expect(new Set(trigramsOf('cat'))).toEqual(new Set(['  c', ' ca', 'cat', 'at ']));
		// Case and non-alphanumerics are separators.
		expect(trigramsOf('A-b')).toEqual(['  a', ' a ', '  b', ' b ']);
	});

	it('gives the documented word similarities', () => {
		// The pg_trgm documentation's examples (F.35.2): 0.8 and 0.3 (0.30769231 as float4).
		expect(wordSimilarity('word', 'two words')).toBe(Math.fround(0.8));
		expect(wordSimilarity('word', 'two words')).toBeGreaterThan(wordSimilarity('two words', 'word'));
		expect(wordSimilarity('word', 'word')).toBe(1);
		expect(wordSimilarity('word', '')).toBe(0);
		expect(wordSimilarity('', 'word')).toBe(0);
	});
});

describe('the searchable form of a text (place_search_text)', () => {
	it('folds case and accents and writes out the usual street abbreviations', () => {
		expect(placeSearchText('P.ZZA Cermenati')).toBe('piazza cermenati');
		expect(placeSearchText("  V.le  dell'Università ")).toBe('viale dell universita');
		expect(placeSearchText('c.so Martiri, l.go Caleotto, p.le Bione, v. Roma')).toBe('corso martiri largo caleotto piazzale bione via roma');
		// A word that merely contains an abbreviation is left alone.
		expect(placeSearchText('Spza Covale')).toBe('spza covale');
	});
});

describe('rounding the mean similarity as PostgreSQL does', () => {
	it('rounds half away from zero on 15 significant digits', () => {
		expect(roundCloseness(0.625)).toBe(0.63);
		expect(roundCloseness(0.8333333432674408)).toBe(0.83);
		expect(roundCloseness(1)).toBe(1);
		expect(roundCloseness(0.6049999999999999)).toBe(0.61);
	});
});

describe('the ranking of the offline search', () => {
	const entry = (name: string, kind: GazetteerEntry['kind'], lon: number | null): GazetteerEntry => ({
		name, kind, id: null, key: placeSearchText(name), lon, lat: lon === null ? null : 45.85, near_stop: null, neighbourhood: null
	});
	const places = [
		entry('Via Giuseppe Garibaldi', 'street', 9.39),
		entry('Piazza Giuseppe Garibaldi', 'street', null),
		entry('Garibaldi', 'place', 9.4),
		entry('Germanedo', 'neighbourhood', 9.38)
	];

	it('puts names starting with the text first, leaves out unplaced names unless asked, needs every word', () => {
		expect(rankPlaces(places, 'garibaldi').map((p) => p.name)).toEqual(['Garibaldi', 'Via Giuseppe Garibaldi']);
		expect(rankPlaces(places, 'piazza garibaldi', 8, true)[0]).toEqual({
			name: 'Piazza Giuseppe Garibaldi', kind: 'street', id: null, lon: null, lat: null, near_stop: null, neighbourhood: null
		});
		expect(rankPlaces(places, 'piazza garibaldi')).toEqual([]);
		expect(rankPlaces(places, 'germaned')[0]!.name).toBe('Germanedo');
		expect(rankPlaces(places, 'g')).toEqual([]);
		expect(rankPlaces(places, 'garibaldi', 1)).toHaveLength(1);
	});
});

describe('the parameters of /api/places, read by the worker as by the route', () => {
	it('reads q, limit and include_unplaced, and refuses what the route refuses', () => {
		expect(placeQueryOf(new URLSearchParams('q=+stazione+&include_unplaced=true'))).toEqual({ q: 'stazione', limit: 8, includeUnplaced: true });
		expect(placeQueryOf(new URLSearchParams('q=x&limit=20&include_unplaced=0'))).toEqual({ q: 'x', limit: 20, includeUnplaced: false });
		expect(placeQueryOf(new URLSearchParams(''))).toEqual({ q: '', limit: 8, includeUnplaced: false });
		for (const bad of ['limit=0', 'limit=21', 'limit=2.5', 'include_unplaced=sometimes', 'q=a&q=b', `q=${'x'.repeat(101)}`, 'q=%00']) {
			expect(placeQueryOf(new URLSearchParams(bad)), bad).toHaveProperty('error');
		}
	});
});
