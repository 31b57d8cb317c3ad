import datapackage from './spec/datapackage.json';
import { SCHEMAS } from './spec';

/**
 * HSDS 3.1's tabular form: one CSV per table, described by a `datapackage.json` (Frictionless
 * tabular data package). The tables and their columns come from the pinned `datapackage.json`
 * (src/lib/server/hsds/spec), so an importer of HSDS packages can read its files with the same
 * definitions ({@link HSDS_TABLES}, {@link parseCsv}) that the export writes them with.
 */

export interface TableDefinition {
	/** The HSDS object (`service`). */
	name: string;
	/** Its file in the package (`services.csv`). */
	path: string;
	/** Its HSDS columns, in the specification's order. */
	fields: string[];
}

interface SpecResource {
	name: string;
	path: string;
	schema: { fields?: { name: string }[] };
}

/** Scalar properties of an HSDS JSON schema (the columns of its table). */
function scalarProperties(schemaFile: string): string[] {
	const schema = SCHEMAS.get(schemaFile) as { properties?: Record<string, { type?: string }> } | undefined;
	return Object.entries(schema?.properties ?? {})
		.filter(([, property]) => property.type !== undefined && property.type !== 'array' && property.type !== 'object')
		.map(([name]) => name);
}

/**
 * Every HSDS table. The pinned `datapackage.json` lists no fields for `unit` and only the keys of
 * `service_capacity` (known quirks, spec/README.md): those two take their columns from their JSON
 * schemas' scalar properties instead.
 */
export const HSDS_TABLES: readonly TableDefinition[] = (datapackage.resources as SpecResource[]).map((resource) => {
	const listed = (resource.schema.fields ?? []).map((field) => field.name);
	const fromSchema = scalarProperties(`${resource.name}.json`);
	return { name: resource.name, path: resource.path, fields: listed.length >= fromSchema.length ? listed : fromSchema };
});

export const tableNamed = (name: string): TableDefinition | undefined => HSDS_TABLES.find((table) => table.name === name);

type Row = Record<string, unknown>;

function cell(value: unknown): string {
	if (value === null || value === undefined) return '';
	const text = typeof value === 'string' ? value : String(value);
	return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A table as CSV (RFC 4180, CRLF): its HSDS columns, then the extension columns (`x_…`) its rows carry. */
export function toCsv(table: TableDefinition, rows: Row[]): { csv: string; columns: string[] } {
	const extensions = [...new Set(rows.flatMap((row) => Object.keys(row).filter((key) => key.startsWith('x_') && isScalar(row[key]))))].sort();
	const columns = [...table.fields, ...extensions];
	const lines = [columns.map(cell).join(','), ...rows.map((row) => columns.map((column) => cell(isScalar(row[column]) ? row[column] : null)).join(','))];
	return { csv: lines.join('\r\n') + '\r\n', columns };
}

const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** Reads a CSV written by {@link toCsv} (or any RFC 4180 file): rows as objects keyed by the header. */
export function parseCsv(text: string): Row[] {
	const records: string[][] = [];
	let record: string[] = [];
	let field = '';
	let quoted = false;
	const endField = () => {
		record.push(field);
		field = '';
	};
	const endRecord = () => {
		endField();
		records.push(record);
		record = [];
	};
	for (let i = 0; i < text.length; i++) {
		const char = text[i]!;
		if (quoted) {
			if (char === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (char === '"') quoted = false;
			else field += char;
		} else if (char === '"') quoted = true;
		else if (char === ',') endField();
		else if (char === '\n' || char === '\r') {
			if (char === '\r' && text[i + 1] === '\n') i++;
			endRecord();
		} else field += char;
	}
	if (field !== '' || record.length > 0) endRecord();
	const [header, ...body] = records;
	return body.map((values) => Object.fromEntries((header ?? []).map((name, index) => [name, values[index] ?? ''])));
}

/** The pinned package's description of a table, with its columns as written (extensions typed as strings, or as their values are). */
export function resourceDescriptor(table: TableDefinition, columns: string[], rows: Row[]) {
	const spec = (datapackage.resources as (SpecResource & { schema: { fields?: Row[] } })[]).find((resource) => resource.name === table.name);
	const specFields = new Map((spec?.schema.fields ?? []).map((field) => [field.name as string, field]));
	const fields = columns.map((name) => {
		const known = specFields.get(name);
		if (known) return known;
		const sample = rows.find((row) => row[name] !== null && row[name] !== undefined)?.[name];
		return { name, type: typeof sample === 'boolean' ? 'boolean' : typeof sample === 'number' ? 'number' : 'string', description: `Lecco profile extension (docs/hsds-lecco-profile.md).` };
	});
	return { ...(spec ?? { name: table.name, path: table.path, profile: 'tabular-data-resource', format: 'csv', mediatype: 'text/csv' }), schema: { ...(spec?.schema ?? {}), fields } };
}

export const SPEC_PACKAGE = { name: datapackage.name, version: datapackage.version, license: datapackage.license };
