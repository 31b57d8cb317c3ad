import { randomBytes } from 'node:crypto';
import { sql } from './client';

/**
 * The error-report limit's counts, shared by every instance on the database (migration 0029). An
 * address is only ever compared as sha256(key || address), the key a random one the database keeps
 * and replaces after KEY_DAYS; rows are deleted once older than the window.
 */
const KEY_DAYS = 1;
const DAY_MS = 86_400_000;

/** The newest `limit` report times of `address` after `since`, newest first. */
export async function recentTimes(address: string, since: Date, limit: number): Promise<Date[]> {
	const rows = await sql<{ at: Date }[]>`
		SELECT t.at FROM report_throttle t, report_throttle_key k
		WHERE t.address_hash = sha256(k.salt || convert_to(${address}, 'UTF8')) AND t.at > ${since}
		ORDER BY t.at DESC LIMIT ${limit}`;
	return rows.map((row) => row.at);
}

/**
 * Counts one report of `address` at `now`, and deletes the counts older than `forgetBefore`. The key
 * is made on first use and replaced once older than KEY_DAYS (the counts under the old key then
 * stop matching: at the change an address may send up to twice the limit within the hour).
 */
export async function count(address: string, now: Date, forgetBefore: Date): Promise<void> {
	await sql.begin(async (tx) => {
		await tx`
			INSERT INTO report_throttle_key (id, salt, created_at) VALUES (true, ${randomBytes(32)}, ${now})
			ON CONFLICT (id) DO UPDATE SET salt = EXCLUDED.salt, created_at = EXCLUDED.created_at
			WHERE report_throttle_key.created_at <= ${new Date(now.getTime() - KEY_DAYS * DAY_MS)}`;
		await tx`
			INSERT INTO report_throttle (address_hash, at)
			SELECT sha256(salt || convert_to(${address}, 'UTF8')), ${now} FROM report_throttle_key`;
		await tx`DELETE FROM report_throttle WHERE at <= ${forgetBefore}`;
	});
}
