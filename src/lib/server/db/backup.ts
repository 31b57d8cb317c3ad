import postgres from 'postgres';

/** How many tables the database at `url` holds outside PostgreSQL's own schemas (a restore needs 0). */
export async function tableCount(url: string): Promise<number> {
	const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
	try {
		const [row] = await client<{ tables: number }[]>`
			SELECT count(*)::int AS tables FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`;
		return row!.tables;
	} finally {
		await client.end();
	}
}
