import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { log } from '../log';
import { sql } from './client';

// Any constant shared by every instance: serialises migrations when several app instances start at once.
const MIGRATION_LOCK = 4_711_042;

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

export interface MigrationReport {
	applied: string[];
	functions: string[];
}

function readSqlFiles(folder: string, pattern: RegExp): { name: string; text: string }[] {
	if (!fs.existsSync(folder)) return [];
	return fs
		.readdirSync(folder)
		.filter((name) => pattern.test(name))
		.sort()
		.map((name) => ({ name, text: fs.readFileSync(path.join(folder, name), 'utf8') }));
}

function checksum(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/**
 * Applies `migrations/NNNN_*.sql` not applied yet, in order, each in its own transaction and
 * recorded in `schema_migration`; then re-applies every `functions/*.sql` (CREATE OR REPLACE).
 * Refuses to go on when an applied migration file was edited afterwards: migrations are
 * forward-only, a change needs a new file.
 */
export async function migrate(dbAssetsDir: string): Promise<MigrationReport> {
	const migrations = readSqlFiles(path.join(dbAssetsDir, 'migrations'), MIGRATION_FILE);
	if (migrations.length === 0) throw new Error(`No migrations found in ${path.join(dbAssetsDir, 'migrations')}.`);
	await sql`
		CREATE TABLE IF NOT EXISTS schema_migration (
			version text PRIMARY KEY,
			name text NOT NULL,
			checksum text NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now()
		)`;
	const applied: string[] = [];
	for (const migration of migrations) {
		const version = migration.name.slice(0, 4);
		const sum = checksum(migration.text);
		const done = await sql.begin(async (tx) => {
			await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
			const [existing] = await tx<{ checksum: string }[]>`
				SELECT checksum FROM schema_migration WHERE version = ${version}`;
			if (existing) {
				if (existing.checksum !== sum) {
					throw new Error(
						`Migration ${migration.name} was changed after it was applied. ` +
							'Migrations are forward-only: restore the file and add a new migration instead.'
					);
				}
				return false;
			}
			// The file is ours, never request data.
			await tx.unsafe(migration.text);
			await tx`INSERT INTO schema_migration (version, name, checksum) VALUES (${version}, ${migration.name}, ${sum})`;
			return true;
		});
		if (done) {
			applied.push(migration.name);
			log.info('migration applied', { migration: migration.name });
		}
	}
	const functions = readSqlFiles(path.join(dbAssetsDir, 'functions'), /\.sql$/);
	if (functions.length > 0) {
		await sql.begin(async (tx) => {
			await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
			for (const fn of functions) await tx.unsafe(fn.text);
		});
	}
	return { applied, functions: functions.map((fn) => fn.name) };
}
