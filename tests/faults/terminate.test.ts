import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../scripts/lib/scratch-database';
import { alive, appEnv, createPlan, figure, prepareStore, request, signIn, startApp, timeUntilOk, type AppProcess } from './harness';

const run = promisify(execFile);
const serverUrl = process.env.TEST_DATABASE_URL;

/**
 * `pg_terminate_backend` in the middle of a multi-row write, on a scratch database of the shared
 * server (only our own backends are ended). The write is held at its last statement — its audit
 * row — by a lock this test takes on audit_event, so the termination lands after the household, the
 * plan, its strengths and needs (or the census sections) are written and before the commit.
 */
describe.runIf(serverUrl)('a database connection ended in the middle of a write', () => {
	let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
	let app: AppProcess;
	let db: postgres.Sql;
	let cookie: string;
	let env: NodeJS.ProcessEnv;

	beforeAll(async () => {
		scratch = await createScratchDatabase('faults');
		// A small pool: the ended connection is one of few, and the ones after it must be made anew.
		env = appEnv({ DATABASE_URL: scratch.url, DATABASE_POOL_MAX: '3' });
		await prepareStore(env);
		app = await startApp(env);
		db = postgres(scratch.url, { max: 2, onnotice: () => {} });
		cookie = await signIn(app.baseUrl, 'worker');
	});

	afterAll(async () => {
		await app?.stop();
		await db?.end();
		await scratch?.drop();
	});

	/** Holds audit_event against inserts until `release()`; the transaction's first statement runs before it returns. */
	async function holdAuditEvents(): Promise<{ release(): Promise<void> }> {
		let release!: () => void;
		const released = new Promise<void>((resolve) => (release = resolve));
		let locked!: () => void;
		const isLocked = new Promise<void>((resolve) => (locked = resolve));
		const transaction = db.begin(async (tx) => {
			await tx`LOCK TABLE audit_event IN SHARE ROW EXCLUSIVE MODE`;
			locked();
			await released;
		});
		await isLocked;
		return {
			async release() {
				release();
				await transaction;
			}
		};
	}

	/** The backend of `applicationName` waiting for a lock in our scratch database, with the tables its transaction has written. */
	async function blockedBackend(applicationName: string, limitMs = 20_000): Promise<{ pid: number; written: string[] }> {
		const started = Date.now();
		while (Date.now() - started < limitMs) {
			const [row] = await db<{ pid: number }[]>`
				SELECT pid FROM pg_stat_activity
				WHERE datname = current_database() AND application_name = ${applicationName} AND wait_event_type = 'Lock'`;
			if (row) {
				const written = await db<{ relname: string }[]>`
					SELECT DISTINCT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
					WHERE l.pid = ${row.pid} AND l.mode = 'RowExclusiveLock' AND l.granted AND c.relkind = 'r'
					ORDER BY c.relname`;
				return { pid: row.pid, written: written.map((r) => r.relname) };
			}
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
		throw new Error(`no backend of ${applicationName} waited for the lock within ${limitMs} ms`);
	}

	const counts = async () => {
		const [row] = await db<{ households: number; plans: number; strengths: number; created: number }[]>`
			SELECT (SELECT count(*)::int FROM household) AS households, (SELECT count(*)::int FROM support_plan) AS plans,
				(SELECT count(*)::int FROM plan_strength) AS strengths,
				(SELECT count(*)::int FROM audit_event WHERE action = 'plan.created') AS created`;
		return row!;
	};

	it('a plan being opened: the request fails cleanly, nothing of it is committed, the pool recovers within 5 s', async () => {
		expect((await createPlan(app.baseUrl, cookie, 'Famiglia Prima')).status).toBe(201);
		const before = await counts();

		const hold = await holdAuditEvents();
		const answer = createPlan(app.baseUrl, cookie, 'Famiglia Interrotta');
		const backend = await blockedBackend('atlante');
		// The transaction is in its middle: the household and the plan are written, not committed.
		expect(backend.written).toEqual(expect.arrayContaining(['household', 'support_plan', 'plan_strength']));
		const [terminated] = await db<{ ended: boolean }[]>`SELECT pg_terminate_backend(${backend.pid}) AS ended`;
		expect(terminated?.ended).toBe(true);
		const terminatedAt = performance.now();
		await hold.release();

		const failed = await answer;
		expect(failed.status, failed.body).toBe(503);
		expect(JSON.parse(failed.body)).toEqual({ error: expect.stringMatching(/database/i) });
		expect(failed.body).not.toMatch(/at .*\.js|terminating connection|57P01/);
		expect(await counts()).toEqual(before);
		expect(alive(app.child.pid)).toBe(true);

		// Recovered: the next plan is written (postgres.js opens a connection in place of the ended one).
		const recoveryMs = await timeUntilOk(() => createPlan(app.baseUrl, cookie, 'Famiglia Dopo'), 5_000);
		const recoveredAt = performance.now();
		expect(recoveryMs, 'the pool did not recover within 5 s').not.toBeNull();
		expect(await counts()).toEqual({ ...before, households: before.households + 1, plans: before.plans + 1, strengths: before.strengths + 1, created: before.created + 1 });
		figure('pg_terminate_backend during a plan transaction', {
			'answer status': failed.status,
			'answer after termination ms': Math.round(failed.endedAt - terminatedAt),
			'next write ok after ms': Math.round(recoveredAt - terminatedAt),
			'rows left by the ended transaction': 0
		});
	});

	it('an import (the census sections, replaced in one transaction): the command fails with a message, the table is as it was, a rerun imports', async () => {
		const importer = (extra: NodeJS.ProcessEnv = {}) =>
			run(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/import-sections.ts', 'tests/fixtures/census/sections.shp', '--census', 'tests/fixtures/census/sezioni-2021.csv'], {
				env: { ...env, LOG_LEVEL: 'silent', ...extra }
			});
		// The rows as they are, down to the transaction that wrote them (xmin): a committed rerun would change it.
		const sections = async () =>
			(await db<{ n: number; writers: string }[]>`SELECT count(*)::int AS n, coalesce(string_agg(xmin::text, ',' ORDER BY code), '') AS writers FROM census_section`)[0]!;
		await importer();
		const before = await sections();
		expect(before.n).toBe(6);

		const hold = await holdAuditEvents();
		const attempt = importer().then(
			() => ({ code: 0, stderr: '', at: performance.now() }),
			(error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr, at: performance.now() })
		);
		// The importer's client names itself "atlante" too: the backend to end is the one waiting for the lock.
		const backend = await blockedBackend('atlante', 60_000);
		expect(backend.written).toEqual(expect.arrayContaining(['census_section']));
		// Its DELETE and INSERT are done: inside the transaction the table holds the new sections.
		await db`SELECT pg_terminate_backend(${backend.pid})`;
		const terminatedAt = performance.now();
		await hold.release();
		const failed = await attempt;
		expect(failed.code).toBe(1);
		expect(failed.stderr).toMatch(/database/i);
		expect(await sections()).toEqual(before);

		// The app was not touched; a rerun of the import succeeds.
		expect((await request(app.baseUrl, '/api/plans', { cookie })).status).toBe(200);
		await importer();
		const after = await sections();
		expect(after.n).toBe(6);
		expect(after.writers).not.toBe(before.writers);
		figure('pg_terminate_backend during an import (census sections)', {
			'exit code': failed.code,
			'command ended after termination ms': Math.round(failed.at - terminatedAt),
			'sections before': before.n,
			'sections after the ended import (unchanged)': before.n,
			'sections after the rerun': after.n
		});
	});
});
