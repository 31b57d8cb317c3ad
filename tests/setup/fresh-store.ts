import { createScratchDatabase } from '../../scripts/lib/scratch-database';

/**
 * A store of this project's backend for tests that run the app's commands as processes of their
 * own: on db-server a scratch database (dropped by `drop`), on db-embedded the data directory
 * `dataDir` (the caller removes its folder). The environment is this process's with `env` over it,
 * without `unset` and without any other store's DATABASE_URL or ATLANTE_DATA_DIR.
 */
export async function freshStore(options: {
	server: boolean;
	purpose: string;
	dataDir: string;
	env?: NodeJS.ProcessEnv;
	unset?: string[];
}): Promise<{ env: NodeJS.ProcessEnv; drop: () => Promise<void> }> {
	const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
	for (const name of ['DATABASE_URL', 'ATLANTE_DATA_DIR', ...(options.unset ?? [])]) delete env[name];
	if (options.server) {
		const scratch = await createScratchDatabase(options.purpose);
		return { env: { ...env, DATABASE_URL: scratch.url }, drop: () => scratch.drop() };
	}
	return { env: { ...env, ATLANTE_DATA_DIR: options.dataDir }, drop: async () => {} };
}
