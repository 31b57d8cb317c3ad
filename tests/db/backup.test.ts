import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { freshStore } from '../setup/fresh-store';
import { TEST_HOUSEHOLD_KEY } from '../setup/test-users-list';

// `npm run backup` and `npm run restore`, run as their own processes on a scratch store of this
// project's backend: a round trip keeps every table the same (a checksum of each, households and
// their encrypted identities included), and the restored copy starts only with the household key
// the backup was taken with — the key is not in the backup.

const server = inject('databaseUrl') !== null;
const SLOW = 600_000;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-backup-'));
const drops: (() => Promise<void>)[] = [];
const NAMES = ['Famiglia Salvata Uno', 'Famiglia Salvata Due', 'Famiglia Salvata Tre'];

/** A store of this backend: a scratch database, or a new data directory. */
async function newStore(purpose: string): Promise<NodeJS.ProcessEnv> {
	const store = await freshStore({ server, purpose: `backup_${purpose}`, dataDir: path.join(tmp, purpose), env: { LOG_LEVEL: 'silent' }, unset: ['ATLANTE_HOUSEHOLD_KEY'] });
	drops.push(store.drop);
	// On the server the test key; an embedded store keeps its own key in its data directory.
	return server ? { ...store.env, ATLANTE_HOUSEHOLD_KEY: TEST_HOUSEHOLD_KEY } : store.env;
}

function run(args: string[], env: NodeJS.ProcessEnv) {
	const result = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', ...args], { env, encoding: 'utf8', timeout: SLOW });
	return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Runs `body` (TypeScript, with `sql`, `crypto`, `users` in scope) in a process of its own that starts on `env`'s store. */
function inStore(env: NodeJS.ProcessEnv, body: string): { status: number | null; output: string; result: unknown } {
	const code = `(async () => {
		const { start, stop } = await import('./src/lib/server/startup.ts');
		const client = await import('./src/lib/server/db/client.ts');
		const crypto = await import('./src/lib/server/plans/crypto.ts');
		const users = await import('./src/lib/server/auth/users.ts');
		try {
			await start(process.env, { seed: false });
			const sql = client.sql;
			const result = await (async () => { ${body} })();
			console.log('RESULT ' + JSON.stringify(result ?? null));
		} catch (error) {
			console.error('FAILED ' + (error instanceof Error ? error.message : String(error)));
			process.exitCode = 1;
		} finally {
			await stop();
		}
	})()`;
	const { status, output } = run(['-e', code], env);
	const line = output.split('\n').find((l) => l.startsWith('RESULT '));
	return { status, output, result: line ? JSON.parse(line.slice('RESULT '.length)) : undefined };
}

/** Every table of the store: its row count and a checksum of its rows (order-independent), and the households' names as the keys open them. */
const SNAPSHOT = `
	const tables = await sql\`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename\`;
	const sums = {};
	for (const { tablename } of tables) {
		const [row] = await sql\`SELECT count(*)::int AS n, coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') AS sum FROM \${sql(tablename)} t\`;
		sums[tablename] = row.n + ':' + row.sum;
	}
	const households = await sql\`SELECT identity_ciphertext FROM household WHERE identity_ciphertext IS NOT NULL\`;
	return { sums, names: households.map((h) => crypto.decryptIdentity(h.identity_ciphertext).name).sort() };`;

type Snapshot = { sums: Record<string, string>; names: string[] };

let original: NodeJS.ProcessEnv;
let before: Snapshot;
const file = path.join(tmp, server ? 'atlante.dump' : 'atlante.tar.gz');

beforeAll(async () => {
	original = await newStore('original');
	const seeded = run(['scripts/migrate.ts', '--seed'], { ...original, ATLANTE_DEMO: '1' });
	expect(seeded.status, seeded.output).toBe(0);
	// Households encrypted with the store's key (on the embedded store, the key file it generated).
	const filled = inStore(
		original,
		`const user = await users.createUser({ email: 'salvataggio@atlante.test', role: 'worker', password: 'Quattro gatti sul tetto 2026', createdBy: 'backup test' });
		for (const [i, name] of ${JSON.stringify(NAMES)}.entries()) {
			const sealed = crypto.encryptIdentity({ name, phone: '0341 00000' + i });
			await sql\`INSERT INTO household (code, identity_ciphertext, key_id, created_by) VALUES (\${'F-BKP00' + i}, \${sealed.ciphertext}, \${sealed.keyId}, \${user.id}::uuid)\`;
		}
		${SNAPSHOT}`
	);
	expect(filled.status, filled.output).toBe(0);
	before = filled.result as Snapshot;
}, SLOW);

afterAll(async () => {
	for (const drop of drops) await drop();
	fs.rmSync(tmp, { recursive: true, force: true });
});

describe(`backup and restore (${server ? 'PostgreSQL server: pg_dump / pg_restore' : 'embedded: PGlite dumpDataDir / loadDataDir'})`, () => {
	let restored: NodeJS.ProcessEnv;

	it('a round trip keeps every table, households included', { timeout: SLOW }, async () => {
		expect(before.names).toEqual([...NAMES].sort());
		expect(Object.keys(before.sums)).toEqual(expect.arrayContaining(['household', 'app_user', 'organization', 'audit_event', 'schema_migration']));

		const backedUp = run(['scripts/backup.ts', file], original);
		expect(backedUp.status, backedUp.output).toBe(0);
		expect(backedUp.output).toMatch(/household key is not in the backup/);
		// Never over an existing file.
		expect(run(['scripts/backup.ts', file], original)).toMatchObject({ status: 1, output: expect.stringMatching(/already exists/) });

		restored = await newStore('restored');
		const done = run(['scripts/restore.ts', file], restored);
		expect(done.status, done.output).toBe(0);
		// The key, kept apart from the backup, goes with the restored store.
		if (!server) fs.copyFileSync(path.join(original.ATLANTE_DATA_DIR!, 'household.key'), path.join(restored.ATLANTE_DATA_DIR!, 'household.key'));
		const after = inStore(restored, SNAPSHOT);
		expect(after.status, after.output).toBe(0);
		expect(after.result).toEqual(before);
		// Only into an empty store.
		expect(run(['scripts/restore.ts', file], restored)).toMatchObject({ status: 1, output: expect.stringMatching(/not empty|already holds/) });
	});

	it('the restored copy starts only with the right household key', { timeout: SLOW }, async () => {
		const otherKey = `${server ? TEST_HOUSEHOLD_KEY.split(':')[0] : 'local'}:${Buffer.alloc(32, 7).toString('base64')}`;
		// Another key under the same id: refused, nothing changed.
		const wrong = inStore({ ...restored, ATLANTE_HOUSEHOLD_KEY: otherKey }, 'return 1');
		expect(wrong.status).toBe(1);
		expect(wrong.output).toMatch(/does not open the households in this database/);
		if (server) {
			// A key with another id: refused, naming the one needed.
			const missing = inStore({ ...restored, ATLANTE_HOUSEHOLD_KEY: `k2099:${Buffer.alloc(32, 9).toString('base64')}` }, 'return 1');
			expect(missing.status).toBe(1);
			expect(missing.output).toMatch(/encrypted with the key "test", which is not configured/);
		} else {
			// The embedded store restored without its key file: it does not start with a fresh one.
			const dir = restored.ATLANTE_DATA_DIR!;
			fs.renameSync(path.join(dir, 'household.key'), path.join(tmp, 'kept.key'));
			const without = inStore(restored, 'return 1');
			expect(without.status).toBe(1);
			expect(without.output).toMatch(/household\.key.*does not open the households/s);
			// Given back, the right key opens it again.
			fs.copyFileSync(path.join(tmp, 'kept.key'), path.join(dir, 'household.key'));
			const right = inStore(restored, SNAPSHOT);
			expect(right.status, right.output).toBe(0);
			expect((right.result as Snapshot).names).toEqual([...NAMES].sort());
		}
	});
});
