// `npm run import:anncsu -- FILE.csv`
//
// Imports ANNCSU's civic numbers with their points (the address export INDIR_….csv) for the
// served comuni, replacing the previous import in one transaction; re-running it with the same
// file gives the same rows. A file without ANNCSU's columns, or without one usable number, is
// refused (exit 1) and nothing changes. On the embedded store, stop the app first (one writer).
import { AnncsuImportError, importAnncsu } from '../src/lib/server/territory/anncsu';
import { start, stop } from '../src/lib/server/startup';

const file = process.argv[2];
if (!file || process.argv.length > 3 || file === '--help') {
	console.error('Usage: npm run import:anncsu -- FILE.csv   (ANNCSU address export, see the README)');
	process.exit(file === '--help' ? 0 : 2);
}

try {
	await start(process.env, { seed: false });
	const r = await importAnncsu(file);
	console.info(
		`Imported ${r.written} civic numbers of ${r.read} rows read (served comuni ${r.comuni.join(', ') || 'none loaded: every row kept'}); ` +
			`skipped ${r.skipped.otherComune} of other comuni, ${r.skipped.noNumber} without a number, ${r.skipped.noPoint} without a point.`
	);
} catch (error) {
	if (error instanceof AnncsuImportError) {
		console.error(`Refused, nothing written: ${error.message}`);
		process.exitCode = 1;
	} else throw error;
} finally {
	await stop();
}
