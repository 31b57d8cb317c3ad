import postgres from 'postgres';
import type { Config } from '../config';
import { log } from '../log';
import { startEmbedded, type EmbeddedServer } from './embedded';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;

function notOpen(): never {
	throw new Error('The database is not open yet: call openDatabase() first.');
}

/**
 * The one postgres.js client of the process, whichever backend is behind it. It is a live binding:
 * modules import it once and see the client that {@link openDatabase} installs.
 */
export let sql: Sql = new Proxy(notOpen, { get: notOpen }) as unknown as Sql;

let embedded: EmbeddedServer | null = null;
let openedWith: Config['backend'] | null = null;

const common = {
	onnotice: () => {},
	connection: { application_name: 'atlante' }
} as const;

/**
 * Seconds a connection waits before connecting again after a failed attempt: 0.1, 0.2, 0.4… at most
 * 1 s. postgres.js's default grows as 3^n / 100 up to 20 s with a count shared by the whole pool and
 * reset only by a success, so a few seconds of a restarting server pushed the first reconnection
 * 10–20 s past its return (measured by tests/faults/restart.test.ts); a refused attempt costs nothing.
 */
export function reconnectDelayS(retries: number): number {
	return Math.min(0.05 * 2 ** retries, 1);
}

/** Opens the backend named by `config` and installs it as {@link sql}. Idempotent per process. */
export async function openDatabase(config: Config): Promise<Sql> {
	if (openedWith) return sql;
	if (config.backend === 'server' && config.databaseUrl) {
		sql = postgres(config.databaseUrl, { ...common, max: config.poolMax, backoff: reconnectDelayS });
		await sql`select 1`;
		log.info('database: PostgreSQL server', { pool: config.poolMax, host: new URL(config.databaseUrl).host });
	} else {
		const started = performance.now();
		embedded = await startEmbedded(config.dataDir);
		// One connection only: PGlite is a single session, so a second one would share its transactions.
		sql = postgres({ ...common, path: embedded.socketPath, max: 1, database: 'postgres', username: 'postgres' });
		await sql`select 1`;
		log.info('database: embedded PGlite + PostGIS', {
			dataDir: config.dataDir,
			startMs: Math.round(performance.now() - started)
		});
	}
	openedWith = config.backend;
	return sql;
}

/** Closes the client and, for the embedded backend, PGlite itself (releasing the data-dir lock). */
export async function closeDatabase(): Promise<void> {
	if (!openedWith) return;
	await sql.end({ timeout: 5 });
	await embedded?.close();
	embedded = null;
	openedWith = null;
	sql = new Proxy(notOpen, { get: notOpen }) as unknown as Sql;
}

export function currentBackend(): Config['backend'] | null {
	return openedWith;
}
