import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { lockDataDir } from './lock';

/** A running embedded PostGIS: PGlite in this process, reachable through a private Unix socket. */
export interface EmbeddedServer {
	socketPath: string;
	close(): Promise<void>;
}

/**
 * Starts PGlite with PostGIS on `dataDir` (or in memory for `memory://…`) and serves it over a Unix
 * socket in a fresh private (0700) temporary folder, so only this user can reach it. PGlite is a
 * single-session database: the socket server takes one connection, and the client must not open more.
 */
export async function startEmbedded(dataDir: string): Promise<EmbeddedServer> {
	const inMemory = dataDir.startsWith('memory://');
	const lock = inMemory ? null : lockDataDir(dataDir);
	let db: PGlite | null = null;
	try {
		db = await PGlite.create({
			dataDir: inMemory ? undefined : path.join(dataDir, 'pgdata'),
			// pg_trgm: the place search's ranking (db/migrations/0020_place_search.sql).
			extensions: { postgis, pg_trgm },
			// City-scale data fits in a small buffer cache; PostgreSQL's default 128 MB would add
			// ~130 MB of resident memory on top of the ~580 MB the PostGIS extension costs (measured).
			postgresqlconf: ['shared_buffers=16MB']
		});
		const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-pg-'));
		fs.chmodSync(socketDir, 0o700);
		const socketPath = path.join(socketDir, '.s.PGSQL.5432');
		const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 1 });
		await server.start();
		const pglite = db;
		return {
			socketPath,
			async close() {
				await server.stop();
				await pglite.close();
				fs.rmSync(socketDir, { recursive: true, force: true });
				lock?.release();
			}
		};
	} catch (error) {
		await db?.close().catch(() => {});
		lock?.release();
		throw error;
	}
}

/** The embedded store's data directory inside ATLANTE_DATA_DIR (the household key file sits beside it). */
export function pgdataOf(dataDir: string): string {
	return path.join(dataDir, 'pgdata');
}

/**
 * The embedded store's own dump (PGlite's `dumpDataDir`: a gzipped tar of its data directory),
 * taken with the store's lock held, so never while the app runs. No extension is loaded: nothing is
 * queried, and the dump is the files as PostgreSQL left them at its clean shutdown.
 */
export async function dumpEmbedded(dataDir: string): Promise<Uint8Array> {
	if (!fs.existsSync(pgdataOf(dataDir))) throw new Error(`There is no embedded store in ${dataDir}.`);
	const lock = lockDataDir(dataDir);
	try {
		const db = await PGlite.create({ dataDir: pgdataOf(dataDir), postgresqlconf: ['shared_buffers=16MB'] });
		try {
			return new Uint8Array(await (await db.dumpDataDir('gzip')).arrayBuffer());
		} finally {
			await db.close();
		}
	} finally {
		lock.release();
	}
}

/** Makes a new embedded store in `dataDir` (which must hold none) from a dump of {@link dumpEmbedded}. */
export async function loadEmbedded(dataDir: string, dump: Blob): Promise<void> {
	if (fs.existsSync(pgdataOf(dataDir))) {
		throw new Error(`${dataDir} already holds an embedded store: restore into an empty directory (or move this one away first).`);
	}
	const lock = lockDataDir(dataDir);
	try {
		const db = await PGlite.create({ dataDir: pgdataOf(dataDir), loadDataDir: dump, postgresqlconf: ['shared_buffers=16MB'] });
		try {
			// The restored store answers: its migrations are there.
			await db.query('SELECT count(*) FROM schema_migration');
		} finally {
			await db.close();
		}
	} catch (error) {
		fs.rmSync(pgdataOf(dataDir), { recursive: true, force: true });
		throw error;
	} finally {
		lock.release();
	}
}
