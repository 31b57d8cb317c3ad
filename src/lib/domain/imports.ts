import type { FieldProblems, Problem } from './problems';
import { collectProblems, organizationRecord, readPoint, type OrganizationRecordInput } from './records';
import { AUDIENCES, CATEGORIES, NEEDS, type Term } from './taxonomy';

/**
 * Imports of directory records from a file (CSV, GeoJSON, HSDS data package), the pure half: which
 * file columns feed which field (the mapping, guessed from the headers or saved per source), a row
 * as the preview shows and edits it (strings), and the organisation record a row becomes — checked
 * by the one set of field rules (records.ts `organizationRecord`, as the seed files and the forms
 * are), its problems named by the row's fields. A row of a CSV or GeoJSON file is one organisation
 * with one place and one service offered there, which is what the partners' lists look like. A row
 * of an HSDS data package is one service at one of its places (HSDS `service_at_location`): it
 * also carries the package's ids of that place and service ({@link PACKAGE_FIELDS}), and the rows
 * of one organisation become one record with all its places and services ({@link organizationsOf}).
 * No I/O: the server places addresses (the gazetteer), checks the served area and the rioni
 * (server/imports).
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

/**
 * The fields only a data package's rows carry (imports/hsds.ts writes its columns with these
 * names, and a column of exactly that name feeds each: they are not in the mapping). A row with a
 * place or service id is a package row; the others leave them out, so a CSV's rows travel as before.
 */
export const PACKAGE_FIELDS = [
	/** The package's ids of the row's place and service: their external ids in the atlas. */
	'location_ref',
	'service_ref',
	'location_name',
	'service_description',
	'service_email',
	'service_url',
	'service_phone',
	/** `true`, `false` or empty (unknown): the profile's `x_accepting_new`. */
	'accepting_new',
	/** People at once (the profile's service_capacity). */
	'capacity',
	/** Rioni by name, separated by `;` (the profile's service_area). */
	'areas',
	/** Taxonomy terms of no taxonomy of the atlas (`taxonomy: code`, separated by `;`): each one a problem, so none is dropped unseen. */
	'terms'
] as const;
export type PackageField = (typeof PACKAGE_FIELDS)[number];
/** A field a row's problem may name. */
export type RowField = ImportField | PackageField;
export type ImportRow = Record<ImportField, string> & Partial<Record<PackageField, string>>;

/** Whether a row comes from a data package: it names the package's place or service. */
export const isPackageRow = (row: ImportRow): boolean => Boolean(row.location_ref?.trim() || row.service_ref?.trim());
/** For each field, the file's column that feeds it (absent: none). */
export type ColumnMapping = Partial<Record<ImportField, string>>;
export type ImportFormat = 'csv' | 'geojson' | 'hsds';

/** A file's rows as read: its column names and each row's text by column. */
export interface ImportTable {
	format: ImportFormat;
	columns: string[];
	records: Record<string, string>[];
	/** A data package's own credits (its datapackage.json sources and licences), for the source's attribution. */
	credits?: string;
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
		for (const field of PACKAGE_FIELDS) {
			const cell = record[field];
			if (cell) row[field] = String(cell).slice(0, IMPORT_LIMITS.cell);
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
		for (const field of [...IMPORT_FIELDS, ...PACKAGE_FIELDS]) {
			const cell = (item as Record<string, unknown>)[field];
			if (cell === undefined || cell === null || (cell === '' && !(IMPORT_FIELDS as readonly string[]).includes(field))) continue;
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

/**
 * Phone numbers as a cell holds them: one, or several separated by `;`, each optionally followed
 * by its description in brackets (`0341 123456 (segreteria); 0341 654321`), as a package's rows
 * write an organisation's phones.
 */
export function phonesOf(text: string): { number: string; description?: string }[] {
	return text
		.split(/;(?![^(]*\))/)
		.map((part) => part.trim())
		.filter(Boolean)
		.map((part) => {
			const described = /^([^(]*?)\s*\((.*)\)$/.exec(part);
			return described ? { number: described[1]!, description: described[2]!.trim() } : { number: part };
		});
}

/** Phones as {@link phonesOf} reads them. */
export const phonesText = (phones: readonly { number: string; description?: string | null }[]): string =>
	phones.map((p) => (p.description ? `${p.number} (${p.description})` : p.number)).join('; ');

const YES = new Set(['si', 'sì', 'yes', 'true', '1', 'x']);
const NO = new Set(['', 'no', 'false', '0']);

/** Whether the row says its place is confidential (shown to the public only as its rione). */
export const rowConfidential = (row: ImportRow): boolean => YES.has(termKey(row.confidential));

/** Which of a record's fields each of the row's fields became (the record's paths → the row's fields). */
const RECORD_PATHS: [RegExp, RowField][] = [
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
	[/^services\.0\.description$/, 'description'],
	[/^services\.0\.email$/, 'service_email'],
	[/^services\.0\.url$/, 'service_url'],
	[/^services\.0\.phones/, 'service_phone'],
	[/^services\.0\.accepting_new$/, 'accepting_new'],
	[/^services\.0\.capacity$/, 'capacity'],
	[/^services\.0\.areas/, 'areas']
];
/** A package row's own fields for what a flat row takes from the organisation's. */
const PACKAGE_PATHS: [RegExp, RowField][] = [
	[/^locations\.0\.name$/, 'location_name'],
	[/^services\.0\.description$/, 'service_description']
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
	const pkg = isPackageRow(row);
	const accepting = termKey(row.accepting_new ?? '');
	if (accepting && !YES.has(accepting) && !NO.has(accepting)) problems.accepting_new = 'invalid';
	const capacity = row.capacity?.trim() ? (/^\d{1,7}$/.test(row.capacity.trim()) ? Number(row.capacity.trim()) : Number.NaN) : undefined;
	const areas = (row.areas ?? '')
		.split(';')
		.map((part) => part.trim())
		.filter(Boolean);
	if (row.terms?.trim()) problems.terms = 'unknown_code';
	const locationRef = row.location_ref?.trim() || 'sede';
	const input: OrganizationRecordInput = {
		ref: row.ref,
		name: row.name,
		kind: kind as OrganizationRecordInput['kind'],
		description: row.description,
		email: row.email,
		website: row.website,
		phones: phonesOf(row.phone),
		locations: [
			{
				ref: locationRef,
				name: pkg && row.location_name?.trim() ? row.location_name : row.name,
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
				ref: row.service_ref?.trim() || 'servizio',
				name: row.service.trim() ? row.service : row.name,
				description: pkg ? (row.service_description ?? '') : row.description,
				category: kind as OrganizationRecordInput['kind'],
				needs: listOf(row.needs, NEEDS) as never,
				audiences: listOf(row.audiences, AUDIENCES) as never,
				// The fields only a package states: absent (as from a CSV) when it does not.
				...(row.service_email?.trim() ? { email: row.service_email } : {}),
				...(row.service_url?.trim() ? { url: row.service_url } : {}),
				...(row.service_phone?.trim() ? { phones: phonesOf(row.service_phone) } : {}),
				...(accepting ? { accepting_new: YES.has(accepting) } : {}),
				...(capacity !== undefined ? { capacity } : {}),
				...(areas.length > 0 ? { areas } : {}),
				at: [{ location: locationRef, opening_hours: hours || null }]
			}
		]
	};
	const parsed = organizationRecord.safeParse(input);
	if (!parsed.success) {
		const found: FieldProblems = {};
		collectProblems(found, '', parsed.error);
		const paths = pkg ? [...PACKAGE_PATHS, ...RECORD_PATHS] : RECORD_PATHS;
		for (const [path, code] of Object.entries(found)) {
			const field = paths.find(([pattern]) => pattern.test(path))?.[1] ?? 'name';
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

/**
 * Refs used by more than one row, lower-cased: the second and later rows get `duplicate`. A
 * package's rows share their organisation's ref: for them it is the same service at the same
 * place twice that is a duplicate.
 */
export function duplicateRefs(rows: readonly ImportRow[]): Set<number> {
	const seen = new Set<string>();
	const duplicates = new Set<number>();
	rows.forEach((row, index) => {
		const ref = row.ref.trim().toLowerCase();
		const key = isPackageRow(row) && ref ? `${ref}\u0000${row.service_ref?.trim() ?? ''}\u0000${row.location_ref?.trim() ?? ''}` : ref;
		if (!ref) return;
		if (seen.has(key)) duplicates.add(index);
		seen.add(key);
	});
	return duplicates;
}

/**
 * The organisation records to write, from the rows' records (row order, null for a row with
 * problems): a CSV's or GeoJSON's row is one record; a package's rows of one organisation (its
 * ref) are one record with each place and each service once — a place's and the organisation's
 * fields from the first row naming them, a service's places and hours from all its rows.
 */
export function organizationsOf(rows: readonly ImportRow[], records: readonly (OrganizationRecordInput | null)[]): OrganizationRecordInput[] {
	const out: OrganizationRecordInput[] = [];
	const byRef = new Map<string, OrganizationRecordInput>();
	rows.forEach((row, i) => {
		const record = records[i];
		if (!record) return;
		if (!isPackageRow(row)) {
			out.push(record);
			return;
		}
		const [location] = record.locations;
		const [service] = record.services;
		const org = byRef.get(record.ref.trim());
		if (!org) {
			const copy = { ...record, locations: [...record.locations], services: record.services.map((s) => ({ ...s, at: [...s.at] })) };
			byRef.set(record.ref.trim(), copy);
			out.push(copy);
			return;
		}
		if (location && !org.locations.some((l) => l.ref === location.ref)) org.locations.push(location);
		if (!service) return;
		const known = org.services.find((s) => s.ref === service.ref);
		if (known) known.at.push(...service.at);
		else org.services.push({ ...service, at: [...service.at] });
	});
	return out;
}
