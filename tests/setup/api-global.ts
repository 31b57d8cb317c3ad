import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createScratchDatabase } from './scratch-database';

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

async function waitUntilReady(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
	const deadline = Date.now() + 170_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`The app exited with ${child.exitCode} before it was ready:\n${output()}`);
		try {
			const response = await fetch(`${baseUrl}/api/needs`);
			if (response.ok) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`The app did not become ready in time:\n${output()}`);
}

/**
 * Starts the built app (`node build`) the way `npm start` does, on the embedded default (a fresh
 * data directory) or on a fresh server database, and hands its base URL to the tests.
 */
export default async function setup(project: TestProject) {
	if (!fs.existsSync('build/index.js')) throw new Error('No build: run `npm run build` (npm test does it) first.');
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', TZ: 'Europe/Rome', LOG_LEVEL: 'info' };
	delete env.DATABASE_URL;
	let cleanup: () => Promise<void>;
	if (process.env.TEST_BACKEND === 'server') {
		const scratch = await createScratchDatabase('api');
		Object.assign(env, { DATABASE_URL: scratch.url, ATLANTE_DEMO: '1' });
		cleanup = () => scratch.drop();
	} else {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-api-'));
		Object.assign(env, { ATLANTE_DATA_DIR: dataDir });
		cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true });
	}
	let log = '';
	const child = spawn(process.execPath, ['build/index.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
	try {
		await waitUntilReady(baseUrl, child, () => log);
	} catch (error) {
		child.kill('SIGKILL');
		await cleanup();
		throw error;
	}
	project.provide('baseUrl', baseUrl);
	project.provide('databaseUrl', env.DATABASE_URL ?? null);
	return async () => {
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
		if (child.exitCode === null) child.kill('SIGKILL');
		await cleanup();
	};
}
