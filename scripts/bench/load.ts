// `npm run bench:load [-- --connections 50 --duration 60 --backends embedded,server --only match,tiles]`
//
// Load on the built app (autocannon): every endpoint of LOAD_ENDPOINTS (scripts/lib/load.ts: the
// public API, match, tiles, HSDS, planning), `--connections` clients for `--duration` seconds each,
// one endpoint after the other, on the embedded default (a fresh data directory) and on a PostGIS
// server (a scratch database on BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local server),
// both with the Lecco seed. A route this build lacks (404) is skipped with a note.
// Prints per endpoint: requests/s, p50/p99 latency, their ratio, errors (no answer) and 5xx; then
// the embedded default's requests/s as a ratio of PostGIS's (its ceiling, with one connection).
// Targets: 0 errors and 0 5xx everywhere; p99 ≤ 10 × p50 on PostGIS; the embedded default queues
// (slower, never an error). Exits 1 when an error or a 5xx was seen. Needs a build (`npm run build`).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type AppProcess } from '../lib/app-process';
import { LOAD_ENDPOINTS, loadIds, loadOne, probe, signInCookie, type LoadFigures } from '../lib/load';
import { createScratchDatabase } from '../lib/scratch-database';
import { backendList, optionalText, readOptions, whole, type Backend } from '../lib/args';

const args = readOptions({ connections: whole(50), duration: whole(60), backends: backendList('embedded,server'), only: optionalText() });
const { connections, duration: seconds, backends } = args;
const only = args.only?.split(',').map((name) => name.trim());
const endpoints = LOAD_ENDPOINTS.filter((endpoint) => !only || only.includes(endpoint.name));

// A throwaway planner account, created in the scratch store only.
const PLANNER = { email: 'pianificazione.banco@example.org', password: 'Quattro gatti sul tetto 2026' };

/** Creates the planner with the admin command before the app starts (the embedded store has one writer). */
function createPlanner(env: NodeJS.ProcessEnv) {
	execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/admin.ts', 'create-user', '--email', PLANNER.email, '--role', 'planner', '--password-stdin'], {
		env: { ...env, LOG_LEVEL: 'silent' },
		input: PLANNER.password,
		stdio: ['pipe', 'ignore', 'inherit']
	});
}

async function withApp<T>(backend: Backend, run: (app: AppProcess) => Promise<T>): Promise<T | null> {
	// The app's log is printed only when requests failed.
	const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ATLANTE_DEMO: '0' };
	delete env.DATABASE_URL;
	let cleanup: () => Promise<void>;
	if (backend === 'server') {
		let scratch;
		try {
			scratch = await createScratchDatabase('load', process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
		} catch (error) {
			console.info(`server: skipped — no PostgreSQL server (${(error as Error).message})`);
			return null;
		}
		env.DATABASE_URL = scratch.url;
		cleanup = () => scratch.drop();
	} else {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-load-'));
		env.ATLANTE_DATA_DIR = dataDir;
		cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true });
	}
	let app: AppProcess | null = null;
	try {
		createPlanner(env);
		app = await startApp(env);
		return await run(app);
	} finally {
		await app?.stop();
		await cleanup();
	}
}

const ms = (value: number) => value.toFixed(value < 10 ? 1 : 0).padStart(6);
function line(figures: LoadFigures, backend: Backend) {
	const ratio = figures.p50Ms > 0 ? figures.p99Ms / figures.p50Ms : 0;
	const others = Object.entries({ ...figures.statuses, ...figures.failures }).map(([kind, count]) => `${kind}×${count}`).join(' ');
	console.info(
		`${backend.padEnd(8)} ${figures.name.padEnd(16)} ${figures.perSecond.toFixed(0).padStart(7)} req/s  p50 ${ms(figures.p50Ms)} ms  p99 ${ms(figures.p99Ms)} ms  p99/p50 ${ratio.toFixed(1).padStart(5)}  errors ${figures.errors}  5xx ${figures.serverErrors}${others ? `  (${others})` : ''}`
	);
}

console.info(`bench:load — ${connections} connections × ${seconds} s per endpoint, Lecco seed, no demo set\n`);
const results = new Map<Backend, LoadFigures[]>();
for (const backend of backends) {
	const figures = await withApp(backend, async (app) => {
		const ids = await loadIds(app.baseUrl);
		const cookie = await signInCookie(app.baseUrl, PLANNER.email, PLANNER.password);
		const done: LoadFigures[] = [];
		for (const endpoint of endpoints) {
			const probed = await probe(app.baseUrl, endpoint, ids, cookie);
			if (!probed.run) {
				console.info(`${backend.padEnd(8)} ${endpoint.name.padEnd(16)} skipped: ${probed.note} — GET ${probed.path}`);
				continue;
			}
			const result = await loadOne(app.baseUrl, endpoint.name, probed.path, probed.headers, connections, seconds);
			line(result, backend);
			if (result.errors > 0) console.info(`  the app ${app.child.exitCode === null ? 'still runs' : `exited (${app.child.exitCode})`}; its last output:\n${app.output().slice(-1500)}`);
			done.push(result);
		}
		return done;
	});
	if (figures) results.set(backend, figures);
	console.info('');
}

const embedded = results.get('embedded');
const server = results.get('server');
if (embedded && server) {
	console.info('embedded default against PostGIS (same endpoints, same run):');
	for (const e of embedded) {
		const s = server.find((f) => f.name === e.name);
		if (!s || s.perSecond === 0) continue;
		console.info(`  ${e.name.padEnd(16)} ${(e.perSecond / s.perSecond).toFixed(2)} × the requests/s, p99 ${(e.p99Ms / Math.max(s.p99Ms, 1)).toFixed(1)} × PostGIS's`);
	}
	console.info('');
}
const failures: string[] = [];
for (const [backend, figures] of results) {
	for (const f of figures) {
		if (f.errors > 0 || f.serverErrors > 0) failures.push(`${backend} ${f.name}: ${f.errors} errors, ${f.serverErrors} 5xx`);
		if (backend === 'server' && f.p99Ms > 10 * Math.max(f.p50Ms, 1)) console.info(`target missed: server ${f.name} p99 ${f.p99Ms} ms > 10 × p50 ${f.p50Ms} ms`);
	}
}
if (failures.length > 0) {
	console.error(`FAILED — answers missing or 5xx:\n  ${failures.join('\n  ')}`);
	process.exitCode = 1;
} else {
	console.info('0 errors, 0 5xx on every endpoint.');
}
