import { parse as parseCsv } from 'csv-parse/sync';
import { IMPORT_LIMITS, type ImportFormat, type ImportTable } from '../../domain/imports';
import { readHsdsPackage } from './hsds';

/**
 * An import file into rows of text by column, whatever its format: CSV (comma, semicolon or tab
 * separated, as spreadsheets save it, UTF-8 with or without a BOM), GeoJSON (each feature's
 * properties, its id, and a Point's coordinates as the columns `lon` and `lat`), or an HSDS data
 * package (hsds.ts). What is wrong with a file as a whole is an ImportFileError with a code the
 * page words (`imports.file.<code>`); what is wrong with a row is the rows' business (imports.ts).
 */

export type FileProblem = 'missing' | 'too_large' | 'unreadable' | 'empty' | 'format' | 'too_many_columns';

export class ImportFileError extends Error {
	constructor(
		readonly code: FileProblem,
		detail = ''
	) {
		super(`import file ${code}${detail ? `: ${detail}` : ''}`);
		this.name = 'ImportFileError';
	}
}

/** The format a file's name says (a data package is a zip), else what its first byte suggests. */
export function formatOf(name: string, bytes: Uint8Array): ImportFormat {
	const lower = name.toLowerCase();
	if (lower.endsWith('.zip') || (bytes[0] === 0x50 && bytes[1] === 0x4b)) return 'hsds';
	if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
	if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
	const first = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart();
	return first.startsWith('{') ? 'geojson' : 'csv';
}

function utf8(bytes: Uint8Array): string {
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
	} catch {
		throw new ImportFileError('unreadable', 'not UTF-8 text');
	}
}

/** The separator of a CSV's header line: the one of `;`, `,` and tab it holds most of. */
function delimiterOf(text: string): string {
	const header = text.slice(0, text.search(/\r?\n|$/));
	const counts = [';', ',', '\t'].map((d) => ({ d, n: header.split(d).length }));
	return counts.sort((a, b) => b.n - a.n)[0]!.d;
}

function checkColumns(columns: string[]): string[] {
	if (columns.length === 0) throw new ImportFileError('empty');
	if (columns.length > IMPORT_LIMITS.columns) throw new ImportFileError('too_many_columns');
	return columns;
}

export function readCsv(text: string): ImportTable {
	let rows: string[][];
	try {
		rows = parseCsv(text, { delimiter: delimiterOf(text), bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
	} catch (error) {
		throw new ImportFileError('unreadable', (error as Error).message);
	}
	const [header, ...body] = rows;
	if (!header) throw new ImportFileError('empty');
	const columns = checkColumns(uniqueNames(header.map((h) => h.trim())));
	if (body.length === 0) throw new ImportFileError('empty');
	const records = body.map((cells) => Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ''])));
	return { format: 'csv', columns, records };
}

/** Header names made unique and non-empty ("", "nome", "nome" → "column 1", "nome", "nome 2"), so each column can be chosen. */
function uniqueNames(names: string[]): string[] {
	const seen = new Map<string, number>();
	return names.map((raw, i) => {
		const name = raw || `column ${i + 1}`;
		const n = (seen.get(name) ?? 0) + 1;
		seen.set(name, n);
		return n === 1 ? name : `${name} ${n}`;
	});
}

/** A property's value as the text a CSV cell would hold. */
function cellOf(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join('; ');
	return JSON.stringify(value);
}

export function readGeoJson(text: string): ImportTable {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		throw new ImportFileError('unreadable', (error as Error).message);
	}
	const features = (parsed as { type?: unknown; features?: unknown })?.type === 'FeatureCollection' ? (parsed as { features: unknown }).features : null;
	if (!Array.isArray(features)) throw new ImportFileError('format', 'not a GeoJSON FeatureCollection');
	if (features.length === 0) throw new ImportFileError('empty');
	const columns = new Set<string>();
	const records = features.map((feature: unknown) => {
		const f = (feature && typeof feature === 'object' ? feature : {}) as { id?: unknown; properties?: unknown; geometry?: unknown };
		const properties = f.properties && typeof f.properties === 'object' && !Array.isArray(f.properties) ? (f.properties as Record<string, unknown>) : {};
		const record: Record<string, string> = {};
		for (const [key, value] of Object.entries(properties)) record[key] = cellOf(value);
		if (f.id !== undefined && !('id' in record)) record.id = cellOf(f.id);
		const geometry = f.geometry as { type?: unknown; coordinates?: unknown } | null;
		// Only a Point places a row; any other geometry leaves it to its address or to the preview.
		if (geometry?.type === 'Point' && Array.isArray(geometry.coordinates)) {
			record.lon = cellOf(geometry.coordinates[0]);
			record.lat = cellOf(geometry.coordinates[1]);
		}
		for (const key of Object.keys(record)) columns.add(key);
		return record;
	});
	const list = checkColumns([...columns]);
	return { format: 'geojson', columns: list, records: records.map((r) => Object.fromEntries(list.map((c) => [c, r[c] ?? '']))) };
}

/** Reads a file of any of the three formats. */
export function readImportFile(name: string, bytes: Uint8Array): ImportTable {
	if (bytes.length === 0) throw new ImportFileError('empty');
	const format = formatOf(name, bytes);
	if (format === 'hsds') return readHsdsPackage(bytes);
	const text = utf8(bytes);
	return format === 'geojson' ? readGeoJson(text) : readCsv(text);
}
