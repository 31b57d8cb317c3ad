// Creates the accounts the API and end-to-end tests sign in with, on the database the environment
// names, before the app starts (the embedded store has one writer). Run with tsx by api-global.ts.
import { createUser } from '../../src/lib/server/auth/users';
import { start, stop } from '../../src/lib/server/startup';
import { TEST_USERS } from './test-users-list';

try {
	// Stands in for the app's first start on the fresh test store: the partner accounts need the
	// demo organisations loaded (npm run admin alone never loads anything).
	await start(process.env, { seed: true });
	for (const user of Object.values(TEST_USERS)) await createUser({ ...user, createdBy: 'test setup' });
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
} finally {
	await stop();
}
