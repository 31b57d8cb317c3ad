import * as db from '../db/report-throttle';

/**
 * How many error reports one client address may send: a sliding hour, counted in the database so
 * that every app instance sharing it applies one limit (behind a proxy spreading requests, counts
 * in each instance's memory gave a script the limit once per instance). As with sign-in throttling
 * (login_attempt) the counts are shared; unlike it, the address is never stored, only a salted hash
 * that lives an hour (db/report-throttle.ts, migration 0029): a citizen's report must not leave
 * their address in our database.
 */
const WINDOW_MS = 60 * 60 * 1000;

/** Seconds to wait before `address` may send another report (0: it may now). */
export async function waitSeconds(address: string, perHour: number, now = Date.now()): Promise<number> {
	const times = await db.recentTimes(address, new Date(now - WINDOW_MS), perHour);
	if (times.length < perHour) return 0;
	// Newest first: the last of them is the one whose hour ends first.
	return Math.max(1, Math.ceil((times[perHour - 1]!.getTime() + WINDOW_MS - now) / 1000));
}

/** Counts one report from `address`. */
export async function count(address: string, now = Date.now()): Promise<void> {
	await db.count(address, new Date(now), new Date(now - WINDOW_MS));
}
