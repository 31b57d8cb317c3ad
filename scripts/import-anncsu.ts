// `npm run import:anncsu -- FILE.csv`
//
// Imports ANNCSU's civic numbers with their points (the address export INDIR_….csv) for the
// served comuni, replacing the previous import in one transaction; re-running it with the same
// file gives the same rows. A file without ANNCSU's columns, or without one usable number, is
// refused (exit 1) and nothing changes. On the embedded store, stop the app first (one writer).
import { AnncsuImportError, importAnncsu } from '../src/lib/server/territory/anncsu';
import { runImport } from './lib/import-command';

await runImport(
	'Usage: npm run import:anncsu -- FILE.csv   (ANNCSU address export, see the README)',
	async (file) => {
		const r = await importAnncsu(file);
		return (
			`Imported ${r.written} civic numbers of ${r.read} rows read (served comuni ${r.comuni.join(', ') || 'none loaded: every row kept'}); ` +
			`skipped ${r.skipped.otherComune} of other comuni, ${r.skipped.noNumber} without a number, ${r.skipped.noPoint} without a point.`
		);
	},
	(error) => error instanceof AnncsuImportError
);
