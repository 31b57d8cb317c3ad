import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { readConfig } from './config';
import { tableCount } from './db/backup';
import { dumpEmbedded, loadEmbedded } from './db/embedded';

/**
 * `npm run backup` and `npm run restore` for both backends. A server is dumped with pg_dump in its
 * custom format and restored with pg_restore into an empty database, in one transaction; the
 * embedded store with PGlite's own dump of its data directory (`dumpDataDir`, a gzipped tar) and
 * `loadDataDir` into an empty directory. Neither holds the household key: it stays where it is
 * configured (ATLANTE_HOUSEHOLD_KEY, or household.key in the embedded data directory), kept apart
 * from the backups, and a restored copy starts only with it (plans/crypto.ts checkKeys).
 */

const run = promisify(execFile);

export interface BackupReport {
	backend: 'embedded' | 'server';
	file: string;
	bytes: number;
	ms: number;
}

/** Which backend wrote a backup file, from its first bytes: pg_dump's custom format or a gzip (PGlite). */
export function backupKind(file: string): 'server' | 'embedded' | null {
	const head = Buffer.alloc(5);
	const fd = fs.openSync(file, 'r');
	try {
		fs.readSync(fd, head, 0, 5, 0);
	} finally {
		fs.closeSync(fd);
	}
	if (head.toString('latin1') === 'PGDMP') return 'server';
	if (head[0] === 0x1f && head[1] === 0x8b) return 'embedded';
	return null;
}

/** PostgreSQL's own tools, from PATH (the postgresql-client package). */
async function tool(name: 'pg_dump' | 'pg_restore', args: string[]): Promise<void> {
	try {
		await run(name, args, { maxBuffer: 16 * 1024 * 1024 });
	} catch (error) {
		const e = error as NodeJS.ErrnoException & { stderr?: string };
		if (e.code === 'ENOENT') throw new Error(`${name} was not found: install PostgreSQL's client tools (Debian: postgresql-client-15).`);
		throw new Error(`${name} failed: ${(e.stderr ?? e.message).trim()}`);
	}
}

/** Writes a backup of the store `env` names to `file` (which must not exist yet). */
export async function backup(env: Record<string, string | undefined>, file: string): Promise<BackupReport> {
	const config = readConfig(env);
	if (fs.existsSync(file)) throw new Error(`${file} already exists: name a new file.`);
	const started = performance.now();
	const partial = `${file}.partial`;
	try {
		if (config.backend === 'server') {
			await tool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`, `--dbname=${config.databaseUrl}`]);
		} else {
			fs.writeFileSync(partial, await dumpEmbedded(config.dataDir), { mode: 0o600 });
		}
		// Whole or not at all: a failed backup leaves no file that looks like one.
		fs.renameSync(partial, file);
	} finally {
		fs.rmSync(partial, { force: true });
	}
	return { backend: config.backend, file, bytes: fs.statSync(file).size, ms: Math.round(performance.now() - started) };
}

/** Restores `file` into the store `env` names, which must be empty (a new database, a new data directory). */
export async function restore(env: Record<string, string | undefined>, file: string): Promise<BackupReport> {
	const config = readConfig(env);
	if (!fs.existsSync(file)) throw new Error(`${file} does not exist.`);
	const kind = backupKind(file);
	if (kind === null) throw new Error(`${file} is not a backup of this app (neither pg_dump's custom format nor the embedded store's dump).`);
	if (kind !== config.backend) {
		throw new Error(
			`${path.basename(file)} is a backup of the ${kind === 'server' ? 'PostgreSQL server' : 'embedded'} backend; ` +
				`restore it with ${kind === 'server' ? 'DATABASE_URL naming an empty database' : 'ATLANTE_DATA_DIR naming an empty directory and no DATABASE_URL'}.`
		);
	}
	const started = performance.now();
	if (config.backend === 'server') {
		await requireEmptyDatabase(config.databaseUrl!);
		await tool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${config.databaseUrl}`, file]);
	} else {
		await loadEmbedded(config.dataDir, await fs.openAsBlob(file));
	}
	return { backend: config.backend, file, bytes: fs.statSync(file).size, ms: Math.round(performance.now() - started) };
}

async function requireEmptyDatabase(url: string): Promise<void> {
	const tables = await tableCount(url);
	if (tables > 0) throw new Error(`The database ${new URL(url).pathname.slice(1)} is not empty (${tables} tables): restore into a new, empty database.`);
}
