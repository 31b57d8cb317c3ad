// `npm run restore -- FILE`: restores a backup of `npm run backup` into the store the environment
// names, which must be empty — a new database (DATABASE_URL), or a new data directory
// (ATLANTE_DATA_DIR). Then start the app with the household key the backup was taken with.
import { restore } from '../src/lib/server/backup';
import { fileArgument } from './lib/args';

const file = fileArgument('Usage: npm run restore -- FILE   (into an empty database or data directory: DATABASE_URL or ATLANTE_DATA_DIR)');
try {
	const report = await restore(process.env, file);
	console.info(`Restored ${report.file} into the ${report.backend === 'server' ? 'PostgreSQL server database' : 'embedded store'} (${(report.ms / 1000).toFixed(1)} s).`);
	console.info('Start the app with the household key this backup was taken with (ATLANTE_HOUSEHOLD_KEY, or household.key in the data directory): with another it refuses to start.');
} catch (error) {
	console.error(error instanceof Error ? error.message : String(error));
	process.exit(1);
}
