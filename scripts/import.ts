// `npm run import -- FILE --source ID --name NAME --licence LICENCE [--url URL] [--map FIELD=COLUMN …] [--dry-run]`
//
// Imports directory records from a CSV, a GeoJSON or an HSDS data package (issue 15), as the
// administrators' page /admin/import does: every row checked by the one set of field rules and
// placed (its coordinates, else its address through the gazetteer), a report of every row with a
// problem, and — only when no row has one — everything written in one transaction, matched by
// external id (importing again updates, and never overwrites a field a partner or an
// administrator edited since). Columns are mapped as the source's last import mapped them, else
// guessed from the headers; --map overrides a field. --dry-run checks and reports, writes nothing.
// Exit status: 0 imported (or a clean dry run), 1 refused (nothing written), 2 wrong arguments.
// On the embedded store, stop the app first (one writer).
import fs from 'node:fs';
import path from 'node:path';
import { IMPORT_FIELDS, cleanMapping, mapRows, mappingFor, type ColumnMapping } from '../src/lib/domain/imports';
import { readConfig } from '../src/lib/server/config';
import * as imports from '../src/lib/server/db/imports';
import { ImportFileError, readImportFile } from '../src/lib/server/imports/files';
import { commitImport } from '../src/lib/server/imports/imports';
import { start, stop } from '../src/lib/server/startup';
import { fileCommand, usageError } from './lib/args';

const usage = `Usage: npm run import -- FILE --source ID --name NAME --licence LICENCE [options]
  FILE                 .csv, .geojson or an HSDS data package (.zip)
  --source ID          the source's short id (a-z, 0-9, -), e.g. csv-associazioni-2026
  --name NAME          how the source is cited, e.g. "Comune di Lecco — Albo delle associazioni"
  --licence LICENCE    the data's licence, e.g. "CC BY 4.0"
  --url URL            where the data come from
  --map FIELD=COLUMN   which column feeds a field (repeatable); fields: ${IMPORT_FIELDS.join(', ')}
  --dry-run            check and report; write nothing`;

const { positionals, values } = fileCommand(usage, {
	source: { type: 'string' },
	name: { type: 'string' },
	licence: { type: 'string' },
	url: { type: 'string' },
	map: { type: 'string', multiple: true },
	'dry-run': { type: 'boolean', default: false }
});
if (!values.source || !values.name || !values.licence) usageError(usage);
const file = positionals[0]!;
const overrides: Record<string, string> = {};
for (const pair of values.map ?? []) {
	const at = pair.indexOf('=');
	if (at < 1) usageError(usage, `--map ${pair}: write FIELD=COLUMN`);
	overrides[pair.slice(0, at)] = pair.slice(at + 1);
}

try {
	// Schema only at start: this command never loads seed files.
	await start(process.env, { seed: false });
	const table = readImportFile(path.basename(file), new Uint8Array(fs.readFileSync(file)));
	const mapping: ColumnMapping = { ...mappingFor(table.columns, await imports.savedMapping(values.source.trim().toLowerCase())), ...cleanMapping(overrides, table.columns) };
	for (const field of Object.keys(overrides)) {
		if (!(field in cleanMapping(overrides, table.columns))) console.warn(`--map ${field}=${overrides[field]}: no such field or column, ignored`);
	}
	console.info(`${table.records.length} rows (${table.format}); columns: ${IMPORT_FIELDS.filter((f) => mapping[f]).map((f) => `${f} ← ${mapping[f]}`).join(', ')}`);
	const result = await commitImport(
		{
			source: { id: values.source, name: values.name, licence: values.licence, url: values.url ?? null },
			format: table.format,
			fileName: path.basename(file),
			credits: table.credits ?? null,
			mapping,
			rows: mapRows(table.records, mapping)
		},
		null,
		{ servedMarginM: readConfig(process.env).servedMarginM, dryRun: values['dry-run'] }
	);
	if (!result.ok) {
		for (const problem of result.sourceProblems) console.error(`--${problem.field === 'id' ? 'source' : problem.field}: ${problem.code}`);
		for (const row of result.check?.rows ?? []) {
			if (row.problems.length > 0) console.error(`row ${row.row} (${row.ref || 'no id'}): ${row.problems.map((p) => `${p.field}: ${p.code}`).join('; ')}`);
		}
		console.error(`Refused, nothing written${result.check ? `: ${result.check.invalid} of ${result.check.rows.length} rows have problems` : ''}.`);
		process.exitCode = 1;
	} else if (values['dry-run']) {
		const byGazetteer = result.check.rows.filter((r) => r.pointFrom === 'gazetteer').length;
		console.info(`Dry run, nothing written: all ${result.check.rows.length} rows are fine (${byGazetteer} placed by their address).`);
	} else {
		console.info(`Imported ${result.check.rows.length} rows into ${values.source}: ${result.created} new, ${result.updated} already there (${result.unchanged} unchanged).`);
		for (const kept of result.kept) console.info(`  kept as edited: ${kept.record} ${kept.field ?? ''}`);
	}
} catch (error) {
	if (error instanceof ImportFileError) {
		console.error(`Refused, nothing written: ${error.message}`);
		process.exitCode = 1;
	} else throw error;
} finally {
	await stop();
}
