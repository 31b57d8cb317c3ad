// `npm run bench:import [-- --rows 10000 --backends server,embedded]`
//
// Imports (issue 15): a CSV of --rows associations (deterministic, inside Lecco, 1 in 50 placed by
// its address through the gazetteer) imported with full validation into a scratch database seeded
// with the real Lecco data, on a PostGIS server (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
// postgres://postgres@127.0.0.1:5432/test) and on the embedded store. For each backend, in the
// same run:
//   1. baseline: the same rows inserted without validation — organisations, locations, services
//      and their pins as four multi-row INSERTs in one transaction (then removed);
//   2. import: read the file, map the columns, check every row (field rules, gazetteer, served
//      area), commit all in one transaction, as `npm run import` does;
//   3. re-import of the same file (nothing changes: every record compared field by field).
// Prints each in seconds and as a ratio to the baseline. Target: the import ≤ 30 s at 10,000 rows
// on PostGIS.
import { mapRows, mappingFor } from '../../src/lib/domain/imports';
import { readConfig } from '../../src/lib/server/config';
import { sql } from '../../src/lib/server/db/client';
import { readImportFile } from '../../src/lib/server/imports/files';
import { commitImport } from '../../src/lib/server/imports/imports';
import { start, stop } from '../../src/lib/server/startup';
import { backendList, readOptions, whole, type Backend } from '../lib/args';
import { createScratchDatabase } from '../lib/scratch-database';

process.env.LOG_LEVEL ??= 'silent';

const { rows: ROWS, backends } = readOptions({ rows: whole(10000), backends: backendList('server,embedded') });
const TARGET_S = 30;
const { servedMarginM } = readConfig({});

function csv(n: number): string {
	const lines = ['id;nome;categoria;descrizione;email;sito;telefono;indirizzo;cap;comune;lat;lon;bisogni;orari'];
	for (let k = 0; k < n; k++) {
		const byAddress = k % 50 === 49;
		const lat = (45.835 + (k % 100) * 0.0003).toFixed(6);
		const lon = (9.385 + Math.floor(k / 100) * 0.0002).toFixed(6);
		lines.push(
			[
				`b-${k}`,
				`Associazione di prova ${k}`,
				k % 7 === 0 ? 'institution' : 'partner',
				`Descrizione dell'associazione ${k}`,
				`info${k}@associazione.example.org`,
				k % 3 === 0 ? `www.assoc${k}.example.org` : '',
				`0341 ${String(100000 + (k % 900000))}`,
				byAddress ? 'Via Antonio Ghislanzoni 12' : `Via Prova ${k}`,
				'23900',
				'Lecco',
				byAddress ? '' : lat,
				byAddress ? '' : lon,
				k % 2 ? 'food, listening' : 'elderly',
				k % 4 === 0 ? 'Mo-Fr 09:00-12:00' : ''
			].join(';')
		);
	}
	return lines.join('\n') + '\n';
}

/** The rows inserted plainly: no rules, no gazetteer, no served area, no merge. */
async function baseline(all: ReturnType<typeof mapRows>): Promise<number> {
	const began = performance.now();
	await sql.begin(async (tx) => {
		await tx`INSERT INTO source (id, name, licence, attribution) VALUES ('bench-baseline', 'Baseline', 'CC0', 'Baseline')`;
		// In thousands, as the import's bulk insert goes (a statement takes at most 65,535 parameters).
		for (let i = 0; i < all.length; i += 1000) {
			const rows = all.slice(i, i + 1000);
			const orgs = await tx<{ id: string; source_ref: string }[]>`
				INSERT INTO organization ${tx(
					rows.map((r) => ({ name: r.name, kind: 'partner', description: r.description, email: r.email, source_id: 'bench-baseline', source_ref: r.ref, verified_at: '2026-01-01' }))
				)} RETURNING id::text, source_ref`;
			const idOf = new Map(orgs.map((o) => [o.source_ref, o.id]));
			const locations = await tx<{ id: string; organization_id: string }[]>`
				INSERT INTO location (organization_id, name, geom, address_1, postal_code, city, source_ref)
				SELECT o::uuid, n, ST_SetSRID(ST_MakePoint(x, y), 4326), a, p, c, 'sede'
				FROM unnest(${rows.map((r) => idOf.get(r.ref)!)}::text[], ${rows.map((r) => r.name)}::text[],
					${rows.map((r) => Number(r.lon || 9.39))}::float8[], ${rows.map((r) => Number(r.lat || 45.85))}::float8[],
					${rows.map((r) => r.address)}::text[], ${rows.map((r) => r.postal_code)}::text[], ${rows.map((r) => r.city)}::text[]) AS u(o, n, x, y, a, p, c)
				RETURNING id::text, organization_id::text`;
			const services = await tx<{ id: string; organization_id: string }[]>`
				INSERT INTO service ${tx(
					rows.map((r) => ({ organization_id: idOf.get(r.ref)!, name: r.name, description: r.description, category: 'partner', source_ref: 'servizio', verified_at: '2026-01-01' }))
				)} RETURNING id::text, organization_id::text`;
			const locationOf = new Map(locations.map((l) => [l.organization_id, l.id]));
			await tx`INSERT INTO service_at_location ${tx(services.map((s) => ({ service_id: s.id, location_id: locationOf.get(s.organization_id)! })))}`;
		}
	});
	const ms = performance.now() - began;
	await sql`DELETE FROM organization WHERE source_id = 'bench-baseline'`;
	await sql`DELETE FROM source WHERE id = 'bench-baseline'`;
	return ms;
}

async function importOnce(bytes: Uint8Array): Promise<{ ms: number; created: number }> {
	const began = performance.now();
	const file = readImportFile('bench.csv', bytes);
	const mapping = mappingFor(file.columns, null);
	const result = await commitImport(
		{ source: { id: 'bench-import', name: 'Bench import', licence: 'CC0', url: null }, format: 'csv', fileName: 'bench.csv', mapping, rows: mapRows(file.records, mapping) },
		null,
		{ servedMarginM }
	);
	if (!result.ok) throw new Error(`import refused: ${JSON.stringify(result.sourceProblems)} ${JSON.stringify(result.check?.rows.find((r) => r.problems.length))}`);
	return { ms: performance.now() - began, created: result.created };
}

async function runOn(backend: Backend): Promise<void> {
	const scratch = backend === 'server' ? await createScratchDatabase('bench_import', process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test') : null;
	try {
		await start(scratch ? { DATABASE_URL: scratch.url, ATLANTE_DEMO: '0' } : { ATLANTE_DATA_DIR: 'memory://', ATLANTE_DEMO: '0' }, { seed: true });
		const bytes = new TextEncoder().encode(csv(ROWS));
		const file = readImportFile('bench.csv', bytes);
		const rows = mapRows(file.records, mappingFor(file.columns, null));
		const base = await baseline(rows);
		const first = await importOnce(bytes);
		if (first.created !== ROWS) throw new Error(`created ${first.created} of ${ROWS}`);
		const again = await importOnce(bytes);
		const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
		console.log(`${backend}, ${ROWS} rows:`);
		console.log(`  baseline (plain INSERTs, no validation): ${s(base)}`);
		console.log(`  import (read, validate, place, commit):  ${s(first.ms)}  = ${(first.ms / base).toFixed(1)} × baseline  ${backend === 'server' ? (first.ms <= TARGET_S * 1000 ? `(target ≤ ${TARGET_S} s: met)` : `(target ≤ ${TARGET_S} s: MISSED)`) : ''}`);
		console.log(`  re-import, nothing changes:              ${s(again.ms)}  = ${(again.ms / base).toFixed(1)} × baseline`);
	} finally {
		await stop();
		await scratch?.drop();
	}
}

for (const backend of backends) await runOn(backend);
