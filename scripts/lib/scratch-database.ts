import postgres from 'postgres';

/**
 * A throwaway database on a PostgreSQL server (by default the one TEST_DATABASE_URL names), for one
 * test or benchmark run. PostGIS is enabled by our own first migration, as in production.
 */
export async function createScratchDatabase(
	purpose: string,
	baseUrl = process.env.TEST_DATABASE_URL
): Promise<{ url: string; drop(): Promise<void> }> {
	if (!baseUrl) throw new Error('TEST_DATABASE_URL is not set');
	const name = `atlante_${purpose}_${process.pid}_${Date.now().toString(36)}`;
	const admin = postgres(baseUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
	try {
		await admin`CREATE DATABASE ${admin(name)}`;
	} finally {
		await admin.end();
	}
	const url = new URL(baseUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async drop() {
			const closer = postgres(baseUrl, { max: 1, onnotice: () => {} });
			try {
				await closer`DROP DATABASE IF EXISTS ${closer(name)} WITH (FORCE)`;
			} finally {
				await closer.end();
			}
		}
	};
}
