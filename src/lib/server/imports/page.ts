import { IMPORT_FIELDS, IMPORT_LIMITS, PACKAGE_FIELDS, cleanMapping, mapRows, mappingFor, readRows, type ColumnMapping, type ImportFormat, type ImportRow, type RowField } from '../../domain/imports';
import type { Problem } from '../../domain/problems';
import * as imports from '../db/imports';
import { ImportFileError, readImportFile, type FileProblem } from './files';
import { checkRows, commitImport, sourceProblems, type ImportActor, type ImportCheck, type RowReport } from './imports';

/**
 * The plumbing of the administrators' import page (/admin/import): the form's fields into the
 * service's input and its answers into what the page shows. Three steps, each a POST: `read` (the
 * file, its columns, the mapping — the source's saved one, else guessed — and the report), `check`
 * (the rows as fixed in the preview, again through the rules), `commit` (all or nothing).
 */

export interface SourceValues {
	id: string;
	name: string;
	licence: string;
	url: string;
}

const text = (form: FormData, name: string, max: number) => {
	const value = form.get(name);
	return typeof value === 'string' ? value.slice(0, max) : '';
};

export const sourceValues = (form: FormData | null): SourceValues => ({
	id: form ? text(form, 'source_id', 100) : '',
	name: form ? text(form, 'source_name', 300) : '',
	licence: form ? text(form, 'licence', 200) : '',
	url: form ? text(form, 'url', 500) : ''
});

/** The report as the page shows it: rows by number, without the records. */
const shown = (check: ImportCheck): { rows: RowReport[]; invalid: number } => ({ rows: check.rows, invalid: check.invalid });

export type ReadAnswer =
	| { ok: false; fileProblem?: FileProblem; sourceProblems: Problem[] }
	| {
			ok: true;
			format: ImportFormat;
			fileName: string;
			columns: string[];
			records: Record<string, string>[];
			/** A data package's credits, sent back with the rows (the source's attribution). */
			credits: string;
			mapping: ColumnMapping;
			rows: ImportRow[];
			report: { rows: RowReport[]; invalid: number };
	  };

/** Step 1: the uploaded file read, mapped and checked; nothing is written. */
export async function read(form: FormData | null, servedMarginM: number): Promise<ReadAnswer> {
	const source = await sourceProblems(sourceValues(form));
	const file = form?.get('file');
	if (!(file instanceof File) || file.size === 0) return { ok: false, fileProblem: 'missing', sourceProblems: source.problems };
	if (file.size > IMPORT_LIMITS.pageBytes) return { ok: false, fileProblem: 'too_large', sourceProblems: source.problems };
	if (!source.source) return { ok: false, sourceProblems: source.problems };
	try {
		const table = readImportFile(file.name, new Uint8Array(await file.arrayBuffer()));
		if (table.records.length > IMPORT_LIMITS.pageRows) return { ok: false, fileProblem: 'too_large', sourceProblems: [] };
		const mapping = mappingFor(table.columns, await imports.savedMapping(source.source.id));
		const rows = mapRows(table.records, mapping);
		const check = await checkRows(rows, { servedMarginM, kindMapped: mapping.kind !== undefined });
		return {
			ok: true,
			format: table.format,
			fileName: file.name.slice(0, 300),
			columns: table.columns,
			records: table.records,
			credits: table.credits ?? '',
			mapping,
			rows,
			report: shown(check)
		};
	} catch (error) {
		if (error instanceof ImportFileError) return { ok: false, fileProblem: error.code, sourceProblems: [] };
		throw error;
	}
}

interface Sent {
	format: ImportFormat;
	fileName: string;
	credits: string;
	mapping: ColumnMapping;
	rows: ImportRow[];
	/** The file's columns, for the preview shown again (the mapping's choices). */
	columns: string[];
}

/**
 * The preview as the page shows it again after a check or a commit posted without JavaScript
 * (with it, the page keeps its own and only takes the report). The file's records are not sent
 * back and forth, so the mapping can be changed only with JavaScript (or by reading the file again).
 */
type Report = { rows: RowReport[]; invalid: number };
export type Echo = Sent & { records: Record<string, string>[]; report: Report | null };
const echo = (input: Sent, report: Report | null): Echo => ({ ...input, records: [], report });

const ROW_FIELDS: readonly string[] = [...IMPORT_FIELDS, ...PACKAGE_FIELDS];
const FIX = /^fix\.(\d+)\.([a-z_]+)$/;

/**
 * The preview's fixes as typed into its table (`fix.{row}.{field}`): with JavaScript the rows' JSON
 * already holds them, without it only these fields do. The same value either way, so applying them
 * again is harmless.
 */
function applyFixes(rows: ImportRow[], form: FormData): void {
	for (const [name, value] of form) {
		const match = FIX.exec(name);
		if (!match || typeof value !== 'string') continue;
		const row = rows[Number(match[1]) - 1];
		const field = match[2]!;
		if (row && ROW_FIELDS.includes(field)) row[field as RowField] = value.slice(0, IMPORT_LIMITS.cell);
	}
}

const FORMATS: readonly ImportFormat[] = ['csv', 'geojson', 'hsds'];

/** The preview's rows and mapping as posted (JSON in two fields), or null when they are not that. */
function sent(form: FormData | null): Sent | null {
	if (!form) return null;
	const format = text(form, 'format', 10) as ImportFormat;
	let rows: unknown;
	let mapping: unknown;
	let fileColumns: unknown;
	try {
		rows = JSON.parse(text(form, 'rows', IMPORT_LIMITS.pageBytes * 2));
		mapping = JSON.parse(text(form, 'mapping', 20_000));
		fileColumns = JSON.parse(text(form, 'columns', 50_000) || '[]');
	} catch {
		return null;
	}
	const read = readRows(rows, IMPORT_LIMITS.pageRows);
	if (!read || read.length === 0 || !FORMATS.includes(format)) return null;
	applyFixes(read, form);
	const mapped = mapping && typeof mapping === 'object' ? Object.values(mapping).filter((v): v is string => typeof v === 'string') : [];
	const columns = Array.isArray(fileColumns) ? fileColumns.filter((c): c is string => typeof c === 'string').slice(0, IMPORT_LIMITS.columns) : [];
	return { format, fileName: text(form, 'file_name', 300), credits: text(form, 'credits', 2000), mapping: cleanMapping(mapping, mapped), rows: read, columns };
}

export type CheckAnswer = { ok: true; report: { rows: RowReport[]; invalid: number }; preview: Echo };

/** Step 2: the rows as fixed in the preview, checked again. */
export async function check(form: FormData | null, servedMarginM: number): Promise<CheckAnswer | null> {
	const input = sent(form);
	if (!input) return null;
	const report = shown(await checkRows(input.rows, { servedMarginM, kindMapped: input.mapping.kind !== undefined }));
	return { ok: true, report, preview: echo(input, report) };
}

export type CommitAnswer =
	| { ok: false; sourceProblems: Problem[]; report: { rows: RowReport[]; invalid: number } | null; preview: Echo }
	| {
			ok: true;
			preview: Echo;
			report: { rows: RowReport[]; invalid: number };
			/** The file's format and rows: a package's rows are services at places, several to an organisation. */
			format: ImportFormat;
			rows: number;
			created: number;
			updated: number;
			unchanged: number;
			kept: number;
	  };

/** Step 3: everything written in one transaction, or nothing and the report. */
export async function commit(form: FormData | null, actor: ImportActor, servedMarginM: number, address: string | null): Promise<CommitAnswer | null> {
	const input = sent(form);
	if (!input) return null;
	const result = await commitImport({ source: sourceValues(form), ...input }, actor, { servedMarginM, address });
	if (!result.ok) {
		const report = result.check ? shown(result.check) : null;
		return { ok: false, sourceProblems: result.sourceProblems, report, preview: echo(input, report) };
	}
	return {
		ok: true,
		preview: echo(input, shown(result.check)),
		report: shown(result.check),
		format: input.format,
		rows: input.rows.length,
		created: result.created,
		updated: result.updated,
		unchanged: result.unchanged,
		kept: result.kept.length
	};
}

export async function overview() {
	return { sources: await imports.importedSources(), runs: await imports.recentRuns(), limits: { rows: IMPORT_LIMITS.pageRows, kb: Math.round(IMPORT_LIMITS.pageBytes / 1000) } };
}
