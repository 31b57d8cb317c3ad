import { describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/server/db/client';
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

	it('finds a rione, a place or a street however the words are written (issue 14)', async () => {
		for (const text of ['cermenati', 'p.za cermenati', 'P.ZZA CERMENATI', 'piazza cermenati', 'cermenati piazza']) {
			const [first] = await gazetteer.search(text);
			expect(first, text).toMatchObject({ name: 'Piazza Mario Cermenati', kind: 'place', neighbourhood: 'Centro' });
		}
		// Accents, case, a typo and a half-typed word.
		expect((await gazetteer.search('SAN NICOLÒ')).some((m) => m.name === 'Parrocchia di San Nicolò')).toBe(true);
		expect((await gazetteer.search('ghislanzone'))[0]).toMatchObject({ name: 'Via Antonio Ghislanzoni' });
		expect((await gazetteer.search('germaned'))[0]).toMatchObject({ name: 'Germanedo', kind: 'neighbourhood' });
		// Every typed word must be in the name: a second word that is not narrows, never widens.
		expect(await gazetteer.search('cermenati zanzibar')).toEqual([]);
	});

	it("finds Lecco's railway station for \"stazione\", at the station", async () => {
		const [first] = await gazetteer.search('stazione');
		expect(first).toMatchObject({ name: 'Stazione di Lecco', kind: 'place', near_stop: null, neighbourhood: 'Centro' });
		const [station] = await sql<{ lon: number; lat: number }[]>`
			SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM transit_stop WHERE id = 'trenord:S01520'`;
		expect(first!.lon).toBeCloseTo(station!.lon, 5);
		expect(first!.lat).toBeCloseTo(station!.lat, 5);
	});

	it('places a street with no known address at the bus stop named after it, and says which', async () => {
		for (const text of ['ghislanzoni', 'via ghislanzoni', 'Via Antonio Ghislanzoni']) {
			const [first] = await gazetteer.search(text);
			expect(first, text).toMatchObject({ name: 'Via Antonio Ghislanzoni', kind: 'street', neighbourhood: 'Centro' });
			expect(first!.near_stop, text).toMatch(/Ghislanzoni/);
			const [stop] = await sql<{ lon: number; lat: number }[]>`
				SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM transit_stop WHERE name = ${first!.near_stop}`;
			expect(first!.lon).toBeCloseTo(stop!.lon, 5);
			expect(first!.lat).toBeCloseTo(stop!.lat, 5);
		}
	});

	it('recognises a street whose position is not known, and leaves it out of the placed results', async () => {
		for (const text of ['piazza garibaldi', 'Garibaldi piazza', 'p.za garibaldi']) {
			const [first] = await gazetteer.searchAll(text);
			expect(first, text).toEqual({
				name: 'Piazza Giuseppe Garibaldi', kind: 'street', id: null, lon: null, lat: null, near_stop: null, neighbourhood: null
			});
			expect((await gazetteer.search(text)).some((m) => m.name === 'Piazza Giuseppe Garibaldi'), text).toBe(false);
		}
	});

	it('links a stop to a street only when its name says which street', async () => {
		const linked = await sql<{ street: string; stop: string }[]>`
			SELECT s.name AS street, t.name AS stop FROM street_transit_stop x
			JOIN street s ON s.id = x.street_id JOIN transit_stop t ON t.id = x.stop_id`;
		const streetsOf = (stop: string) => linked.filter((l) => l.stop === stop).map((l) => l.street).sort();
		expect(streetsOf('Lecco, Amendola/Ghislanzoni')).toEqual(['VIA ANTONIO GHISLANZONI', 'VIA GIOVANNI AMENDOLA']);
		// A whole name wins over an ending ("Trento": Via Trento, not Via Ala di Trento).
		expect(streetsOf('Lecco, Cappuccini/Trento')).toContain('VIA TRENTO');
		expect(streetsOf('Lecco, Cappuccini/Trento')).not.toContain('VIA ALA DI TRENTO');
		// "Manzoni" ends three names (a square, a bridge, a street): none is guessed.
		expect(streetsOf('Lecco, Manzoni/Costituzione').some((s) => s.includes('MANZONI'))).toBe(false);
		// "fr." (opposite) names a landmark, not the street the stop is on.
		expect(streetsOf('Lecco, FS, Montello/fr. Stazione')).not.toContain('PIAZZA STAZIONE');
		expect(linked.length).toBeGreaterThan(200);
	});
});
