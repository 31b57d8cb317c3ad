import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { freshStore } from '../setup/fresh-store';

// The real commands (`npm run seed`, `npm run admin`, `npm run migrate`), run as their own processes
// on a scratch store of this project's backend, the way an operator runs them next to a running app
// (issue 10: an admin command run from a shell without ATLANTE_DEMO removed the demo set).

const server = inject('databaseUrl') !== null;
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void> = async () => {};

beforeAll(async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-commands-'));
	const store = await freshStore({ server, purpose: 'commands', dataDir: dir, env: { LOG_LEVEL: 'info' }, unset: ['ATLANTE_DEMO'] });
	env = store.env;
	cleanup = async () => {
		await store.drop();
		fs.rmSync(dir, { recursive: true, force: true });
	};
});

afterAll(async () => cleanup());

function run(args: string[], extra: NodeJS.ProcessEnv = {}, input = '') {
	const result = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', ...args], {
		env: { ...env, ...extra },
		input,
		encoding: 'utf8',
		timeout: 400_000
	});
	return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The directory as the public sees it, read by a process of its own (the embedded store has one writer). */
function counts(): { demo: number; real: number; pins: number } {
	const code = `(async () => {
		const { start, stop } = await import('./src/lib/server/startup.ts');
		const client = await import('./src/lib/server/db/client.ts');
		await start(process.env, { seed: false });
		const [row] = await client.sql\`SELECT count(*) FILTER (WHERE demo)::int AS demo, count(*) FILTER (WHERE NOT demo)::int AS real,
			(SELECT count(*)::int FROM public_resource) AS pins FROM organization\`;
		console.log('COUNTS ' + JSON.stringify(row));
		await stop();
	})()`;
	const { status, output } = run(['-e', code], { LOG_LEVEL: 'silent' });
	const line = output.split('\n').find((l) => l.startsWith('COUNTS '));
	if (status !== 0 || !line) throw new Error(`could not count: ${output}`);
	return JSON.parse(line.slice('COUNTS '.length));
}

// Each step is a process that opens the store (seconds each on a busy machine): few counts, long timeouts.
const SLOW = 900_000;

describe('only the app start and npm run seed change directory content', () => {
	let before: { demo: number; real: number; pins: number };

	it('admin, migrate, and seed with a contradicting ATLANTE_DEMO leave the demo set and every resource in place', { timeout: SLOW }, () => {
		// The app's first start with the demo set (npm run seed loads as the app's start does).
		const first = run(['scripts/migrate.ts', '--seed'], { ATLANTE_DEMO: '1' });
		expect(first.status, first.output).toBe(0);
		before = counts();
		expect(before.demo).toBeGreaterThan(30);

		// On a server the default is "no demo set"; on the embedded store, say it outright.
		const shell = server ? {} : { ATLANTE_DEMO: '0' };
		const admin = run(
			['scripts/admin.ts', 'create-user', '--email', `commands-${Date.now()}@atlante.test`, '--role', 'worker', '--name', 'Carla Comandi', '--password-stdin'],
			shell,
			'Quattro gatti sul tetto 2026\n'
		);
		expect(admin.status, admin.output).toBe(0);
		expect(admin.output).toContain('shown to staff as “Carla Comandi”');
		const migrate = run(['scripts/migrate.ts'], shell);
		expect(migrate.status, migrate.output).toBe(0);
		expect(counts()).toEqual(before);

		// npm run seed with a contradicting ATLANTE_DEMO: the recorded choice wins, with a warning.
		const seed = run(['scripts/migrate.ts', '--seed'], { ATLANTE_DEMO: '0' });
		expect(seed.status, seed.output).toBe(0);
		expect(seed.output).toMatch(/ATLANTE_DEMO=0 is ignored: the demo set is on for this database .*npm run seed -- --demo off/);
		expect(counts()).toEqual(before);
	});

	it('npm run seed -- --demo off says what it removes, refuses without a terminal or --yes, removes with --yes', { timeout: SLOW }, () => {
		const refused = run(['scripts/migrate.ts', '--seed', '--demo', 'off']);
		expect(refused.status).toBe(2);
		expect(refused.output).toContain(`${before.demo} demo organisations`);
		expect(refused.output).toMatch(/Nothing was changed: confirm with --yes/);

		const done = run(['scripts/migrate.ts', '--seed', '--demo', 'off', '--yes']);
		expect(done.status, done.output).toBe(0);
		// All of them: the refusal removed nothing.
		expect(done.output).toContain(`${before.demo} organisations removed`);
		// Off is now the recorded choice: a start with ATLANTE_DEMO=1 does not bring the set back.
		const seed = run(['scripts/migrate.ts', '--seed'], { ATLANTE_DEMO: '1' });
		expect(seed.status, seed.output).toBe(0);
		const after = counts();
		expect(after).toMatchObject({ demo: 0, real: before.real });
		expect(after.pins).toBeLessThan(before.pins);

		const on = run(['scripts/migrate.ts', '--seed', '--demo', 'on']);
		expect(on.status, on.output).toBe(0);
		expect(counts()).toEqual(before);
	});
});
