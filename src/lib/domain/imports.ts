import type { FieldProblems, Problem } from './problems';
import { collectProblems, organizationRecord, readPoint, type OrganizationRecordInput } from './records';
import { AUDIENCES, CATEGORIES, NEEDS, type Term } from './taxonomy';

/**
 * Imports of directory records from a file (CSV, GeoJSON, HSDS data package), the pure half: which
 * file columns feed which field (the mapping, guessed from the headers or saved per source), a row
 * as the preview shows and edits it (strings), and the organisation record a row becomes — checked
 * by the one set of field rules (records.ts `organizationRecord`, as the seed files and the forms
 * are), its problems named by the row's fields. One row is one organisation with one place and one
 * service offered there, which is what the partners' lists look like. No I/O: the server places
 * addresses (the gazetteer) and checks the served area (server/imports).
 */

/** The fields of an import row, in the preview's column order. */
export const IMPORT_FIELDS = [
	'ref',
	'name',
	'kind',
	'description',
	'email',
	'website',
	'phone',
	'address',
	'postal_code',
	'city',
	'lon',
	'lat',
	'service',
	'needs',
	'audiences',
	'opening_hours',
	'accessibility',
	'confidential'
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type ImportRow = Record<ImportField, string>;
/** For each field, the file's column that feeds it (absent: none). */
export type ColumnMapping = Partial<Record<ImportField, string>>;
export type ImportFormat = 'csv' | 'geojson' | 'hsds';

/** A file's rows as read: its column names and each row's text by column. */
export interface ImportTable {
	format: ImportFormat;
	columns: string[];
	records: Record<string, string>[];
}

/** What the page takes (under the app's request body limit, 512 KB by default); the command line takes any file. */
export const IMPORT_LIMITS = { pageRows: 500, pageBytes: 250_000, columns: 200, cell: 10_000 } as const;

const isImportField = (value: string): value is ImportField => (IMPORT_FIELDS as readonly string[]).includes(value);

/** Header names (compared without case, accents, spaces or punctuation) that say which field a column feeds. */
const SYNONYMS: Record<ImportField, string[]> = {
	ref: ['ref', 'id', 'externalid', 'codice', 'identificativo', 'idesterno', 'organizationid'],
	name: ['name', 'nome', 'denominazione', 'ragionesociale', 'organizzazione', 'associazione'],
	kind: ['kind', 'category', 'categoria', 'tipo', 'tipologia'],
	description: ['description', 'descrizione', 'attivita'],
	email: ['email', 'mail', 'posta', 'emailaddress'],
	website: ['website', 'sito', 'sitoweb', 'web', 'url'],
	phone: ['phone', 'telefono', 'tel', 'phonenumber', 'number'],
	address: ['address', 'indirizzo', 'via', 'address1'],
	postal_code: ['postalcode', 'cap', 'postcode', 'zip'],
	city: ['city', 'comune', 'citta', 'localita'],
	lon: ['lon', 'lng', 'long', 'longitude', 'longitudine', 'x'],
	lat: ['lat', 'latitude', 'latitudine', 'y'],
	service: ['service', 'servizio', 'servicename'],
	needs: ['needs', 'bisogni', 'need'],
	audiences: ['audiences', 'destinatari', 'audience', 'pubblico'],
	opening_hours: ['openinghours', 'orari', 'orario', 'hours'],
	accessibility: ['accessibility', 'accessibilita'],
	confidential: ['confidential', 'riservato', 'riservata']
};

const headerKey = (header: string) =>
	header
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '');

/** A mapping from the file's headers: each field takes the first column whose name says it is that field. */
export function guessMapping(columns: readonly string[]): ColumnMapping {
	const mapping: ColumnMapping = {};
	const used = new Set<string>();
	for (const field of IMPORT_FIELDS) {
		const column = columns.find((c) => !used.has(c) && SYNONYMS[field].includes(headerKey(c)));
		if (column !== undefined) {
			mapping[field] = column;
			used.add(column);
		}
	}
	return mapping;
}

/**
 * A mapping as sent or saved, kept to fields we know and columns the file has (a saved mapping
 * may name a column this file lacks); anything else is dropped, so it is safe to store and apply.
 */
export function cleanMapping(value: unknown, columns: readonly string[]): ColumnMapping {
	const mapping: ColumnMapping = {};
	if (!value || typeof value !== 'object' || Array.isArray(value)) return mapping;
	for (const [field, column] of Object.entries(value)) {
		if (isImportField(field) && typeof column === 'string' && columns.includes(column)) mapping[field] = column;
	}
	return mapping;
}

/** A saved mapping that fits this file, else the guess; a saved one fills the fields the guess leaves. */
export function mappingFor(columns: readonly string[], saved: unknown): ColumnMapping {
	return { ...guessMapping(columns), ...cleanMapping(saved, columns) };
}

export const blankRow = (): ImportRow => Object.fromEntries(IMPORT_FIELDS.map((f) => [f, ''])) as ImportRow;

/** The rows as the preview shows them: each field from its column ('' when unmapped). */
export function mapRows(records: readonly Record<string, string>[], mapping: ColumnMapping): ImportRow[] {
	return records.map((record) => {
		const row = blankRow();
		for (const field of IMPORT_FIELDS) {
			const column = mapping[field];
			if (column !== undefined) row[field] = String(record[column] ?? '').slice(0, IMPORT_LIMITS.cell);
		}
		return row;
	});
}

/** Rows as sent back by the preview (JSON): strings for known fields only, or null when it is not a list of rows. */
export function readRows(value: unknown, max: number): ImportRow[] | null {
	if (!Array.isArray(value) || value.length > max) return null;
	const rows: ImportRow[] = [];
	for (const item of value) {
		if (!item || typeof item !== 'object' || Array.isArray(item)) return null;
		const row = blankRow();
		for (const field of IMPORT_FIELDS) {
			const cell = (item as Record<string, unknown>)[field];
			if (cell === undefined || cell === null) continue;
			if (typeof cell !== 'string') return null;
			row[field] = cell.slice(0, IMPORT_LIMITS.cell);
		}
		rows.push(row);
	}
	return rows;
}

/* From a row's text to the record's values. */

const termKey = (text: string) => text.trim().toLowerCase();

/** A code typed as the code itself or its label in either language ("Anziani", "elderly"); else as typed (the rule refuses it). */
function codeOf(text: string, terms: readonly Term[]): string {
	const key = termKey(text);
	const term = terms.find((t) => t.code === key || termKey(t.label_it) === key || termKey(t.label_en) === key);
	return term ? term.code : text.trim();
}

const listOf = (text: string, terms: readonly Term[]) =>
	text
		.split(/[;|,]/)
		.map((part) => part.trim())
		.filter(Boolean)
		.map((part) => codeOf(part, terms));

const YES = new Set(['si', 'sì', 'yes', 'true', '1', 'x']);
const NO = new Set(['', 'no', 'false', '0']);

/** Whether the row says its place is confidential (shown to the public only as its rione). */
export const rowConfidential = (row: ImportRow): boolean => YES.has(termKey(row.confidential));

/** Which of a record's fields each of the row's fields became (the record's paths → the row's fields). */
const RECORD_PATHS: [RegExp, ImportField][] = [
	[/^ref$/, 'ref'],
	[/^name$/, 'name'],
	[/^kind$/, 'kind'],
	[/^description$/, 'description'],
	[/^email$/, 'email'],
	[/^website$/, 'website'],
	[/^phones/, 'phone'],
	[/^locations\.0\.address$/, 'address'],
	[/^locations\.0\.postal_code$/, 'postal_code'],
	[/^locations\.0\.city$/, 'city'],
	[/^locations\.0\.(lon|lat)$/, 'lon'],
	[/^locations\.0\.accessibility$/, 'accessibility'],
	[/^locations\.0\.name$/, 'name'],
	[/^services\.0\.name$/, 'service'],
	[/^services\.0\.category$/, 'kind'],
	[/^services\.0\.needs/, 'needs'],
	[/^services\.0\.audiences/, 'audiences'],
	[/^services\.0\.at/, 'opening_hours'],
	[/^services\.0\.description$/, 'description']
];

/** Where a row's point comes from: its coordinates (from the file or placed by hand), else its address through the gazetteer. */
export type PointFrom = 'coordinates' | 'gazetteer';

/** A row of the report, as the page and the command show it. */
export interface RowReport {
	/** 1-based, the row's position among the file's rows (a CSV's line minus its header). */
	row: number;
	ref: string;
	name: string;
	problems: Problem[];
	/** Where the row stands, when it could be placed. */
	point: { lon: number; lat: number } | null;
	pointFrom: PointFrom | null;
	neighbourhood: string | null;
}

/** What the rules say about a row: its problems by the row's fields, and the record when there are none. */
export interface RowReading {
	problems: FieldProblems;
	record: OrganizationRecordInput | null;
}

/**
 * The organisation record a row becomes, by the seed's field rules; `point` is where it stands (its
 * coordinates, or the gazetteer's position for its address), null when it has none. Without a kind
 * column a row is an association (`partner`), which is what the partners' lists hold.
 */
export function readRow(row: ImportRow, point: { lon: number; lat: number } | null, kindMapped = true): RowReading {
	const problems: FieldProblems = {};
	const confidential = termKey(row.confidential);
	if (!YES.has(confidential) && !NO.has(confidential)) problems.confidential = 'invalid';
	const kind = kindMapped ? codeOf(row.kind, CATEGORIES) : 'partner';
	const hours = row.opening_hours.trim();
	const input: OrganizationRecordInput = {
		ref: row.ref,
		name: row.name,
		kind: kind as OrganizationRecordInput['kind'],
		description: row.description,
		email: row.email,
		website: row.website,
		phones: row.phone.trim() ? [{ number: row.phone }] : [],
		locations: [
			{
				ref: 'sede',
				name: row.name,
				// NaN is refused by the rule as point_invalid; a missing point is reported below.
				lon: point?.lon ?? Number.NaN,
				lat: point?.lat ?? Number.NaN,
				address: row.address,
				postal_code: row.postal_code,
				city: row.city,
				confidential: YES.has(confidential),
				accessibility: row.accessibility
			}
		],
		services: [
			{
				ref: 'servizio',
				name: row.service.trim() ? row.service : row.name,
				description: row.description,
				category: kind as OrganizationRecordInput['kind'],
				needs: listOf(row.needs, NEEDS) as never,
				audiences: listOf(row.audiences, AUDIENCES) as never,
				at: [{ location: 'sede', opening_hours: hours || null }]
			}
		]
	};
	const parsed = organizationRecord.safeParse(input);
	if (!parsed.success) {
		const found: FieldProblems = {};
		collectProblems(found, '', parsed.error);
		for (const [path, code] of Object.entries(found)) {
			const field = RECORD_PATHS.find(([pattern]) => pattern.test(path))?.[1] ?? 'name';
			problems[field] ??= code;
		}
	}
	if (!point) problems.lon = 'point_required';
	return Object.keys(problems).length > 0 ? { problems, record: null } : { problems, record: input };
}

/** The row's own coordinates (readPoint's rules: a comma for the decimal mark, "lat, lon" pasted), if it has any. */
export function rowPoint(row: ImportRow): ReturnType<typeof readPoint> {
	return readPoint(row.lon, row.lat);
}

/** Refs used by more than one row, lower-cased: the second and later rows get `duplicate`. */
export function duplicateRefs(rows: readonly ImportRow[]): Set<number> {
	const seen = new Set<string>();
	const duplicates = new Set<number>();
	rows.forEach((row, index) => {
		const key = row.ref.trim().toLowerCase();
		if (!key) return;
		if (seen.has(key)) duplicates.add(index);
		seen.add(key);
	});
	return duplicates;
}
