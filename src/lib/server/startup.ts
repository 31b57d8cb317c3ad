import { readConfig, type Config } from './config';
import { useRomeTime } from '../domain/opening-hours';
import { log } from './log';
import { closeDatabase, openDatabase } from './db/client';
import { migrate } from './db/migrate';
import * as openingHours from './db/opening-hours';
import * as coverage from './planning/coverage';
import * as outbox from './mail/outbox';
import * as notices from './mail/notices';
import { checkKeys, keySource, useKeys } from './plans/crypto';
import { seed, type SeedReport } from './seed/load';
import * as plansDb from './db/plans';

/**
 * Brings the process to a ready state: config validated, database open, migrated, opening hours
 * expanded, and — only with `seed: true` — the seed loaded. Shared by the app (hooks.server.ts
 * `init`) and the command-line scripts. Only the app's start and `npm run seed` pass `seed: true`:
 * any other command (admin, migrate) must leave the directory's content as it is.
 */
export interface Started {
	config: Config;
	timings: { openMs: number; migrateMs: number; seedMs: number; totalMs: number };
	/** What the seed loaded and kept; null when this start did not seed. */
	seed: SeedReport | null;
}

// Survives Vite's module reloads in development, which would otherwise open the store twice.
const globalKey = Symbol.for('atlante.started');
const configKey = Symbol.for('atlante.config');
const timerKey = Symbol.for('atlante.expansion-timer');
const coverageTimerKey = Symbol.for('atlante.coverage-timer');
const staleTimerKey = Symbol.for('atlante.stale-referrals-timer');
type GlobalWithStart = typeof globalThis & {
	[globalKey]?: Promise<Started>;
	[configKey]?: Config;
	[timerKey]?: NodeJS.Timeout;
	[coverageTimerKey]?: NodeJS.Timeout;
	[staleTimerKey]?: NodeJS.Timeout;
};

/**
 * How often the process extends the opening-hours horizon. Expansion is due when fewer than 2 of
 * its 8 days remain (db/opening-hours.ts), so about 48 ticks come and go before a read could run
 * past the known intervals: a failed tick (database busy, a restart of the server) is retried
 * within the hour, long before anyone sees a wrong "open now".
 */
export const EXPANSION_EVERY_MS = 3_600_000;
/** How often the app looks for referrals left unanswered too long (their leads are told by email). */
const STALE_CHECK_MS = 3_600_000;

/**
 * The configuration start() validated. Request paths read it here instead of parsing the
 * environment again on every request, so they see exactly what start-up checked.
 */
export function config(): Config {
	const current = (globalThis as GlobalWithStart)[configKey];
	if (!current) throw new Error('Configuration read before start(): call start(env) first (hooks.server.ts init does, for the app).');
	return current;
}

/**
 * One tick of the opening-hours job: extends every expression whose horizon is due, under the
 * advisory lock that keeps instances sharing a database from expanding twice. A failure is logged
 * and left to the next tick; it never throws (it runs from a timer). Returns how many expressions
 * were expanded, or null when the tick failed.
 */
export async function expandOpeningHours(now = new Date()): Promise<number | null> {
	try {
		const expanded = await openingHours.ensureExpanded(now);
		if (expanded > 0) log.info('opening hours expanded', { expressions: expanded });
		return expanded;
	} catch (error) {
		log.error('opening hours expansion failed: retried at the next tick', { error: error instanceof Error ? error.message : String(error) });
		return null;
	}
}

const holder = () => globalThis as GlobalWithStart;

/**
 * `seed`: load changed seed files (the app's start and `npm run seed` only). `planning`: the app
 * only — compute the planners' figures when the store never had them, and keep them fresh in the
 * background; commands (admin, migrate, importers) neither compute nor schedule them. `mail`: the app
 * only — send the outbox's email when SMTP_URL is set (commands queue, never send).
 */
export function start(
	env: Record<string, string | undefined>,
	options: { seed?: boolean; planning?: boolean; mail?: boolean } = {}
): Promise<Started> {
	const held = holder();
	held[globalKey] ??= startOnce(env, options.seed ?? false, options.planning ?? false, options.mail ?? false).catch((error: unknown) => {
		delete held[globalKey];
		delete held[configKey];
		throw error;
	});
	return held[globalKey];
}

async function startOnce(env: Record<string, string | undefined>, withSeed: boolean, withPlanning: boolean, withMail: boolean): Promise<Started> {
	const t0 = performance.now();
	const config = readConfig(env);
	holder()[configKey] = config;
	useRomeTime();
	useKeys(config);
	await openDatabase(config);
	const t1 = performance.now();
	await migrate(config.dbAssetsDir);
	// Before anything reads or writes a household: the keys must open the ones stored.
	try {
		checkKeys(await plansDb.identitySamples(), keySource(config));
	} catch (error) {
		await closeDatabase();
		throw error;
	}
	const t2 = performance.now();
	const seeded = withSeed && config.seed ? await seed({ dbAssetsDir: config.dbAssetsDir, demo: config.demo, demoDefault: config.demoDefault }) : null;
	// At start the failure is not swallowed: a store that cannot be expanded is not ready.
	const expanded = await openingHours.ensureExpanded();
	if (expanded > 0) log.info('opening hours expanded', { expressions: expanded });
	// Then on a timer, never on a read: public reads (the API, the pages) do not write. unref():
	// the timer alone does not keep a command-line script alive.
	clearInterval(holder()[timerKey]);
	holder()[timerKey] = setInterval(() => void expandOpeningHours(), EXPANSION_EVERY_MS).unref();
	// Planning figures (the app only): computed here the first time (a store that never had them is
	// not ready), afterwards rebuilt in the background once changes have settled (planning/coverage.ts).
	if (withPlanning) {
		if ((await coverage.freshness()).computed_at === null) await coverage.refreshCoverage();
		clearInterval(holder()[coverageTimerKey]);
		const delayMs = config.planningRefreshDelayS * 1000;
		holder()[coverageTimerKey] = setInterval(() => void coverage.refreshIfDirty(new Date(), delayMs), coverage.REFRESH_CHECK_MS).unref();
	}
	if (withMail && config.mail) {
		outbox.startDispatcher(config.mail);
		// Referrals left unanswered: each lead is told once, checked hourly (and now).
		const tellStale = () =>
			void notices
				.staleReferrals(config.referralStaleDays)
				.then((queued) => queued > 0 && outbox.wake())
				.catch((error: unknown) => log.error('stale referral notices failed: retried within the hour', { error: error instanceof Error ? error.message : String(error) }));
		clearInterval(holder()[staleTimerKey]);
		holder()[staleTimerKey] = setInterval(tellStale, STALE_CHECK_MS).unref();
		tellStale();
	}
	const t3 = performance.now();
	const timings = {
		openMs: Math.round(t1 - t0),
		migrateMs: Math.round(t2 - t1),
		seedMs: Math.round(t3 - t2),
		totalMs: Math.round(t3 - t0)
	};
	log.info('ready', { backend: config.backend, demo: seeded?.demo, seeded: seeded !== null, mail: config.mail !== null, ...timings });
	return { config, timings, seed: seeded };
}

export async function stop(): Promise<void> {
	const held = holder();
	outbox.stopDispatcher();
	clearInterval(held[staleTimerKey]);
	delete held[staleTimerKey];
	clearInterval(held[timerKey]);
	delete held[timerKey];
	clearInterval(held[coverageTimerKey]);
	delete held[coverageTimerKey];
	delete held[globalKey];
	delete held[configKey];
	await closeDatabase();
}
