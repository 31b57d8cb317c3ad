import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startApp, type AppProcess } from '../../scripts/lib/app-process';
import { TEST_HOUSEHOLD_KEY, TEST_PASSWORD, TEST_USERS, type TestUser } from '../setup/test-users-list';

/**
 * What the fault tests share: the full or shortened run, the figures they print, and the app under
 * test (started as `node build`, the way `npm start` does) with the test accounts in its store.
 *
 * CI runs the shortened version on every change; `npm run bench:faults` sets FAULTS_FULL=1 for
 * longer load, more writes and the slow cases (the mail server's outage waits out the outbox's
 * one-minute backoff), and prints every figure at the end.
 */
export const FULL = process.env.FAULTS_FULL === '1';

const run = promisify(execFile);

/** One figure of a fault test: printed at once and, when FAULTS_REPORT names a file, appended there as a JSON line. */
export function figure(fault: string, values: Record<string, number | string | boolean | null>): void {
	const line = Object.entries(values)
		.map(([name, value]) => `${name} ${value}`)
		.join(', ');
	console.info(`[faults] ${fault}: ${line}`);
	if (process.env.FAULTS_REPORT) fs.appendFileSync(process.env.FAULTS_REPORT, JSON.stringify({ fault, ...values }) + '\n');
}

/** The environment of an app under test: no inherited DATABASE_URL, logs kept, no background planning rebuilds. */
export function appEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ATLANTE_PLANNING_REFRESH_DELAY_S: '3600', ...extra };
	if (!extra.DATABASE_URL) delete env.DATABASE_URL;
	// As the API tests: the partner accounts belong to demo organisations, off by default on a server.
	if (env.DATABASE_URL) Object.assign(env, { ATLANTE_DEMO: '1', ATLANTE_HOUSEHOLD_KEY: env.ATLANTE_HOUSEHOLD_KEY ?? TEST_HOUSEHOLD_KEY });
	return env;
}

/** Seeds the store `env` names and creates the test accounts (tests/setup/test-users.ts), before any app opens it. */
export async function prepareStore(env: NodeJS.ProcessEnv): Promise<void> {
	await run(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'tests/setup/test-users.ts'], { env: { ...env, LOG_LEVEL: 'silent' } });
}

/** A fresh embedded data directory, removed by the returned function. */
export function tempDataDir(purpose: string): { dir: string; remove(): void } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `atlante-${purpose}-`));
	return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export { startApp, type AppProcess };

/** Signs `who` in through the login form; the session cookie. */
export async function signIn(baseUrl: string, who: TestUser): Promise<string> {
	const response = await fetch(`${baseUrl}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: baseUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email: TEST_USERS[who].email, password: TEST_PASSWORD })
	});
	await response.arrayBuffer();
	const cookie = /(\S*atlante_session=[^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
	if (!cookie) throw new Error(`sign-in of ${who} failed with ${response.status}`);
	return cookie;
}

export interface Answer {
	status: number;
	body: string;
	/** performance.now() when the request was sent and when its answer (or failure) came. */
	startedAt: number;
	endedAt: number;
}

/** One request that never throws: a refused connection or a timeout is status 0. */
export async function request(baseUrl: string, pathname: string, init: { method?: string; cookie?: string; json?: unknown; timeoutMs?: number } = {}): Promise<Answer> {
	const startedAt = performance.now();
	try {
		const response = await fetch(baseUrl + pathname, {
			method: init.method ?? 'GET',
			headers: {
				origin: baseUrl,
				accept: 'application/json',
				...(init.cookie ? { cookie: init.cookie } : {}),
				...(init.json !== undefined ? { 'content-type': 'application/json' } : {})
			},
			body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
			signal: AbortSignal.timeout(init.timeoutMs ?? 30_000)
		});
		return { status: response.status, body: await response.text(), startedAt, endedAt: performance.now() };
	} catch (error) {
		return { status: 0, body: (error as Error).message, startedAt, endedAt: performance.now() };
	}
}

/** A new plan for a fictional household named `name` (the worker's session). */
export function createPlan(baseUrl: string, cookie: string, name: string, timeoutMs?: number): Promise<Answer> {
	return request(baseUrl, '/api/plans', {
		method: 'POST',
		cookie,
		timeoutMs,
		json: { household: { name, phone: '0341 000000' }, strengths: ['Una nonna vicina che aiuta con i compiti'], needs: ['food'] }
	});
}

/** Retries `attempt` every 50 ms until it answers 2xx; the milliseconds that took, or null after `limitMs`. */
export async function timeUntilOk(attempt: () => Promise<Answer>, limitMs: number): Promise<number | null> {
	const started = performance.now();
	while (performance.now() - started < limitMs) {
		const answer = await attempt();
		if (answer.status >= 200 && answer.status < 300) return Math.round(performance.now() - started);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return null;
}

/** Whether the process is alive (signal 0). */
export function alive(pid: number | undefined): boolean {
	if (!pid) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
