// `npm run backup -- FILE`: a backup of the store the environment names — pg_dump (custom format) of
// DATABASE_URL, or the embedded store's own dump of ATLANTE_DATA_DIR (stop the app first: one writer).
// The household key is not in it: keep it apart (see README, "Backup and restore").
import { backup } from '../src/lib/server/backup';
import { DataDirInUseError } from '../src/lib/server/db/lock';
import { fileArgument } from './lib/args';

const file = fileArgument('Usage: npm run backup -- FILE   (a new file; DATABASE_URL or ATLANTE_DATA_DIR say which store)');
try {
	const report = await backup(process.env, file);
	console.info(`Backed up the ${report.backend === 'server' ? 'PostgreSQL server database' : 'embedded store'} to ${report.file} (${(report.bytes / 1e6).toFixed(1)} MB, ${(report.ms / 1000).toFixed(1)} s).`);
	console.info('The household key is not in the backup: keep it apart (ATLANTE_HOUSEHOLD_KEY, or household.key in the data directory); a restored copy starts only with it.');
} catch (error) {
	console.error(error instanceof DataDirInUseError || error instanceof Error ? error.message : String(error));
	process.exit(1);
}
