import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { blankRow, cleanMapping, duplicateRefs, guessMapping, mapRows, organizationsOf, phonesOf, phonesText, readRow, readRows } from '../../src/lib/domain/imports';
import { ImportFileError, readImportFile } from '../../src/lib/server/imports/files';

// The imports' pure half (domain/imports.ts) and the file readers (server/imports/files.ts, hsds.ts).

const LECCO = { lon: 9.39, lat: 45.855 };
const row = (values: Partial<ReturnType<typeof blankRow>>) => ({ ...blankRow(), ref: 'a-1', name: 'Associazione Uno', ...values });

describe('import rows', () => {
	it('guesses the mapping from Italian or English headers, and keeps a saved one only where the file has its columns', () => {
		expect(guessMapping(['Codice', 'Denominazione', 'E-mail', 'Latitudine', 'Longitudine', 'Indirizzo', 'CAP'])).toEqual({
			ref: 'Codice', name: 'Denominazione', email: 'E-mail', lat: 'Latitudine', lon: 'Longitudine', address: 'Indirizzo', postal_code: 'CAP'
		});
		expect(cleanMapping({ name: 'nome', email: 'assente', __proto__: 'nome', constructor: 'nome' }, ['nome'])).toEqual({ name: 'nome' });
		expect(mapRows([{ nome: 'X', altro: 'y' }], { name: 'nome' })[0]).toMatchObject({ name: 'X', email: '' });
		expect(readRows([{ ref: 1 }], 10)).toBeNull();
		expect(readRows([{ ref: 'a', extra: 'ignored' }], 10)).toEqual([{ ...blankRow(), ref: 'a' }]);
		expect(readRows([{}, {}], 1)).toBeNull();
	});

	it('judges a row by the seed files’ rules, naming the row’s own fields', () => {
		const good = readRow(row({ kind: 'partner', email: 'INFO@Esempio.it', website: 'www.esempio.it', needs: 'Anziani; food', opening_hours: 'Mo-Fr 09:00-12:00' }), LECCO);
		expect(good.problems).toEqual({});
		expect(good.record).toMatchObject({ kind: 'partner', email: 'INFO@Esempio.it', services: [{ needs: ['elderly', 'food'], at: [{ opening_hours: 'Mo-Fr 09:00-12:00' }] }] });
		const bad = readRow(row({ email: 'info@', website: 'ftp://x', kind: 'ristorante', needs: 'volare', opening_hours: 'sempre', phone: '12', confidential: 'forse', ref: '' }), null);
		expect(bad.record).toBeNull();
		expect(bad.problems).toEqual({
			confidential: 'invalid', ref: 'required', kind: 'unknown_code', email: 'email', website: 'url', phone: 'phone', needs: 'unknown_code', opening_hours: 'hours_invalid', lon: 'point_required'
		});
		// Without a category column every row is an association; a category label is read as its code.
		expect(readRow(row({ kind: '' }), LECCO, false).record?.kind).toBe('partner');
		expect(readRow(row({ kind: 'Scuole e doposcuola' }), LECCO).record?.kind).toBe('school');
		expect([...duplicateRefs([row({}), row({ ref: 'A-1' }), row({ ref: 'b' })])]).toEqual([1]);
	});
});

describe('import files', () => {
	it('reads a semicolon CSV with a BOM and a GeoJSON of points', () => {
		const csv = readImportFile('x.csv', strToU8('\uFEFFid;nome;lat\r\n1;"Uno; due";45,85\r\n'));
		expect(csv).toEqual({ format: 'csv', columns: ['id', 'nome', 'lat'], records: [{ id: '1', nome: 'Uno; due', lat: '45,85' }] });
		const geojson = readImportFile(
			'x.geojson',
			strToU8(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', id: 7, properties: { nome: 'Uno', tags: ['a', 'b'] }, geometry: { type: 'Point', coordinates: [9.39, 45.85] } }] }))
		);
		expect(geojson.records).toEqual([{ nome: 'Uno', tags: 'a; b', id: '7', lon: '9.39', lat: '45.85' }]);
		expect(() => readImportFile('x.csv', new Uint8Array([0xff, 0xfe, 0x00]))).toThrow(ImportFileError);
		expect(() => readImportFile('x.geojson', strToU8('{"type":"Feature"}'))).toThrow(/format/);
	});

	it('reads an HSDS 3.1 data package: one row per service at each place, with the package ids that group them again', () => {
		const csv = (rows: string[][]) => strToU8(rows.map((r) => r.join(',')).join('\n'));
		const zip = zipSync({
			'datapackage.json': strToU8(JSON.stringify({ name: 'test', resources: [{ name: 'organization', path: 'organizations.csv' }] })),
			'organizations.csv': csv([['id', 'name', 'description', 'email', 'website'], ['o1', 'Associazione Uno', 'Aiuto', 'info@uno.it', 'https://uno.it'], ['o2', 'Due', '', '', '']]),
			'locations.csv': csv([['id', 'organization_id', 'name', 'latitude', 'longitude'], ['l1', 'o1', 'Sede', '45.85', '9.39']]),
			'addresses.csv': csv([['id', 'location_id', 'address_1', 'city', 'postal_code'], ['a1', 'l1', 'Via Roma 1', 'Lecco', '23900']]),
			'services.csv': csv([['id', 'organization_id', 'name'], ['s1', 'o1', 'Spesa solidale'], ['s2', 'o2', 'Ascolto']]),
			'service_at_location.csv': csv([['id', 'service_id', 'location_id'], ['p1', 's2', 'l1']]),
			'phones.csv': csv([['id', 'service_id', 'number'], ['ph1', 's1', '0341 123456']])
		});
		const table = readImportFile('hsds.zip', zip);
		expect(table.format).toBe('hsds');
		const mapping = guessMapping(table.columns);
		expect(mapping).toMatchObject({ ref: 'ref', name: 'name', kind: 'kind', lat: 'lat', lon: 'lon', address: 'address', service: 'service', phone: 'phone', opening_hours: 'opening_hours' });
		const rows = mapRows(table.records, mapping);
		// s1 is offered nowhere: a row without a place (its report will say so); s2 at o1's place.
		expect(rows[0]).toMatchObject({ ref: 'o1', name: 'Associazione Uno', kind: 'partner', service: 'Spesa solidale', service_ref: 's1', service_phone: '0341 123456', lat: '', phone: '' });
		expect(rows[0]!.location_ref).toBeUndefined();
		expect(rows[1]).toMatchObject({ ref: 'o2', service: 'Ascolto', service_ref: 's2', location_ref: 'l1', location_name: 'Sede', address: 'Via Roma 1', postal_code: '23900', lat: '45.85', lon: '9.39' });
		expect(rows).toHaveLength(2);
		expect(() => readImportFile('x.zip', zipSync({ 'a.csv': strToU8('x') }))).toThrow(/datapackage/);
	});
});

describe('package rows', () => {
	const pin = (service: string, location: string, values: Partial<ReturnType<typeof blankRow>> = {}) =>
		row({ ref: 'o1', kind: 'partner', service: `Servizio ${service}`, service_ref: service, location_ref: location, location_name: `Sede ${location}`, ...values });

	it('groups an organisation\'s rows into one record: each place and service once, a service at all its places', () => {
		const rows = [pin('s1', 'l1', { opening_hours: 'Mo 09:00-12:00' }), pin('s1', 'l2', { lon: '9.38', lat: '45.84' }), pin('s2', 'l1'), row({ ref: 'csv-1', kind: 'partner' })];
		const records = rows.map((r) => readRow(r, { lon: Number(r.lon || LECCO.lon), lat: Number(r.lat || LECCO.lat) }).record);
		expect(records.every(Boolean)).toBe(true);
		const [org, flat] = organizationsOf(rows, records);
		expect(org!.locations.map((l) => [l.ref, l.name])).toEqual([['l1', 'Sede l1'], ['l2', 'Sede l2']]);
		expect(org!.services.map((s) => [s.ref, s.at])).toEqual([
			['s1', [{ location: 'l1', opening_hours: 'Mo 09:00-12:00' }, { location: 'l2', opening_hours: null }]],
			['s2', [{ location: 'l1', opening_hours: null }]]
		]);
		expect(flat!.services[0]!.ref).toBe('servizio');
		// The same service at the same place twice is the duplicate; the organisation's ref shared by its rows is not.
		expect(duplicateRefs([...rows, pin('s2', 'l1')])).toEqual(new Set([4]));
	});

	it('reads what only a package states, and names its problems by those fields', () => {
		const reading = readRow(pin('s1', 'l1', { capacity: '12', areas: 'Centro; Pescarenico', accepting_new: 'false', service_phone: '0341 1234 (sportello)' }), LECCO);
		expect(reading.record!.services[0]).toMatchObject({ capacity: 12, areas: ['Centro', 'Pescarenico'], accepting_new: false, phones: [{ number: '0341 1234', description: 'sportello' }] });
		const bad = readRow(pin('s1', 'l1', { capacity: 'molti', accepting_new: 'forse', service_email: 'x@', terms: 'Open Eligibility: seniors' }), LECCO);
		expect(bad.problems).toEqual({ capacity: 'invalid', accepting_new: 'invalid', service_email: 'email', terms: 'unknown_code' });
	});

	it('writes and reads phones with their descriptions', () => {
		const phones = [{ number: '0341 123456', description: 'Segreteria; mattina' }, { number: '+39 0341 654321' }];
		expect(phonesOf(phonesText(phones))).toEqual(phones);
	});
});
