import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';

// Guards the test set-up itself: the app under test must run on the backend the project names.
describe('the app under test', () => {
	it('runs on the backend the project names', async () => {
		const databaseUrl = inject('databaseUrl');
		const dataDir = inject('dataDir');
		if (process.env.TEST_BACKEND === 'server') {
			expect(databaseUrl).toBeTruthy();
			expect(dataDir).toBeNull();
			// The app migrated and seeded the scratch database it was given.
			const client = postgres(databaseUrl!, { max: 1 });
			const [row] = await client<{ n: number }[]>`SELECT count(*)::int AS n FROM organization`;
			await client.end();
			expect(row!.n).toBeGreaterThan(100);
		} else {
			expect(databaseUrl).toBeNull();
			expect(dataDir).toBeTruthy();
		}
	});
});
