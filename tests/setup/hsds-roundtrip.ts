// Run as a process of its own by tests/db/hsds-import.test.ts: a fresh store (the database the
// environment names, ATLANTE_DB_ASSETS without the directory's seed bundles: the territory only, no
// demo), the HSDS data package FILE imported into it twice, and the store's HSDS answers, all
// written as JSON to OUT.
//   tsx tests/setup/hsds-roundtrip.ts FILE OUT
import fs from 'node:fs';
import { mapRows, mappingFor } from '../../src/lib/domain/imports';
import { readConfig } from '../../src/lib/server/config';
import { sql } from '../../src/lib/server/db/client';
import { readImportFile } from '../../src/lib/server/imports/files';
import { commitImport } from '../../src/lib/server/imports/imports';
import { start, stop } from '../../src/lib/server/startup';
import { hsdsAnswers } from './hsds-answers';

const [file, out] = process.argv.slice(2) as [string, string];
try {
	await start(process.env, { seed: true });
	const [directory] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM organization`;
	const table = readImportFile('datapackage.zip', new Uint8Array(fs.readFileSync(file)));
	const mapping = mappingFor(table.columns, null);
	const input = {
		source: { id: 'hsds-roundtrip', name: 'Atlante di comunità (pacchetto HSDS)', licence: 'Varie (vedi attribuzione)', url: null },
		format: table.format,
		fileName: 'datapackage.zip',
		mapping,
		credits: table.credits ?? null,
		rows: mapRows(table.records, mapping)
	};
	const options = { servedMarginM: readConfig(process.env).servedMarginM };
	const summary = (result: Awaited<ReturnType<typeof commitImport>>) => ({
		ok: result.ok,
		rows: result.check?.rows.length ?? 0,
		problems: (result.check?.rows ?? []).filter((r) => r.problems.length > 0).slice(0, 20),
		...(result.ok ? { created: result.created, updated: result.updated, unchanged: result.unchanged, kept: result.kept.length } : {})
	});
	const first = summary(await commitImport(input, null, options));
	const second = summary(await commitImport(input, null, options));
	const [source] = await sql<{ attribution: string; licence: string }[]>`SELECT attribution, licence FROM source WHERE id = 'hsds-roundtrip'`;
	fs.writeFileSync(out, JSON.stringify({ before: directory!.n, first, second, source, answers: await hsdsAnswers() }));
} finally {
	await stop();
}
