import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startApp } from '../../scripts/lib/app-process';
import { createScratchDatabase } from '../../scripts/lib/scratch-database';
import { TEST_ACCOUNTS } from './accounts';

/** Creates the test accounts on the app's database before the app opens it (one process at a time). */
async function createAccounts(env: NodeJS.ProcessEnv): Promise<void> {
	const a = TEST_ACCOUNTS;
	const accounts = [
		{ email: a.admin, role: 'admin', password: a.password },
		{ email: a.partner, role: 'partner', password: a.password, organization: a.partnerOrganization },
		{ email: a.otherPartner, role: 'partner', password: a.password, organization: a.otherOrganization }
	];
	const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'tests/setup/create-accounts.ts'], {
		env: { ...env, LOG_LEVEL: 'silent' },
		stdio: ['pipe', 'ignore', 'pipe']
	});
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	child.stdin.end(JSON.stringify(accounts));
	const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
	if (code !== 0) throw new Error(`Creating the test accounts failed:\n${stderr}`);
}

/**
 * Starts the built app (`node build`) the way `npm start` does, on the embedded default (a fresh
 * data directory) or on a fresh server database, and hands its base URL to the tests.
 */
export default async function setup(project: TestProject) {
	const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
	delete env.DATABASE_URL;
	let cleanup: () => Promise<void>;
	if (project.name.endsWith('-server')) {
		const scratch = await createScratchDatabase('api');
		Object.assign(env, { DATABASE_URL: scratch.url, ATLANTE_DEMO: '1' });
		cleanup = () => scratch.drop();
	} else {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-api-'));
		Object.assign(env, { ATLANTE_DATA_DIR: dataDir });
		cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true });
	}
	const appLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-log-')), 'app.log');
	let app;
	try {
		await createAccounts(env);
		app = await startApp(env, undefined, appLog);
	} catch (error) {
		await cleanup();
		throw error;
	}
	project.provide('baseUrl', app.baseUrl);
	project.provide('appLog', appLog);
	project.provide('databaseUrl', env.DATABASE_URL ?? null);
	project.provide('dataDir', env.DATABASE_URL ? null : (env.ATLANTE_DATA_DIR ?? null));
	return async () => {
		await app.stop();
		await cleanup();
		fs.rmSync(path.dirname(appLog), { recursive: true, force: true });
	};
}
