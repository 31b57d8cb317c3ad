import { describe, expect, it } from 'vitest';
import { currentBackend, sql } from '../../src/lib/server/db/client';

// Guards the test set-up itself: a "server" project that silently ran on PGlite would prove nothing.
describe('the backend under test', () => {
	it('is the one the project names', async () => {
		expect(currentBackend()).toBe(process.env.TEST_BACKEND);
		const [row] = await sql<{ version: string }[]>`SELECT version()`;
		// PGlite reports the PostgreSQL it compiles (17); CI's server is PostgreSQL 15.
		if (process.env.TEST_BACKEND === 'server') expect(row!.version).not.toMatch(/wasm|emscripten/i);
		const [postgis] = await sql<{ v: string }[]>`SELECT postgis_lib_version() AS v`;
		expect(postgis!.v).toMatch(/^3\./);
	});
});
