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
