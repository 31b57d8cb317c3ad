import { readConfig, type Config } from './config';
import { useRomeTime } from '../domain/opening-hours';
import { log } from './log';
import { closeDatabase, openDatabase } from './db/client';
import { migrate } from './db/migrate';
import * as openingHours from './db/opening-hours';
import { useKeys } from './plans/crypto';
import { seed, type SeedReport } from './seed/load';

/**
 * Brings the process to a ready state: config validated, database open, migrated, opening hours
 * expanded, and — only with `seed: true` — the seed loaded. Shared by the app (hooks.server.ts
 * `init`) and the command-line scripts. Only the app's start and `npm run seed` pass `seed: true`:
 * any other command (admin, migrate) must leave the directory's content as it is.
 */
export interface Started {
	config: Config;
	timings: { openMs: number; migrateMs: number; seedMs: number; totalMs: number };
	/** What the seed loaded and kept; null when this start did not seed. */
	seed: SeedReport | null;
}

// Survives Vite's module reloads in development, which would otherwise open the store twice.
const globalKey = Symbol.for('atlante.started');
type GlobalWithStart = typeof globalThis & { [globalKey]?: Promise<Started> };

export function start(env: Record<string, string | undefined>, options: { seed?: boolean } = {}): Promise<Started> {
	const holder = globalThis as GlobalWithStart;
	holder[globalKey] ??= startOnce(env, options.seed ?? false).catch((error: unknown) => {
		delete holder[globalKey];
		throw error;
	});
	return holder[globalKey];
}

async function startOnce(env: Record<string, string | undefined>, withSeed: boolean): Promise<Started> {
	const t0 = performance.now();
	const config = readConfig(env);
	useRomeTime();
	useKeys(config);
	await openDatabase(config);
	const t1 = performance.now();
	await migrate(config.dbAssetsDir);
	const t2 = performance.now();
	const seeded = withSeed && config.seed ? await seed({ dbAssetsDir: config.dbAssetsDir, demo: config.demo, demoDefault: config.demoDefault }) : null;
	await openingHours.ensureExpanded();
	const t3 = performance.now();
	const timings = {
		openMs: Math.round(t1 - t0),
		migrateMs: Math.round(t2 - t1),
		seedMs: Math.round(t3 - t2),
		totalMs: Math.round(t3 - t0)
	};
	log.info('ready', { backend: config.backend, demo: seeded?.demo, seeded: seeded !== null, ...timings });
	return { config, timings, seed: seeded };
}

export async function stop(): Promise<void> {
	delete (globalThis as GlobalWithStart)[globalKey];
	await closeDatabase();
}
