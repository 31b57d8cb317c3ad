import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const dataDir = inject('dataDir');

// Only one process may open the embedded store: a migration run while the app runs must stop with
// a clear message and leave the store alone.
describe.runIf(dataDir)('the embedded store while the app runs', () => {
	it('refuses a second process with a clear message, and the app keeps answering', async () => {
		const attempt = run(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/migrate.ts'], {
			env: { ...process.env, ATLANTE_DATA_DIR: dataDir!, DATABASE_URL: '' }
		});
		await expect(attempt).rejects.toMatchObject({
			code: 1,
			stderr: expect.stringMatching(/is already open in process \d+\. Only one process may use it at a time/)
		});
		const response = await fetch(inject('baseUrl') + '/api/needs');
		expect(response.status).toBe(200);
	});
});
