import path from 'node:path';
import type { Feature } from 'geojson';
import { isPlausibleDate } from '../../domain/dates';
import { checkArea } from '../../domain/geometry';
import { growBounds } from '../../domain/territory';
import { isCleanText } from '../../domain/text';
import * as audit from '../db/audit';
import * as boundaries from '../db/boundaries';
import * as census from '../db/census';
import { sql } from '../db/client';
import { CensusFileError, normaliseCode, readCensusTable, readSectionsFile } from './census-read';

/**
 * `npm run import:sections`: ISTAT census sections with their residents into census_section, for
 * the served comune only, all rows replaced in one transaction (or, with dryRun, nothing written).
 * A file with any bad section is refused whole, with every problem listed, and the table is left as
 * it was. Writes census_section (and its source row) only: never the directory.
 */

export class CensusImportError extends Error {
	constructor(readonly problems: string[]) {
		super(problems.length === 1 ? problems[0] : `${problems.length} problems:\n  - ${problems.join('\n  - ')}`);
		this.name = 'CensusImportError';
	}
}

/** Field names ISTAT has used, tried in this order when no flag names one. */
export const DEFAULT_FIELDS = {
	code: ['SEZ21_ID', 'SEZ2011', 'SEZ2001', 'SEZ'],
	population: ['P1', 'POP21', 'POP_2021', 'POP2011', 'POP_TOT', 'POP'],
	comune: ['PRO_COM', 'PRO_COM_T', 'COD_ISTAT']
} as const;

/** The reference day of each census when the file does not say (P1 of the census of that year). */
const CENSUS_DAY: Record<string, string> = { SEZ21_ID: '2021-12-31', SEZ2011: '2011-10-09', SEZ2001: '2001-10-21' };

/** How far outside the served comune's bounding box a kept section may reach: none should. */
const MARGIN_M = 2_000;
const MAX_RESIDENTS_PER_SECTION = 100_000;
const SHOWN_PROBLEMS = 20;

export interface ImportOptions {
	file: string;
	/** A census variables table (CSV) to take the population from, joined on the section code. */
	census?: string;
	codeField?: string;
	populationField?: string;
	comuneField?: string;
	/** Column of the section code in the census table (default: the code field's name). */
	censusCodeField?: string;
	/** CRS of coordinates not in longitude/latitude (a shapefile without .prj): default EPSG:32632. */
	crs?: string;
	referenceDate?: string;
	sourceName?: string;
	dryRun?: boolean;
}

export interface ImportReport {
	file: string;
	crs: string;
	codeField: string;
	populationField: string;
	/** How the served comune's sections were chosen. */
	filter: { by: 'field'; field: string; comuni: string[] } | { by: 'area' };
	read: number;
	kept: number;
	residents: number;
	referenceDate: string;
	perRione: census.RioneTotal[];
	written: boolean;
}

function fieldOf(features: Feature[], wanted: string | undefined, defaults: readonly string[]): string | undefined {
	const keys = new Set(features.flatMap((f) => Object.keys(f.properties ?? {})));
	const find = (name: string) => [...keys].find((k) => k.toUpperCase() === name.toUpperCase());
	if (wanted) return find(wanted);
	for (const name of defaults) {
		const found = find(name);
		if (found) return found;
	}
	return undefined;
}

const available = (features: Feature[]) => [...new Set(features.flatMap((f) => Object.keys(f.properties ?? {})))].join(', ') || 'none';

function residentsOf(value: unknown): number | null {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
	return null;
}

export async function importSections(options: ImportOptions, actor: { id: string | null; email: string | null } = { id: null, email: null }): Promise<ImportReport> {
	const read = await readSectionsFile(options.file, options.crs);
	const features = read.features;
	if (features.length === 0) throw new CensusImportError([`${options.file}: no sections in the file.`]);

	const codeField = fieldOf(features, options.codeField, DEFAULT_FIELDS.code);
	if (!codeField) throw new CensusImportError([`No section code field ${options.codeField ?? `(${DEFAULT_FIELDS.code.join(', ')})`}: the file has ${available(features)}. Name it with --code-field.`]);

	let populationField: string;
	let population: (f: Feature, code: string) => unknown;
	if (options.census) {
		populationField = options.populationField ?? 'P1';
		const table = readCensusTable(options.census, options.censusCodeField ?? codeField, populationField);
		population = (_f, code) => table.get(code);
	} else {
		const field = fieldOf(features, options.populationField, DEFAULT_FIELDS.population);
		if (!field) {
			throw new CensusImportError([
				`No population field ${options.populationField ?? `(${DEFAULT_FIELDS.population.join(', ')})`}: the file has ${available(features)}. ` +
					'ISTAT publishes residents in a separate table: give it with --census FILE.csv, or name the field with --population-field.'
			]);
		}
		populationField = field;
		population = (f) => f.properties?.[field];
	}

	const referenceDate = options.referenceDate ?? CENSUS_DAY[codeField.toUpperCase()];
	if (!referenceDate) throw new CensusImportError([`Say the population's reference date with --reference-date YYYY-MM-DD (the code field ${codeField} does not tell the census year).`]);
	if (!isPlausibleDate(referenceDate)) throw new CensusImportError([`--reference-date ${referenceDate} is not a real day (YYYY-MM-DD, from 2000).`]);

	const served = await census.servedComuni();
	if (served.length === 0) throw new CensusImportError(['The served comune is not loaded yet: run `npm run seed` (or start the app) first.']);
	const comuneField = fieldOf(features, options.comuneField, DEFAULT_FIELDS.comune);
	if (options.comuneField && !comuneField) throw new CensusImportError([`No field ${options.comuneField}: the file has ${available(features)}.`]);
	const servedNumbers = new Set(served.map((code) => Number(code)));
	const candidates = comuneField ? features.filter((f) => servedNumbers.has(Number(normaliseCode(f.properties?.[comuneField])))) : features;

	const bounds = await boundaries.servedBounds();
	const within = bounds ? growBounds(bounds, MARGIN_M) : null;
	const problems: string[] = [];
	const seen = new Set<string>();
	const rows: census.SectionRow[] = [];
	for (const [index, f] of candidates.entries()) {
		const code = normaliseCode(f.properties?.[codeField]);
		const where = code ? `section ${code}` : `feature ${features.indexOf(f) + 1 || index + 1}`;
		if (!code || code.length > 40 || !isCleanText(code)) {
			problems.push(`${where}: no usable code in ${codeField}.`);
			continue;
		}
		if (seen.has(code)) {
			problems.push(`${where}: appears more than once.`);
			continue;
		}
		seen.add(code);
		const raw = population(f, code);
		const residents = residentsOf(raw);
		if (residents === null || residents < 0 || residents > MAX_RESIDENTS_PER_SECTION) {
			problems.push(
				raw === undefined || raw === null || raw === ''
					? `${where}: no population (${populationField}${options.census ? ` in ${path.basename(options.census)}` : ''}).`
					: `${where}: population ${JSON.stringify(raw)} is not a whole number from 0 to ${MAX_RESIDENTS_PER_SECTION}.`
			);
			continue;
		}
		const area = checkArea(f.geometry);
		if (!area.ok) {
			problems.push(`${where}: ${area.error}.`);
			continue;
		}
		if (within && area.value.coordinates.flat(2).some(([lon, lat]) => lon! < within[0] || lon! > within[2] || lat! < within[1] || lat! > within[3])) {
			problems.push(`${where}: lies outside the served comune (check the coordinate reference system: --crs).`);
			continue;
		}
		rows.push({ code, geometry: area.value, residents });
	}
	if (problems.length > 0) {
		const shown = problems.slice(0, SHOWN_PROBLEMS);
		if (problems.length > SHOWN_PROBLEMS) shown.push(`… and ${problems.length - SHOWN_PROBLEMS} more.`);
		throw new CensusImportError(shown);
	}

	let kept = rows;
	if (!comuneField) {
		const inside = await census.inServedArea(rows);
		kept = rows.filter((r) => inside.has(r.code));
	}
	if (kept.length === 0) {
		throw new CensusImportError([
			comuneField
				? `No section of the served comune (${served.join(', ')}) in ${comuneField}: is this the right region's file?`
				: 'No section lies in the served comune: is this the right file, and its coordinate reference system (--crs)?'
		]);
	}

	const residents = kept.reduce((sum, r) => sum + r.residents, 0);
	const year = referenceDate.slice(0, 4);
	const sourceId = `istat-sezioni-${year}`;
	const report: ImportReport = {
		file: options.file,
		crs: read.crs,
		codeField,
		populationField,
		filter: comuneField ? { by: 'field', field: comuneField, comuni: served } : { by: 'area' },
		read: features.length,
		kept: kept.length,
		residents,
		referenceDate,
		perRione: await census.perRione(kept),
		written: false
	};
	if (options.dryRun) return report;

	await sql.begin(async (tx) => {
		await census.upsertSource(tx, {
			id: sourceId,
			name: options.sourceName?.trim() || `ISTAT, basi territoriali e variabili censuarie: sezioni di censimento ${year}`,
			licence: 'CC BY 4.0',
			url: 'https://www.istat.it/notizia/basi-territoriali-e-variabili-censuarie/',
			attribution: '© ISTAT, CC BY 4.0'
		});
		await census.replaceAll(tx, kept, referenceDate, sourceId);
		await audit.record(
			{
				actorId: actor.id,
				actorEmail: actor.email,
				action: 'census_section.import',
				subjectType: 'census_section',
				detail: { file: path.basename(options.file), sections: kept.length, residents, reference_date: referenceDate, source: sourceId }
			},
			tx
		);
	});
	return { ...report, written: true };
}

export { CensusFileError };
