import { describe, expect, it } from 'vitest';
import { HSDS_TABLES, parseCsv, tableNamed, toCsv } from '../../src/lib/server/hsds/tables';

// The HSDS tabular tables (src/lib/server/hsds/tables.ts): the export writes them, an importer reads them.
describe('HSDS tables', () => {
	it('come from the pinned datapackage.json, with the two quirky tables completed from their schemas', () => {
		expect(HSDS_TABLES.map((t) => t.name)).toContain('service_at_location');
		expect(tableNamed('service')!.fields.slice(0, 4)).toEqual(['id', 'organization_id', 'program_id', 'name']);
		expect(tableNamed('unit')!.fields).toEqual(['id', 'name', 'scheme', 'identifier', 'uri']);
		expect(tableNamed('service_capacity')!.fields).toEqual(['id', 'service_id', 'unit_id', 'available', 'maximum', 'description', 'updated']);
	});

	it('write CSV that reads back the same, quotes, commas, line breaks and extension columns included', () => {
		const table = tableNamed('phone')!;
		const rows = [
			{ id: 'a', number: '0341 123456', description: 'Segreteria, "mattina"\nsolo feriali', x_note: ' spazi ', nested: { no: 1 } },
			{ id: 'b', number: '+39 0341 1', x_flag: true }
		];
		const { csv, columns } = toCsv(table, rows);
		expect(columns).toEqual([...table.fields, 'x_flag', 'x_note']);
		expect(csv.endsWith('\r\n')).toBe(true);
		const back = parseCsv(csv);
		expect(back).toHaveLength(2);
		expect(back[0]).toMatchObject({ id: 'a', description: 'Segreteria, "mattina"\nsolo feriali', x_note: ' spazi ', x_flag: '' });
		expect(back[1]).toMatchObject({ id: 'b', number: '+39 0341 1', x_flag: 'true', description: '' });
		expect(Object.keys(back[0]!)).not.toContain('nested');
	});
});
