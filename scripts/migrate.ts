// `npm run migrate`: applies pending migrations and re-applies db/functions on the database the
// environment names (DATABASE_URL, or the embedded store in ATLANTE_DATA_DIR). With --seed it also
// loads changed seed files and adds/removes the demo set per ATLANTE_DEMO. On the embedded store it
// refuses to run while the app has the store open.
import { start, stop } from '../src/lib/server/startup';

const withSeed = process.argv.includes('--seed');
try {
	const { timings } = await start(process.env, { seed: withSeed });
	console.info(`Database ready in ${timings.totalMs} ms${withSeed ? ' (migrated and seeded)' : ' (migrated)'}.`);
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
} finally {
	await stop();
}
