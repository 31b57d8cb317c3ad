// `npm run import:sections -- FILE [--census VARIABLES.csv] [--dry-run] [options]`
//
// Imports ISTAT census sections (sezioni di censimento) with their residents into census_section,
// for the served comune only, replacing every row in one transaction; --dry-run reads, checks and
// reports without writing. FILE: a shapefile (.shp with its .dbf/.prj beside it), a .zip of one, or
// a GeoJSON. Coordinates are reprojected to WGS84 (from the .prj, the GeoJSON's `crs`, or --crs,
// default EPSG:32632 as ISTAT publishes). A file with any bad section is refused whole (exit 1) and
// the table is left as it was.
//
// The deliberate exception to "only the app's start and the seed change data": an administrator
// runs this on purpose. It writes census_section, its source row and an audit event; never the
// directory. On the embedded store, stop the app first (one writer).
import { CensusFileError, CensusImportError, DEFAULT_FIELDS, importSections } from '../src/lib/server/territory/census';
import { databaseUnavailable } from '../src/lib/server/db/errors';
import { start, stop } from '../src/lib/server/startup';
import { fileCommand } from './lib/args';

const usage = `Usage: npm run import:sections -- FILE [--census VARIABLES.csv] [--dry-run]
  FILE                    .shp (with .dbf, .prj beside it), .zip of a shapefile, or .geojson
  --census FILE.csv       census variables (e.g. SEZ21_ID;P1;…), joined on the section code
  --code-field NAME       section code (default: first of ${DEFAULT_FIELDS.code.join(', ')})
  --population-field NAME residents (default: P1 in --census, else first of ${DEFAULT_FIELDS.population.join(', ')})
  --comune-field NAME     comune code to keep the served one (default: first of ${DEFAULT_FIELDS.comune.join(', ')};
                          without one, sections are kept by location)
  --census-code-field NAME  code column of --census (default: the code field's name)
  --crs CRS               CRS of projected coordinates without .prj (default EPSG:32632)
  --reference-date DAY    YYYY-MM-DD (default: 2021-12-31 for SEZ21_ID, 2011-10-09 for SEZ2011)
  --source-name TEXT      how the source is cited (default: ISTAT, basi territoriali …)
  --dry-run               read, check and report; write nothing`;

const { positionals, values } = fileCommand(usage, {
	census: { type: 'string' },
	'code-field': { type: 'string' },
	'population-field': { type: 'string' },
	'comune-field': { type: 'string' },
	'census-code-field': { type: 'string' },
	crs: { type: 'string' },
	'reference-date': { type: 'string' },
	'source-name': { type: 'string' },
	'dry-run': { type: 'boolean', default: false }
});

try {
	// Schema only at start: this command never loads seed files.
	await start(process.env, { seed: false });
	const report = await importSections({
		file: positionals[0]!,
		census: values.census,
		codeField: values['code-field'],
		populationField: values['population-field'],
		comuneField: values['comune-field'],
		censusCodeField: values['census-code-field'],
		crs: values.crs,
		referenceDate: values['reference-date'],
		sourceName: values['source-name'],
		dryRun: values['dry-run']
	});
	console.info(
		[
			`${report.written ? 'Imported' : 'Dry run (nothing written):'} ${report.kept} census sections of ${report.read} read, ${report.residents} residents at ${report.referenceDate}.`,
			`  code ${report.codeField}, population ${report.populationField}, coordinates ${report.crs === 'wgs84' ? 'already WGS84' : report.crs === 'prj' ? 'reprojected as the .prj says' : `reprojected from ${report.crs}`},`,
			`  served comune chosen ${report.filter.by === 'field' ? `by ${report.filter.field} = ${report.filter.comuni.join(', ')}` : 'by location'}.`,
			'  Per rione (sections, residents):',
			...report.perRione.map((r) => `    ${r.rione ?? '(outside every rione)'}: ${r.sections}, ${r.residents}`)
		].join('\n')
	);
} catch (error) {
	if (error instanceof CensusImportError || error instanceof CensusFileError) {
		console.error(`Refused, nothing written: ${error.message}`);
		process.exitCode = 1;
	} else if (databaseUnavailable(error)) {
		// The connection ended (a restart, pg_terminate_backend): the transaction rolled back whole.
		console.error('The database connection was lost during the import: nothing was written. Run the import again.');
		process.exitCode = 1;
	} else throw error;
} finally {
	await stop();
}
