import { IMPORT_LIMITS, cleanMapping, mapRows, mappingFor, readRows, type ColumnMapping, type ImportFormat, type ImportRow } from '../../domain/imports';
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
}

const FORMATS: readonly ImportFormat[] = ['csv', 'geojson', 'hsds'];

/** The preview's rows and mapping as posted (JSON in two fields), or null when they are not that. */
function sent(form: FormData | null): Sent | null {
	if (!form) return null;
	const format = text(form, 'format', 10) as ImportFormat;
	let rows: unknown;
	let mapping: unknown;
	try {
		rows = JSON.parse(text(form, 'rows', IMPORT_LIMITS.pageBytes * 2));
		mapping = JSON.parse(text(form, 'mapping', 20_000));
	} catch {
		return null;
	}
	const read = readRows(rows, IMPORT_LIMITS.pageRows);
	if (!read || read.length === 0 || !FORMATS.includes(format)) return null;
	const columns = mapping && typeof mapping === 'object' ? Object.values(mapping).filter((v): v is string => typeof v === 'string') : [];
	return { format, fileName: text(form, 'file_name', 300), credits: text(form, 'credits', 2000), mapping: cleanMapping(mapping, columns), rows: read };
}

export type CheckAnswer = { ok: false; sourceProblems: Problem[]; report: { rows: RowReport[]; invalid: number } | null } | { ok: true; report: { rows: RowReport[]; invalid: number } };

/** Step 2: the rows as fixed in the preview, checked again. */
export async function check(form: FormData | null, servedMarginM: number): Promise<CheckAnswer | null> {
	const input = sent(form);
	if (!input) return null;
	const report = shown(await checkRows(input.rows, { servedMarginM, kindMapped: input.mapping.kind !== undefined }));
	return { ok: true, report };
}

export type CommitAnswer =
	| { ok: false; sourceProblems: Problem[]; report: { rows: RowReport[]; invalid: number } | null }
	| {
			ok: true;
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
	if (!result.ok) return { ok: false, sourceProblems: result.sourceProblems, report: result.check ? shown(result.check) : null };
	return {
		ok: true,
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
