import { sql, type TransactionSql } from './client';

/**
 * The SQL of imports (server/imports): the column mapping saved per source, the record of each
 * committed import, and which of a file's external ids a source already has. The records
 * themselves are written by db/directory.ts, as the seed's are.
 */

export interface ImportSourceRow {
	id: string;
	name: string;
	licence: string;
	url: string | null;
	/** Whether records came from it by an import (a seed's source is not offered: the seed owns it). */
	imported: boolean;
}

/** The sources a file may be imported into: those earlier imports created. */
export async function importedSources(): Promise<ImportSourceRow[]> {
	return sql<ImportSourceRow[]>`
		SELECT s.id, s.name, s.licence, s.url, true AS imported
		FROM source s
		WHERE EXISTS (SELECT 1 FROM import_run r WHERE r.source_id = s.id)
		ORDER BY s.name`;
}

/** Whether a source id is free for an import: unknown, or created by an earlier import. */
export async function sourceOpenToImport(sourceId: string, tx?: TransactionSql): Promise<boolean> {
	const db = tx ?? sql;
	const [row] = await db<{ open: boolean }[]>`
		SELECT NOT EXISTS (SELECT 1 FROM source WHERE id = ${sourceId})
			OR EXISTS (SELECT 1 FROM import_run WHERE source_id = ${sourceId}) AS open`;
	return row!.open;
}

export async function savedMapping(sourceId: string): Promise<unknown> {
	const [row] = await sql<{ mapping: unknown }[]>`SELECT mapping FROM import_mapping WHERE source_id = ${sourceId}`;
	return row?.mapping ?? null;
}

export async function saveMapping(tx: TransactionSql, sourceId: string, mapping: Record<string, string>, by: string | null): Promise<void> {
	const rows = await tx`
		INSERT INTO import_mapping (source_id, mapping, updated_by) VALUES (${sourceId}, ${tx.json(mapping)}, ${by}::uuid)
		ON CONFLICT (source_id) DO UPDATE SET mapping = EXCLUDED.mapping, updated_by = EXCLUDED.updated_by, updated_at = now()
		RETURNING source_id`;
	if (rows.length !== 1) throw new Error(`mapping of ${sourceId} was not saved`);
}

/** Which of `refs` the source already has. */
export async function existingRefs(tx: TransactionSql, sourceId: string, refs: readonly string[]): Promise<Set<string>> {
	const rows = await tx<{ source_ref: string }[]>`
		SELECT source_ref FROM organization WHERE source_id = ${sourceId} AND source_ref = ANY(${refs as string[]}::text[])`;
	return new Set(rows.map((r) => r.source_ref));
}

/** Which of these names are rioni (a package's service areas name them). */
export async function neighbourhoodsNamed(names: readonly string[]): Promise<Set<string>> {
	if (names.length === 0) return new Set();
	const rows = await sql<{ name: string }[]>`SELECT name FROM neighbourhood WHERE name = ANY(${names as string[]}::text[])`;
	return new Set(rows.map((r) => r.name));
}

export interface ImportRunInput {
	sourceId: string;
	licence: string;
	format: 'csv' | 'geojson' | 'hsds';
	fileName: string | null;
	rows: number;
	created: number;
	updated: number;
	kept: number;
	by: string | null;
}

/** Records a committed import and marks the organisations it wrote as last written by it. */
export async function recordRun(tx: TransactionSql, run: ImportRunInput, organizationIds: readonly string[]): Promise<string> {
	const [row] = await tx<{ id: string }[]>`
		INSERT INTO import_run (source_id, licence, format, file_name, rows, created, updated, kept, imported_by)
		VALUES (${run.sourceId}, ${run.licence}, ${run.format}, ${run.fileName?.slice(0, 300) ?? null}, ${run.rows},
			${run.created}, ${run.updated}, ${run.kept}, ${run.by}::uuid)
		RETURNING id::text`;
	if (!row) throw new Error('import run was not recorded');
	const marked = await tx`UPDATE organization SET import_run_id = ${row.id}::uuid WHERE id = ANY(${organizationIds as string[]}::uuid[])`;
	if (marked.count !== organizationIds.length) throw new Error(`import run: ${marked.count} of ${organizationIds.length} organisations marked`);
	return row.id;
}

export interface ImportRunRow {
	id: string;
	source_id: string;
	source_name: string;
	licence: string;
	format: string;
	file_name: string | null;
	rows: number;
	created: number;
	updated: number;
	kept: number;
	imported_at: Date;
}

export async function recentRuns(limit = 20): Promise<ImportRunRow[]> {
	return sql<ImportRunRow[]>`
		SELECT r.id::text, r.source_id, s.name AS source_name, r.licence, r.format, r.file_name, r.rows, r.created, r.updated, r.kept, r.imported_at
		FROM import_run r JOIN source s ON s.id = r.source_id
		ORDER BY r.imported_at DESC LIMIT ${limit}`;
}
