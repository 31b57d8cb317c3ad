import { z } from 'zod';
import { todayInRome } from '../../domain/dates';
import {
	duplicateRefs,
	organizationsOf,
	readRow,
	rowConfidential,
	rowPoint,
	type ColumnMapping,
	type ImportFormat,
	type ImportRow,
	type PointFrom,
	type RowReport
} from '../../domain/imports';

export type { RowReport };
import { problemList, type FieldProblems, type Problem } from '../../domain/problems';
import { organizationRecord, optionalWebsite, problemsOf, requiredText, type OrganizationRecordInput } from '../../domain/records';
import * as audit from '../db/audit';
import { sql } from '../db/client';
import * as directory from '../db/directory';
import * as imports from '../db/imports';
import { pointFactsMany } from '../db/match';
import { locate } from '../pact/address-lookup';

/**
 * Imports of directory records (issue 15): a file's rows checked by the one set of field rules,
 * placed (their coordinates, else their address through the gazetteer), reported row by row, and
 * committed all or nothing in one transaction through the seed's writer (db/directory.ts
 * writeOrganization): records are matched by (source, external id), so importing again updates
 * instead of duplicating, and a field a partner or an administrator edited since the last import
 * stays as they left it (the seed's rule, domain/seed-merge.ts). Each record keeps its source (with
 * its licence) and the import that last wrote it. A data package's rows (one per service at a
 * place) are grouped back into organisations with all their places and services
 * (domain/imports.ts organizationsOf), each place and service matched by the package's id.
 */

/** The source a file's records come from, as the import form or the command line gives it. */
export const importSource = z.object({
	id: z
		.string()
		.trim()
		.toLowerCase()
		.regex(/^[a-z0-9][a-z0-9-]{1,60}$/, 'invalid')
		// The partners' own records have their source; it is not a file's.
		.refine((id) => id !== 'partner', 'invalid'),
	name: requiredText(300),
	licence: requiredText(200),
	// Absent or null: none.
	url: z.preprocess((v) => v ?? '', optionalWebsite())
});
export type ImportSource = z.output<typeof importSource>;


export interface ImportCheck {
	rows: RowReport[];
	/** How many rows have problems. */
	invalid: number;
	/** The records of the valid rows, in row order (null for a row with problems): one place and one service each, grouped by organisationsOf. */
	records: (OrganizationRecordInput | null)[];
}

export interface CheckOptions {
	servedMarginM: number;
	/** Whether the file's category column is mapped (else every row is an association). */
	kindMapped: boolean;
}

/**
 * The row-level report: every row through the field rules, placed, and its point checked against
 * the served area (one query for all the rows). Addresses are looked up once each.
 */
export async function checkRows(rows: readonly ImportRow[], options: CheckOptions): Promise<ImportCheck> {
	const located = new Map<string, Awaited<ReturnType<typeof locate>>>();
	const placed: { point: { lon: number; lat: number } | null; from: PointFrom | null; problems: FieldProblems }[] = [];
	for (const row of rows) {
		const own = rowPoint(row);
		if (own.ok) {
			placed.push({ point: own.point, from: 'coordinates', problems: {} });
		} else if (own.code === 'point_required' && row.address.trim()) {
			const address = [row.address, row.city].map((s) => s.trim()).filter(Boolean).join(', ');
			if (!located.has(address)) located.set(address, await locate(row.address, options.servedMarginM));
			const hit = located.get(address);
			placed.push(hit ? { point: { lon: hit.lon, lat: hit.lat }, from: 'gazetteer', problems: {} } : { point: null, from: null, problems: { address: 'not_found' } });
		} else {
			placed.push({ point: null, from: null, problems: { lon: own.code } });
		}
	}
	const withPoints = placed.flatMap((p, i) => (p.point ? [{ i, point: p.point }] : []));
	const facts = await pointFactsMany(
		withPoints.map((p) => p.point),
		options.servedMarginM
	);
	const neighbourhoods = new Map<number, string | null>();
	withPoints.forEach(({ i }, k) => {
		const fact = facts[k]!;
		neighbourhoods.set(i, fact.neighbourhood);
		if (!fact.served) placed[i]!.problems.lon = 'outside_area';
	});
	const duplicates = duplicateRefs(rows);
	// The rioni a package names for its services, all looked up at once.
	const areaNames = [...new Set(rows.flatMap((row) => (row.areas ?? '').split(';').map((name) => name.trim()).filter(Boolean)))];
	const knownAreas = await imports.neighbourhoodsNamed(areaNames);
	const report: RowReport[] = [];
	const records: (OrganizationRecordInput | null)[] = [];
	rows.forEach((row, i) => {
		const where = placed[i]!;
		const reading = readRow(row, where.problems.lon ? null : where.point, options.kindMapped);
		// What placing found wrong says more than "no point" (outside the area, address not found).
		const problems: FieldProblems = { ...reading.problems, ...where.problems };
		if (where.problems.address && problems.lon === 'point_required') delete problems.lon;
		if (rowConfidential(row) && where.point && !problems.lon && !neighbourhoods.get(i)) problems.lon = 'confidential_outside_rione';
		if (duplicates.has(i)) problems.ref = 'duplicate';
		const areas = (row.areas ?? '').split(';').map((name) => name.trim()).filter(Boolean);
		if (!problems.areas && areas.some((name) => !knownAreas.has(name))) problems.areas = 'unknown_code';
		const ok = Object.keys(problems).length === 0 && reading.record !== null;
		records.push(ok ? reading.record : null);
		report.push({
			row: i + 1,
			ref: row.ref.trim(),
			name: row.name.trim(),
			problems: problemList(problems),
			point: where.point,
			pointFrom: where.from,
			neighbourhood: neighbourhoods.get(i) ?? null
		});
	});
	return { rows: report, invalid: report.filter((r) => r.problems.length > 0).length, records };
}

export interface ImportInput {
	/** As given: checked by {@link importSource}. */
	source: z.input<typeof importSource>;
	format: ImportFormat;
	fileName: string | null;
	mapping: ColumnMapping;
	rows: readonly ImportRow[];
	/** A data package's credits (its datapackage.json sources and licences): the source's attribution. Absent: the source's name. */
	credits?: string | null;
}

export interface ImportActor {
	id: string;
	email: string;
}

export type CommitResult =
	| { ok: false; sourceProblems: Problem[]; check: ImportCheck | null }
	| {
			ok: true;
			check: ImportCheck;
			runId: string;
			created: number;
			/** Records the source had (`unchanged` of them exactly as the file brings them again). */
			updated: number;
			unchanged: number;
			kept: directory.KeptEdit[];
	  };

/** The source's problems: its fields, and an id that belongs to a seed data set (the seed owns those). */
export async function sourceProblems(source: unknown): Promise<{ source: ImportSource | null; problems: Problem[] }> {
	const problems = problemList(problemsOf(importSource, source));
	if (problems.length > 0) return { source: null, problems };
	const parsed = importSource.parse(source);
	if (!(await imports.sourceOpenToImport(parsed.id))) return { source: null, problems: [{ field: 'id', code: 'invalid' }] };
	return { source: parsed, problems: [] };
}

/**
 * Checks every row and, when none has a problem, writes them all in one transaction: the source
 * (with its licence), each organisation with its place and service (matched by external id), the
 * import's record, the mapping for the next file of this source, and an audit event. With `dryRun`
 * it stops after the check. Any failure while writing rolls everything back.
 */
export async function commitImport(
	input: ImportInput,
	actor: ImportActor | null,
	options: { servedMarginM: number; dryRun?: boolean; address?: string | null }
): Promise<CommitResult> {
	const { source, problems } = await sourceProblems(input.source);
	if (!source) return { ok: false, sourceProblems: problems, check: null };
	const check = await checkRows(input.rows, { servedMarginM: options.servedMarginM, kindMapped: input.mapping.kind !== undefined });
	if (check.invalid > 0 || input.rows.length === 0) return { ok: false, sourceProblems: [], check };
	if (options.dryRun) return { ok: true, check, runId: '', created: 0, updated: 0, unchanged: 0, kept: [] };
	const grouped = organizationsOf(input.rows, check.records);
	// Each place and service once per organisation, each service at places it has: the rows' checks
	// (duplicate) make this hold, and the writer relies on it. The rules judge the records as given.
	for (const record of grouped) directory.validateOrganization(record as unknown as Parameters<typeof directory.validateOrganization>[0]);
	const records = grouped.map((r) => organizationRecord.parse(r));
	const verifiedAt = todayInRome();
	const attribution = input.credits?.trim().slice(0, 2000) || source.name;
	return sql.begin(async (tx) => {
		if (!(await imports.sourceOpenToImport(source.id, tx))) throw new Error(`source ${source.id} belongs to the seed`);
		await directory.upsertSource(tx, { ...source, attribution });
		const existing = await imports.existingRefs(
			tx,
			source.id,
			records.map((r) => r.ref)
		);
		const provenance = { sourceId: source.id, demo: false, verifiedAt };
		const kept: directory.KeptEdit[] = [];
		// New records in bulk; the source's existing ones one by one, through the merge that keeps people's edits.
		// Records the file brings as the last import wrote them only have their date confirmed.
		const fresh = records.filter((r) => !existing.has(r.ref));
		const known = records.filter((r) => existing.has(r.ref));
		const unchanged = await directory.unchangedOrganizations(tx, source.id, known);
		const ids = await directory.insertNewOrganizations(tx, fresh, provenance);
		ids.push(...(await directory.confirmUnchanged(tx, source.id, [...unchanged], verifiedAt)));
		for (const record of known.filter((r) => !unchanged.has(r.ref))) ids.push(await directory.writeOrganization(tx, record, provenance, kept));
		const created = fresh.length;
		const runId = await imports.recordRun(
			tx,
			{
				sourceId: source.id,
				licence: source.licence,
				format: input.format,
				fileName: input.fileName,
				rows: input.rows.length,
				created,
				updated: records.length - created,
				kept: kept.length,
				by: actor?.id ?? null
			},
			ids
		);
		await imports.saveMapping(tx, source.id, input.mapping as Record<string, string>, actor?.id ?? null);
		await audit.record(
			{
				actorId: actor?.id ?? null,
				actorEmail: actor?.email ?? null,
				action: 'directory.import',
				subjectType: 'import_run',
				subjectId: runId,
				address: options.address ?? null,
				detail: { source: source.id, run: runId, rows: input.rows.length, organizations: records.length, created, kept: kept.length }
			},
			tx
		);
		return { ok: true as const, check, runId, created, updated: records.length - created, unchanged: unchanged.size, kept };
	});
}
