import { describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/server/db/client';
import * as places from '../../src/lib/server/db/places';

// The embedded PostGIS swallows GEOS errors: an operation on a self-intersecting polygon returns no
// rows and no error, so a write could silently do nothing while its transaction commits. These tests
// prove that bad geometry is refused before SQL and that nothing is half-written, on each backend.

const bowTie = {
	type: 'Polygon',
	coordinates: [
		[
			[9.38, 45.85],
			[9.39, 45.86],
			[9.39, 45.85],
			[9.38, 45.86],
			[9.38, 45.85]
		]
	]
};

async function neighbourhoodState() {
	return sql`SELECT name, md5(ST_AsBinary(geom)) AS shape, ST_AsText(label_point) AS label FROM neighbourhood ORDER BY name`;
}

describe('bad geometry', () => {
	it('is refused with a message, and every neighbourhood stays as it was', async () => {
		const before = await neighbourhoodState();
		expect(before.length).toBeGreaterThan(10);
		const current = await places.listNeighbourhoods();
		const inputs: places.NeighbourhoodInput[] = current.map((n) => ({
			name: n.name,
			geometry: n.geometry,
			derived: n.derived,
			source: 'atlante-rioni-derived'
		}));
		// The first one is redrawn correctly, the last one badly: the whole change must be refused.
		inputs[inputs.length - 1] = { ...inputs[inputs.length - 1]!, geometry: bowTie };
		await expect(places.replaceNeighbourhoods(inputs)).rejects.toThrow(/crosses itself/);
		expect(await neighbourhoodState()).toEqual(before);
	});

	it('is refused for administrative areas too, leaving them untouched', async () => {
		const [before] = await sql`SELECT count(*)::int AS n, md5(string_agg(ST_AsText(geom), '' ORDER BY istat_code)) AS h FROM administrative_area`;
		await expect(
			places.replaceAreas([{ istatCode: '097042', name: 'Lecco', geometry: bowTie, served: true, source: 'istat-confini-2026' }])
		).rejects.toThrow(/not valid/);
		const [after] = await sql`SELECT count(*)::int AS n, md5(string_agg(ST_AsText(geom), '' ORDER BY istat_code)) AS h FROM administrative_area`;
		expect(after).toEqual(before);
	});

	it('is also refused by the schema when it bypasses the TypeScript checks', async () => {
		// The last line of defence: the CHECK (ST_IsValid(geom)) constraint, on both backends.
		await expect(sql`
			INSERT INTO neighbourhood (name, geom, label_point, derived, source_id)
			VALUES ('Bow tie', ST_Multi(ST_GeomFromGeoJSON(${JSON.stringify(bowTie)})),
				ST_SetSRID(ST_MakePoint(9.385, 45.855), 4326), true, 'atlante-rioni-derived')`).rejects.toThrow();
		const [row] = await sql`SELECT count(*)::int AS n FROM neighbourhood WHERE name = 'Bow tie'`;
		expect(row!.n).toBe(0);
	});

	it('a valid redraw moves locations into the right rione', async () => {
		const current = await places.listNeighbourhoods();
		const inputs = current.map((n) => ({ name: n.name, geometry: n.geometry, derived: n.derived, source: 'atlante-rioni-derived' }));
		const [before] = await sql`SELECT count(*)::int AS n FROM location WHERE neighbourhood_id IS NOT NULL`;
		expect(await places.replaceNeighbourhoods(inputs)).toBe(inputs.length);
		const [after] = await sql`SELECT count(*)::int AS n FROM location WHERE neighbourhood_id IS NOT NULL`;
		expect(after!.n).toBe(before!.n);
	});
});
