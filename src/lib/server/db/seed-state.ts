import { sql, type Sql, type TransactionSql } from './client';

/**
 * Bookkeeping of the seed: which files are loaded (so start-up reloads only what changed), and the
 * demo choice, recorded once in app_setting so that no process's environment can contradict it.
 */
type Db = Sql | TransactionSql;

export async function loadedChecksums(db: Db = sql): Promise<Map<string, string>> {
	const rows = await db<{ name: string; checksum: string }[]>`SELECT name, checksum FROM seed_load`;
	return new Map(rows.map((row) => [row.name, row.checksum]));
}

export async function markLoaded(name: string, checksum: string, db: Db = sql): Promise<void> {
	await db`INSERT INTO seed_load (name, checksum) VALUES (${name}, ${checksum})
		ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, loaded_at = now()`;
}

export async function forget(name: string, db: Db = sql): Promise<void> {
	await db`DELETE FROM seed_load WHERE name = ${name}`;
}

export interface DemoChoice {
	on: boolean;
	setAt: Date;
	setBy: string;
}

/** The recorded demo choice; null while none was made (a database never seeded). */
export async function demoChoice(db: Db = sql): Promise<DemoChoice | null> {
	const [row] = await db<{ value: boolean; set_at: Date; set_by: string }[]>`
		SELECT value, set_at, set_by FROM app_setting WHERE key = 'demo'`;
	return row ? { on: row.value === true, setAt: row.set_at, setBy: row.set_by } : null;
}

export async function setDemoChoice(on: boolean, setBy: string, db: Db = sql): Promise<void> {
	await db`INSERT INTO app_setting (key, value, set_by) VALUES ('demo', ${sql.json(on)}, ${setBy})
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, set_by = EXCLUDED.set_by, set_at = now()`;
}

/**
 * Records the first demo choice unless one exists (another instance starting at the same time may
 * have made it), and returns the choice that holds.
 */
export async function initDemoChoice(on: boolean, setBy: string, db: Db = sql): Promise<DemoChoice> {
	await db`INSERT INTO app_setting (key, value, set_by) VALUES ('demo', ${sql.json(on)}, ${setBy}) ON CONFLICT (key) DO NOTHING`;
	return (await demoChoice(db))!;
}
