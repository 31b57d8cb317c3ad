import postgres from 'postgres';

/**
 * A time zone whose date differs from Rome's right now: 11 hours behind UTC in Rome's morning, 14
 * ahead from noon. The sessions of a scratch database run in it, so SQL that takes a date from the
 * session's zone (`current_date`, `::date` of a timestamptz) instead of Rome's gives another day,
 * and the tests see it whatever the hour.
 */
export function hostileTimeZone(now: Date = new Date()): string {
	const romeHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', hour: '2-digit', hourCycle: 'h23' }).format(now));
	return romeHour < 12 ? 'Pacific/Pago_Pago' : 'Pacific/Kiritimati';
}

/**
 * A throwaway database on a PostgreSQL server (by default the one TEST_DATABASE_URL names), for one
 * test or benchmark run. PostGIS is enabled by our own first migration, as in production.
 */
export async function createScratchDatabase(
	purpose: string,
	baseUrl = process.env.TEST_DATABASE_URL,
	timeZone = hostileTimeZone()
): Promise<{ url: string; drop(): Promise<void> }> {
	if (!baseUrl) throw new Error('TEST_DATABASE_URL is not set');
	const name = `atlante_${purpose}_${process.pid}_${Date.now().toString(36)}`;
	const admin = postgres(baseUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
	try {
		await admin`CREATE DATABASE ${admin(name)}`;
		await admin`ALTER DATABASE ${admin(name)} SET timezone TO ${admin(timeZone)}`;
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
