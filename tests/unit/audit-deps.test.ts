import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run audit:deps` (scripts/audit-deps.mjs) run for real, with npm, against a registry in this
 * process that serves the bulk advisory endpoint: a high advisory on a package of the lockfile
 * fails the check, a low one is listed and passes; a registry that cannot be reached, or refuses
 * the endpoint, is said so and passes. No request leaves the machine.
 */
const run = promisify(execFile);
let advisories: Record<string, unknown[]> = {};
let status = 200;
let server: http.Server;
let registry: string;

beforeAll(async () => {
	server = http.createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			if (request.method === 'POST' && request.url?.endsWith('/-/npm/v1/security/advisories/bulk')) {
				response.writeHead(status, { 'content-type': 'application/json' });
				response.end(status === 200 ? JSON.stringify(advisories) : '');
			} else {
				response.writeHead(404).end();
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function auditDeps(registryUrl: string): Promise<{ code: number; output: string }> {
	// A cache of its own each time: npm keeps audit answers, and the previous test's would come back.
	const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-npm-cache-'));
	try {
		const { stdout, stderr } = await run(process.execPath, ['scripts/audit-deps.mjs', `--registry=${registryUrl}`], { timeout: 60_000, env: { ...process.env, npm_config_cache: cache } });
		return { code: 0, output: stdout + stderr };
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string };
		return { code: failed.code, output: failed.stdout + failed.stderr };
	} finally {
		fs.rmSync(cache, { recursive: true, force: true });
	}
}

const advisory = (severity: string) => ({
	id: 1_000_001,
	url: 'https://example.invalid/advisory',
	title: 'Advisory for the test',
	severity,
	vulnerable_versions: '<1000.0.0',
	cwe: [],
	cvss: { score: 0, vectorString: null }
});

describe('npm run audit:deps', () => {
	it('fails on a high advisory for a package of the lockfile', async () => {
		status = 200;
		advisories = { postgres: [advisory('high')] };
		const { code, output } = await auditDeps(registry);
		expect(output).toMatch(/1 with advisories, 1 high or critical/);
		expect(output).toMatch(/high\s+postgres/);
		expect(code).toBe(1);
	}, 60_000);

	it('lists a low advisory and passes', async () => {
		status = 200;
		advisories = { postgres: [advisory('low')] };
		const { code, output } = await auditDeps(registry);
		expect(output).toMatch(/1 with advisories, 0 high or critical/);
		expect(code).toBe(0);
	}, 60_000);

	it('passes, saying so, when the registry refuses the advisory endpoint or cannot be reached', async () => {
		status = 405;
		const refused = await auditDeps(registry);
		expect(refused).toMatchObject({ code: 0, output: expect.stringMatching(/served no advisories.*not checked, passing/) });
		const closed = await new Promise<number>((resolve) => {
			const probe = http.createServer().listen(0, '127.0.0.1', () => {
				const { port } = probe.address() as AddressInfo;
				probe.close(() => resolve(port));
			});
		});
		const unreachable = await auditDeps(`http://127.0.0.1:${closed}/`);
		expect(unreachable).toMatchObject({ code: 0, output: expect.stringMatching(/cannot be reached.*not checked, passing/) });
	}, 60_000);
});
