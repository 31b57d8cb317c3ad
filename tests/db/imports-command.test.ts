import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { freshStore } from '../setup/fresh-store';
import { BAD_ROWS, fixtureRows, toCsv } from '../setup/import-fixture';

// `npm run import` as an operator runs it, a process of its own on a scratch store of this
// project's backend (not seeded: no served area, so only the bad email and category are refused,
// and the rows that have only an address are left out of the file, as there is no gazetteer).

const server = inject('databaseUrl') !== null;
let env: NodeJS.ProcessEnv;
let dir: string;
let cleanup: () => Promise<void> = async () => {};

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-import-command-'));
	({ env, drop: cleanup } = await freshStore({ server, purpose: 'import_command', dataDir: path.join(dir, 'data'), env: { LOG_LEVEL: 'silent' } }));
});

afterAll(async () => {
	await cleanup();
	fs.rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]) {
	const result = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/import.ts', ...args], { env, encoding: 'utf8', timeout: 300_000 });
	return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const SLOW = 600_000;

describe('npm run import', () => {
	it('refuses a file with bad rows naming each, dry-runs the fixed file, then imports it', { timeout: SLOW }, () => {
		const rows = fixtureRows('Cmd').filter((r) => r.lat !== '');
		const bad = path.join(dir, 'associazioni.csv');
		fs.writeFileSync(bad, toCsv(rows));
		const source = ['--source', 'csv-test-command', '--name', 'Elenco di prova', '--licence', 'CC0 1.0'];
		const refused = run([bad, ...source]);
		expect(refused.status, refused.output).toBe(1);
		expect(refused.output).toContain(`row ${BAD_ROWS.email} (ass-007): email: email`);
		expect(refused.output).toContain('kind: unknown_code');
		expect(refused.output).toMatch(/Refused, nothing written: 2 of 47 rows have problems/);

		const good = path.join(dir, 'associazioni-ok.csv');
		fs.writeFileSync(good, toCsv(rows.map((r) => ({ ...r, email: r.email === 'info@' ? '' : r.email, categoria: 'partner' }))));
		const dry = run([good, ...source, '--dry-run']);
		expect(dry.status, dry.output).toBe(0);
		expect(dry.output).toContain('Dry run, nothing written: all 47 rows are fine');
		const done = run([good, ...source, '--map', 'description=nome']);
		expect(done.status, done.output).toBe(0);
		expect(done.output).toContain('description ← nome');
		expect(done.output).toContain('Imported 47 rows into csv-test-command: 47 new, 0 already there');
		const again = run([good, ...source, '--map', 'description=nome']);
		expect(again.output).toContain('47 already there (47 unchanged)');
		expect(run([good]).status).toBe(2);
	});
});
