import { describe, expect, it } from 'vitest';
import { BOUNDARY_LIMITS, growBounds, readBoundaryFile, readPopulationForm, type Bounds } from '../../src/lib/domain/territory';

// The rules of the territory forms (src/lib/domain/territory.ts), on their own.

const LECCO: Bounds = growBounds([9.3657, 45.8124, 9.4849, 45.9061], 2000);
const square = (lon: number, lat: number, d = 0.002) => ({
	type: 'Polygon',
	coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]
});
const collection = (...features: { name?: unknown; geometry: unknown }[]) =>
	JSON.stringify({ type: 'FeatureCollection', features: features.map((f) => ({ type: 'Feature', properties: { name: f.name }, geometry: f.geometry })) });
const codes = (text: string) => {
	const read = readBoundaryFile(text, LECCO);
	return read.ok ? [] : read.problems.map((p) => p.code);
};

describe('a newer residents figure', () => {
	const today = '2026-03-15';
	const form = { rione: ' Olate ', residents: '2.361', reference_date: '2025-12-31', source_note: 'Anagrafe' };

	it('reads a whole number (thousands separators allowed) and a real day up to today', () => {
		expect(readPopulationForm(form, today)).toEqual({ ok: true, figure: { rione: 'Olate', residents: 2361, referenceDate: '2025-12-31', sourceNote: 'Anagrafe' } });
		expect(readPopulationForm({ ...form, residents: '0', reference_date: today }, today)).toMatchObject({ ok: true, figure: { residents: 0 } });
	});

	it('names the field and the problem', () => {
		const problem = (values: Partial<typeof form>) => {
			const read = readPopulationForm({ ...form, ...values }, today);
			return read.ok ? null : read.problems.map((p) => `${p.field}:${p.code}`);
		};
		expect(problem({ reference_date: '2026-03-16' })).toEqual(['reference_date:future']);
		expect(problem({ reference_date: '2026-02-29' })).toEqual(['reference_date:date']);
		expect(problem({ reference_date: '15/03/2026' })).toEqual(['reference_date:date']);
		expect(problem({ residents: '1e3' })).toEqual(['residents:residents']);
		expect(problem({ residents: '1000001' })).toEqual(['residents:residents']);
		expect(problem({ residents: '-1' })).toEqual(['residents:residents']);
		expect(problem({ rione: '', source_note: '' })).toEqual(['rione:required', 'source_note:required']);
	});
});

describe('a boundary file', () => {
	it('reads named polygons near the served comune as MultiPolygons', () => {
		const read = readBoundaryFile(collection({ name: ' Santo  Stefano ', geometry: square(9.39, 45.86) }, { name: 'Olate', geometry: { type: 'MultiPolygon', coordinates: [square(9.41, 45.85).coordinates] } }), LECCO);
		expect(read.ok && read.features.map((f) => [f.name, f.geometry.type])).toEqual([['Santo Stefano', 'MultiPolygon'], ['Olate', 'MultiPolygon']]);
	});

	it('refuses what is not a FeatureCollection of valid, uniquely named polygons nearby, within the limits', () => {
		expect(codes('nope')).toEqual(['notJson']);
		expect(codes('{"type":"FeatureCollection","features":[]}')).toEqual(['empty']);
		expect(codes('[]')).toEqual(['notCollection']);
		expect(codes(collection({ name: 'A', geometry: square(9.39, 45.86) }, { name: 'a', geometry: square(9.40, 45.86) }))).toEqual(['duplicateName']);
		expect(codes(collection({ name: 42, geometry: square(9.39, 45.86) }))).toEqual(['noName']);
		expect(codes(collection({ name: 'Punto', geometry: { type: 'Point', coordinates: [9.39, 45.86] } }))).toEqual(['geometry']);
		expect(codes(collection({ name: 'Milano', geometry: square(9.19, 45.46) }))).toEqual(['farAway']);
		// UTM metres instead of degrees: out of range, said as a geometry problem.
		expect(codes(collection({ name: 'UTM', geometry: square(531660, 5078547, 100) }))).toEqual(['geometry']);
		expect(codes(collection(...Array.from({ length: BOUNDARY_LIMITS.features + 1 }, (_, i) => ({ name: `R${i}`, geometry: square(9.39, 45.86) }))))).toEqual(['tooMany']);
		expect(codes(' '.repeat(BOUNDARY_LIMITS.bytes + 1))).toEqual(['tooLarge']);
	});
});
