import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../../src/lib/server/db/synthetic';
import { start, stop } from '../../src/lib/server/startup';
import { startApp, type AppProcess } from './app-process';
import type { Backend } from './args';
import { createScratchDatabase } from './scratch-database';
import { time } from './stats';

/**
 * A throwaway store holding the synthetic Lombardy set (src/lib/server/db/synthetic.ts), for the
 * region-scale benchmarks: on the embedded backend a fresh PGlite data directory, on the server
 * backend a fresh database on BENCH_DATABASE_URL (else TEST_DATABASE_URL, else the local server).
 * Migrations only, no Lecco seed, no demo set — never the real data.
 */

/** Thrown when the backend cannot be used here (no PostgreSQL server): the benchmark skips it. */
export class BackendUnavailable extends Error {}

export interface SyntheticScratch {
	backend: Backend;
	/** Synthetic resources loaded. */
	count: number;
	/** How long loading them took (insert + ANALYZE), in milliseconds. */
	loadMs: number;
	/**
	 * Starts the built app on the same store; it is stopped when the run ends. On the embedded
	 * backend this first closes this process's connection (PGlite takes one process at a time), so
	 * the db modules cannot be used afterwards; on the server both stay open side by side.
	 */
	startApp(): Promise<AppProcess>;
}

const SCRATCH_ENV = { ATLANTE_SEED: '0', ATLANTE_DEMO: '0', LOG_LEVEL: 'silent' };

async function openStore(backend: Backend): Promise<{ env: Record<string, string>; remove(): Promise<void> }> {
	if (backend === 'embedded') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-bench-'));
		return { env: { ...SCRATCH_ENV, ATLANTE_DATA_DIR: dir }, remove: async () => fs.rmSync(dir, { recursive: true, force: true }) };
	}
	const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
	try {
		const scratch = await createScratchDatabase('bench', baseUrl);
		return { env: { ...SCRATCH_ENV, DATABASE_URL: scratch.url }, remove: scratch.drop };
	} catch (error) {
		throw new BackendUnavailable(`no PostgreSQL server at ${new URL(baseUrl).host}: ${(error as Error).message}`);
	}
}

/**
 * Runs `run` with a new scratch store of `backend` holding `count` synthetic resources, open in
 * this process (so the db modules query it); afterwards stops the app if one was started, closes
 * the connection and deletes the store, whatever happened.
 */
export async function withSyntheticScratch<T>(backend: Backend, count: number, run: (scratch: SyntheticScratch) => Promise<T>): Promise<T> {
	const store = await openStore(backend);
	const apps: AppProcess[] = [];
	try {
		await start(store.env);
		const loadMs = await time(() => generate(count));
		return await run({
			backend,
			count,
			loadMs,
			async startApp() {
				if (backend === 'embedded') await stop();
				const env: NodeJS.ProcessEnv = { ...process.env, ...store.env };
				// The embedded run must not drift to a server named in the caller's environment.
				if (backend === 'embedded') delete env.DATABASE_URL;
				const app = await startApp(env);
				apps.push(app);
				return app;
			}
		});
	} finally {
		for (const app of apps) await app.stop();
		await stop();
		await store.remove();
	}
}
