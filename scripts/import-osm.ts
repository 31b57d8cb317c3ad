// `npm run import:osm -- FILE.osm.pbf`
//
// Imports an OpenStreetMap extract: the walkable network (true walking times) and the basemap
// layers the app serves itself (streets, paths, shoreline, landmarks), replacing the previous
// import in one transaction; re-running it with the same file gives the same rows. A file that
// cannot be read, or has no walkable way, is refused (exit 1) and nothing changes. Never touches
// the directory. On the embedded store, stop the app first (one writer).
import { importOsm, OsmImportError } from '../src/lib/server/territory/osm';
import { start, stop } from '../src/lib/server/startup';

const file = process.argv[2];
if (!file || process.argv.length > 3 || file === '--help') {
	console.error('Usage: npm run import:osm -- FILE.osm.pbf   (an extract of the served territory, see the README)');
	process.exit(file === '--help' ? 0 : 2);
}

try {
	await start(process.env, { seed: false });
	const r = await importOsm(file);
	console.info(
		`Imported ${file}: walkable network of ${r.nodes} nodes and ${r.edges} edges (${r.km} km); map layers: ` +
			`${r.layers.street} streets, ${r.layers.path} paths, ${r.layers.shoreline} shoreline ways, ${r.layers.landmark} landmarks.`
	);
} catch (error) {
	if (error instanceof OsmImportError) {
		console.error(`Refused, nothing written: ${error.message}`);
		process.exitCode = 1;
	} else throw error;
} finally {
	await stop();
}
