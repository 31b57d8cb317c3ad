import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../scripts/lib/app-process';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

/**
 * A throwaway PostgreSQL 15 instance of our own (initdb in a temporary directory, a free port,
 * trust authentication on 127.0.0.1), so that a test may stop and restart it without touching the
 * shared server other tests use. As root the server runs as the `postgres` user (PostgreSQL refuses
 * root). PostGIS comes from the same installation.
 */
export interface OwnPostgres {
	/** postgres://postgres@127.0.0.1:PORT/postgres */
	url: string;
	stop(mode?: 'fast' | 'immediate'): Promise<void>;
	start(): Promise<void>;
	/** Stops and removes everything. */
	destroy(): Promise<void>;
}

/** Why an instance cannot be made here, or null when it can. */
export function ownPostgresUnavailable(): string | null {
	if (!fs.existsSync(path.join(BIN, 'initdb'))) return `${BIN}/initdb is missing (Debian: postgresql-15)`;
	return null;
}

export async function ownPostgres(): Promise<OwnPostgres> {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-own-pg-'));
	const data = path.join(root, 'data');
	const asRoot = process.getuid?.() === 0;
	if (asRoot) await run('chown', ['postgres:postgres', root]);
	const pg = (tool: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(BIN, tool), ...args]) : run(path.join(BIN, tool), args));
	await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
	const port = await freePort();
	const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c max_connections=40 -c shared_buffers=32MB -c fsync=off`;
	const log = path.join(root, 'server.log');
	const start = async () => {
		await pg('pg_ctl', ['-D', data, '-o', options, '-l', log, '-w', '-t', '60', 'start']);
	};
	const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
		await pg('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
	};
	await start();
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		start,
		stop,
		async destroy() {
			await stop('immediate').catch(() => {});
			fs.rmSync(root, { recursive: true, force: true });
		}
	};
}
