import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/server/db/client';
import * as gazetteer from '../../src/lib/server/db/gazetteer';
import { placeSearchText, rankPlaces, roundCloseness, wordSimilarity, type PlaceResult } from '../../src/lib/domain/place-search';

// Issue 14: offline, the service worker answers the place search from the gazetteer document with
// a TypeScript port of the SQL ranking (src/lib/domain/place-search.ts). Here the port and the SQL
// answer the same texts on the same data, on each backend: any difference in normalisation, word
// similarity, matching, order, placing or the names listed fails.

/** The four texts, then typos, accents, case, word order, abbreviations, partial words. */
const QUERIES = [
	'p.za cermenati',
	'stazione',
	'via ghislanzoni',
	'piazza garibaldi',
	'P.ZZA CERMENATI',
	'cermenati piazza',
	'piaza cermenati',
	'cermenatti',
	'ghislanzone',
	'Antonio Ghislanzoni via',
	'garibaldi piazza',
	'p.zza garibaldy',
	'stazzione',
	'stazione maggianico',
	'lecco maggianico',
	'germaned',
	'GERMANEDO',
	'san nicolo',
	'SAN NICOLÒ',
	'Nicolò San',
	"sant'antonio",
	'pescarenico',
	'acquate',
	'castello',
	'bonacina',
	'v.le turati',
	'c.so martiri',
	'c.so promessi sposi',
	'l.go',
	'v. amendola',
	'via xx settembre',
	'manzoni',
	'via',
	'piazza',
	'oratorio',
	'caritas',
	'parrocchia',
	'scuola',
	'zzz',
	'%%',
	'g'
];

// Rows the SQL orders by nothing more (the same name, kind and placing: one service offered at
// two places) may come in any order: sorted here. At the limit, the SQL may cut such a run
// anywhere: only its name and length are compared.
type Row = Omit<PlaceResult, 'kind'> & { kind: string };
function comparable(rows: Row[], limit: number) {
	const runs: Row[][] = [];
	for (const row of rows) {
		const last = runs.at(-1);
		if (last && last[0]!.name === row.name && last[0]!.kind === row.kind && (last[0]!.lon === null) === (row.lon === null)) last.push(row);
		else runs.push([row]);
	}
	return runs.map((run, i) =>
		i === runs.length - 1 && rows.length === limit
			? { cut: run[0]!.name, kind: run[0]!.kind, rows: run.length }
			: run.map((row) => JSON.stringify(row)).sort()
	);
}

describe('the offline place search ranks as the SQL does (issue 14)', () => {
	it('normalises texts as place_search_text does', async () => {
		const texts = [...QUERIES, 'Piazza  dell’Università', 'P. ZA  Roma', 'İstanbul ÀÉÎÕÜ çñ', 'v.le/c.so;l.go', 'pza pza pza', 'NICOLO\u0300'];
		const [row] = await sql<{ keys: string[] }[]>`SELECT array_agg(place_search_text(t) ORDER BY n) AS keys FROM unnest(${texts}::text[]) WITH ORDINALITY AS u(t, n)`;
		expect(texts.map(placeSearchText)).toEqual(row!.keys);
	});

	it("computes pg_trgm's word_similarity to the bit", async () => {
		const keys = (await gazetteer.entries()).map((entry) => entry.key).filter((_, i) => i % 7 === 0);
		const words = ['piazza', 'garibaldy', 'stazione', 'ghislanzone', 'germaned', 'via', 'san', 'aa', 'x', 'cermenatti', 'sposi', 'oratori'];
		const pairs = words.flatMap((word) => keys.map((key) => [word, key] as const));
		const similarities = await sql<{ s: number }[]>`
			SELECT word_similarity(w, k) AS s FROM unnest(${pairs.map((p) => p[0])}::text[], ${pairs.map((p) => p[1])}::text[]) WITH ORDINALITY AS u(w, k, n) ORDER BY n`;
		// float4 comes as its shortest decimal text: the same float4 once rounded back.
		const differing = pairs.filter(([word, key], i) => wordSimilarity(word, key) !== Math.fround(similarities[i]!.s));
		expect(differing).toEqual([]);
		expect(pairs.length).toBeGreaterThan(500);
		expect(similarities.some((s) => s.s >= 0.6 && s.s < 1)).toBe(true);
	});

	it('rounds the mean similarity as round(float8::numeric, 2) does', async () => {
		const values = [0.625, 0.615, 0.6049999999999999, 0.8333333432674408, 0.7777777910232544, 0.9444444444444444, 1, 0.6];
		const [row] = await sql<{ rounded: string[] }[]>`SELECT array_agg(round(v::numeric, 2)::text ORDER BY n) AS rounded FROM unnest(${values}::float8[]) WITH ORDINALITY AS u(v, n)`;
		expect(values.map(roundCloseness)).toEqual(row!.rounded.map(Number));
	});

	it('answers every text of the corpus as /api/places does, placed only and with the unplaced streets', async () => {
		const places = await gazetteer.entries();
		let answered = 0;
		let ranking = 0;
		for (const text of QUERIES) {
			for (const [limit, includeUnplaced] of [
				[8, false],
				[20, true]
			] as const) {
				const server = await gazetteer.searchAll(text, limit, includeUnplaced);
				const started = performance.now();
				const offline = rankPlaces(places, text, limit, includeUnplaced);
				ranking += performance.now() - started;
				expect(comparable(offline, limit), `${text} (limit ${limit}, unplaced ${includeUnplaced})`).toEqual(comparable(server, limit));
				if (server.length > 0) answered++;
			}
		}
		console.log(`[gazetteer] offline ranking: ${(ranking / (2 * QUERIES.length)).toFixed(1)} ms per text over ${places.length} names`);
		// Not a comparison of empty lists.
		expect(answered).toBeGreaterThan(QUERIES.length);
		// The texts, for the record.
		expect(rankPlaces(places, 'p.za cermenati')[0]).toMatchObject({ name: 'Piazza Mario Cermenati', kind: 'place' });
		expect(rankPlaces(places, 'stazione')[0]).toMatchObject({ name: 'Stazione di Lecco' });
		expect(rankPlaces(places, 'via ghislanzoni')[0]).toMatchObject({ name: 'Via Antonio Ghislanzoni', near_stop: expect.stringMatching(/Ghislanzoni/) });
		expect(rankPlaces(places, 'piazza garibaldi', 8, true)[0]).toMatchObject({ name: 'Piazza Giuseppe Garibaldi', lon: null });
	});

	it('holds every name the search can return once, with its key, and no house number', async () => {
		const started = performance.now();
		const places = await gazetteer.entries();
		const took = performance.now() - started;
		const body = JSON.stringify({ format: 1, places });
		// Figures for the README, not asserted.
		console.log(
			`[gazetteer] ${places.length} names (${places.filter((p) => p.lon === null).length} unplaced), ${(body.length / 1024).toFixed(0)} KB, ` +
				`${(gzipSync(body, { level: 9 }).length / 1024).toFixed(0)} KB gzip, built in ${took.toFixed(0)} ms`
		);
		const [counts] = await sql<{ neighbourhoods: number; resources: number; rail: number }[]>`
			SELECT (SELECT count(*)::int FROM neighbourhood) AS neighbourhoods, (SELECT count(*)::int FROM public_resource) AS resources,
				(SELECT count(*)::int FROM transit_stop WHERE kind = 'rail') AS rail`;
		expect(places.filter((p) => p.kind === 'neighbourhood')).toHaveLength(counts!.neighbourhoods);
		expect(places.filter((p) => p.kind === 'resource')).toHaveLength(counts!.resources);
		expect(places.filter((p) => p.name.startsWith('Stazione di ')).length).toBeGreaterThanOrEqual(counts!.rail);
		for (const place of places) expect(place.key).toBe(placeSearchText(place.name));
		// Piazza Mario Cermenati is a GeoNames place and an ANNCSU street: listed once, as the place.
		expect(places.filter((p) => p.key === 'piazza mario cermenati').map((p) => p.kind)).toEqual(['place']);
	});
});
