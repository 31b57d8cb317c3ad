// Creates the staff accounts the api and e2e tests sign in with, on the database the environment
// names (DATABASE_URL, or the embedded store in ATLANTE_DATA_DIR), before the app opens it: the
// embedded store has one writer. Reads a JSON list of accounts on standard input.
import { createUser } from '../../src/lib/server/auth/users';
import { start, stop } from '../../src/lib/server/startup';

interface Account {
	email: string;
	role: string;
	password: string;
	organization?: string;
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
try {
	await start(process.env);
	for (const account of JSON.parse(input) as Account[]) await createUser({ ...account, createdBy: 'tests/setup' });
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
} finally {
	await stop();
}
