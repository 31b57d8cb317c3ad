// `npm run import:osm -- FILE.osm.pbf`
//
// Imports an OpenStreetMap extract: the walkable network (true walking times) and the basemap
// layers the app serves itself (streets, paths, shoreline, landmarks), replacing the previous
// import in one transaction; re-running it with the same file gives the same rows. A file that
// cannot be read, or has no walkable way, is refused (exit 1) and nothing changes. Never touches
// the directory. On the embedded store, stop the app first (one writer).
import { importOsm, OsmImportError } from '../src/lib/server/territory/osm';
import { runImport } from './lib/import-command';

await runImport(
	'Usage: npm run import:osm -- FILE.osm.pbf   (an extract of the served territory, see the README)',
	async (file) => {
		const r = await importOsm(file);
		return (
			`Imported ${file}: walkable network of ${r.nodes} nodes and ${r.edges} edges (${r.km} km); map layers: ` +
			`${r.layers.street} streets, ${r.layers.path} paths, ${r.layers.shoreline} shoreline ways, ${r.layers.landmark} landmarks.`
		);
	},
	(error) => error instanceof OsmImportError
);
