import postgres from 'postgres';

/**
 * A throwaway database on the PostgreSQL server named by TEST_DATABASE_URL, for one test run.
 * PostGIS is enabled by our own first migration, as it would be in production.
 */
export async function createScratchDatabase(purpose: string): Promise<{ url: string; drop(): Promise<void> }> {
	const baseUrl = process.env.TEST_DATABASE_URL;
	if (!baseUrl) throw new Error('TEST_DATABASE_URL is not set');
	const name = `atlante_${purpose}_${process.pid}_${Date.now().toString(36)}`;
	const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
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
