import { sql } from './client';

/** Bookkeeping of loaded seed files, so start-up reloads only what changed. */
export async function loadedChecksums(): Promise<Map<string, string>> {
	const rows = await sql<{ name: string; checksum: string }[]>`SELECT name, checksum FROM seed_load`;
	return new Map(rows.map((row) => [row.name, row.checksum]));
}

export async function markLoaded(name: string, checksum: string): Promise<void> {
	await sql`INSERT INTO seed_load (name, checksum) VALUES (${name}, ${checksum})
		ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, loaded_at = now()`;
}

export async function forget(name: string): Promise<void> {
	await sql`DELETE FROM seed_load WHERE name = ${name}`;
}
