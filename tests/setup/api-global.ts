import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startApp } from '../../scripts/lib/app-process';
import { createScratchDatabase } from '../../scripts/lib/scratch-database';
import { testSmtp, type TestSmtp } from './smtp';
import { TEST_HOUSEHOLD_KEY } from './test-users-list';

/**
 * Starts the built app (`node build`) the way `npm start` does, on the embedded default (a fresh
 * data directory) or on a fresh server database, and hands its base URL to the tests.
 */
export default async function setup(project: TestProject) {
	// The planners' figures are computed at the app's first start; the background rebuild after
	// changes is tested directly (tests/db/coverage.test.ts, refreshIfDirty). Here it waits an hour,
	// so the tests' own directory edits do not set off rebuilds, which on the embedded store hold
	// every other request while they run.
	const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ATLANTE_PLANNING_REFRESH_DELAY_S: '3600' };
	delete env.DATABASE_URL;
	let cleanup: () => Promise<void>;
	if (project.name.endsWith('-server')) {
		const scratch = await createScratchDatabase('api');
		Object.assign(env, { DATABASE_URL: scratch.url, ATLANTE_DEMO: '1', ATLANTE_HOUSEHOLD_KEY: TEST_HOUSEHOLD_KEY });
		cleanup = () => scratch.drop();
	} else {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-api-'));
		Object.assign(env, { ATLANTE_DATA_DIR: dataDir });
		cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true });
	}
	// End to end, the app sends its email to a real SMTP server in this process, which keeps each
	// message in a directory the tests read (tests/e2e/staff-journey.test.ts). The API tests run
	// without mail: the pages show the links to copy, and the outbox is tested directly (tests/db).
	let smtp: TestSmtp | null = null;
	let mailbox: string | null = null;
	if (project.name === 'e2e') {
		mailbox = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-mail-'));
		smtp = await testSmtp({ mailbox });
		Object.assign(env, { SMTP_URL: smtp.url, MAIL_FROM: 'Atlante di comunità <atlante@atlante.test>' });
		const withoutMail = cleanup;
		cleanup = async () => {
			await smtp?.stop();
			fs.rmSync(mailbox!, { recursive: true, force: true });
			await withoutMail();
		};
	}
	const appLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-log-')), 'app.log');
	let app;
	try {
		// The accounts the tests sign in with, created before the app opens the database.
		execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'tests/setup/test-users.ts'], {
			env: { ...env, LOG_LEVEL: 'silent' },
			stdio: 'inherit'
		});
		app = await startApp(env, undefined, appLog);
	} catch (error) {
		await cleanup();
		throw error;
	}
	project.provide('baseUrl', app.baseUrl);
	project.provide('appLog', appLog);
	project.provide('mailbox', mailbox);
	project.provide('databaseUrl', env.DATABASE_URL ?? null);
	project.provide('dataDir', env.DATABASE_URL ? null : (env.ATLANTE_DATA_DIR ?? null));
	return async () => {
		await app.stop();
		await cleanup();
		if (!process.env.KEEP_APP_LOG) fs.rmSync(path.dirname(appLog), { recursive: true, force: true });
	};
}
