import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import type { FeatureCollection, Point } from 'geojson';
import { log } from '../log';
import * as audit from '../db/audit';
import { sql } from '../db/client';
import * as directory from '../db/directory';
import type { KeptEdit } from '../db/directory';
import * as places from '../db/places';
import * as population from '../db/population';
import * as seedState from '../db/seed-state';
import * as transit from '../db/transit';
import { directoryBundle, type DirectoryBundle } from './bundle';

/**
 * Loads the committed seed files (`db/seed/…`, built from ../shared/data/lecco by
 * `npm run seed:build` and `npm run demo:build`) into the database. Each file is loaded when the
 * database has never seen it or its content changed, so start-up is idempotent and cheap.
 */

/** The rioni of the seed's `rioni.geojson` as the database takes them (the tests restore them the same way). */
export function neighbourhoodsOf(collection: FeatureCollection) {
	return collection.features.map((f) => ({
		name: String(f.properties?.name),
		derived: f.properties?.derived !== false,
		source: String(f.properties?.source),
		label: f.properties?.label as [number, number] | undefined,
		geometry: f.geometry
	}));
}

export interface SeedReport {
	loaded: string[];
	/** Whether the demo set is on for this database (the recorded choice). */
	demo: boolean;
	/** Fields (or records) left as people edited them although a changed seed file says otherwise. */
	kept: KeptEdit[];
}

interface SeedFile {
	name: string;
	text: string;
	checksum: string;
}

function read(seedDir: string, name: string): SeedFile {
	const text = fs.readFileSync(path.join(seedDir, name), 'utf8');
	return { name, text, checksum: createHash('sha256').update(text).digest('hex') };
}

type Loader = (file: SeedFile) => Promise<KeptEdit[] | void>;

const loaders: { match: RegExp; load: Loader }[] = [
	{
		match: /sources\.json$/,
		load: async (file) => places.upsertSources(JSON.parse(file.text) as places.SourceRecord[])
	},
	{
		match: /areas\.geojson$/,
		load: async (file) => {
			const collection = JSON.parse(file.text) as FeatureCollection;
			await places.replaceAreas(
				collection.features.map((f) => ({
					istatCode: String(f.properties?.istat_code),
					name: String(f.properties?.name),
					served: f.properties?.served === true,
					source: String(f.properties?.source),
					geometry: f.geometry
				}))
			);
		}
	},
	{
		match: /rioni\.geojson$/,
		load: async (file) => {
			await places.replaceNeighbourhoods(neighbourhoodsOf(JSON.parse(file.text) as FeatureCollection));
		}
	},
	{
		match: /places\.geojson$/,
		load: async (file) => {
			const collection = JSON.parse(file.text) as FeatureCollection<Point>;
			await places.replacePlaces(
				collection.features.map((f) => ({
					name: String(f.properties?.name),
					kind: String(f.properties?.kind),
					lon: f.geometry.coordinates[0]!,
					lat: f.geometry.coordinates[1]!,
					inServedArea: f.properties?.in_served_area === true,
					source: String(f.properties?.source),
					ref: String(f.properties?.ref)
				}))
			);
		}
	},
	{
		match: /streets\.csv$/,
		load: async (file) => {
			const rows = parseCsv(file.text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
			await places.replaceStreets(
				rows.map((row) => ({
					ref: row.ref!,
					prefix: row.prefix!,
					name: row.name!,
					istatCode: row.istat_code!
				})),
				'anncsu'
			);
		}
	},
	{
		match: /population\.csv$/,
		// Added as history: never overwrites an administrator's figure (db/population.ts).
		load: async (file) => {
			const rows = parseCsv(file.text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
			await population.addSeedFigures(
				rows.map((row) => ({
					rione: row.rione!,
					residents: Number(row.residents),
					referenceDate: row.reference_date!,
					source: row.source!
				}))
			);
		}
	},
	{
		match: /ages\.csv$/,
		load: async (file) => {
			const rows = parseCsv(file.text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
			await population.replaceAges(
				rows.map((row) => ({
					age: Number(row.age),
					males: Number(row.males),
					females: Number(row.females),
					total: Number(row.total),
					referenceDate: row.reference_date!,
					source: row.source!
				}))
			);
		}
	},
	{
		match: /transit-stops\.geojson$/,
		load: async (file) => {
			const collection = JSON.parse(file.text) as FeatureCollection<Point>;
			await transit.replaceStops(
				collection.features.map((f) => ({
					id: String(f.properties?.id),
					code: typeof f.properties?.code === 'string' ? f.properties.code : null,
					name: String(f.properties?.name),
					kind: f.properties?.kind as transit.StopKind,
					lon: f.geometry.coordinates[0]!,
					lat: f.geometry.coordinates[1]!,
					source: String(f.properties?.source),
					validFrom: typeof f.properties?.valid_from === 'string' ? f.properties.valid_from : null,
					validTo: typeof f.properties?.valid_to === 'string' ? f.properties.valid_to : null
				}))
			);
		}
	},
	{
		match: /\.directory\.json$/,
		load: async (file) => {
			const bundle = parseBundle(file);
			// One transaction per bundle, its bookkeeping included: a failed load leaves it to load again.
			return sql.begin(async (tx) => {
				const report = await directory.applyBundle(tx, bundle);
				await seedState.markLoaded(file.name, file.checksum, tx);
				return report.kept;
			});
		}
	}
];

// Order matters: sources before what cites them, rioni before the locations placed in them.
const LECCO_ORDER = [
	'sources.json',
	'areas.geojson',
	'rioni.geojson',
	'places.geojson',
	'streets.csv',
	'population.csv',
	'ages.csv',
	'transit-stops.geojson'
];
const DEMO_FILE = 'demo/demo.directory.json';

function leccoFiles(seedDir: string): string[] {
	const folder = path.join(seedDir, 'lecco');
	const bundles = fs
		.readdirSync(folder)
		.filter((name) => name.endsWith('.directory.json'))
		.sort();
	return [...LECCO_ORDER, ...bundles].map((name) => `lecco/${name}`);
}

function parseBundle(file: SeedFile): DirectoryBundle {
	const parsed = directoryBundle.safeParse(JSON.parse(file.text));
	if (!parsed.success) throw new Error(`${file.name} is not a valid directory bundle: ${parsed.error.message}`);
	directory.validateBundle(parsed.data);
	return parsed.data;
}

async function loadIfChanged(seedDir: string, name: string, known: Map<string, string>, report: SeedReport): Promise<void> {
	const file = read(seedDir, name);
	if (known.get(name) === file.checksum) return;
	const loader = loaders.find((l) => l.match.test(name));
	if (!loader) throw new Error(`No loader for seed file ${name}`);
	const kept = await loader.load(file);
	// A directory bundle is marked loaded inside its own transaction; the other files here.
	if (!kept) await seedState.markLoaded(name, file.checksum);
	report.loaded.push(name);
	if (kept?.length) {
		report.kept.push(...kept);
		// Organisation and service names are public directory data; no person is named here.
		log.warn('seed: kept what partners or administrators edited', {
			file: name,
			kept: kept.length,
			first: kept
				.slice(0, 10)
				.map((k) => `${k.record} ${k.field ?? `(whole ${k.entity}, ${k.reason})`}`)
				.join('; ')
		});
	}
}

const onOff = (on: boolean) => (on ? 'on' : 'off');

/**
 * Loads what changed among the seed files, and the demo set when the database's demo choice is on.
 * The first load records that choice: `demo` (ATLANTE_DEMO) when set, else `demoDefault`. After
 * that the recorded choice wins: a contradicting ATLANTE_DEMO is ignored with a warning, and only
 * {@link chooseDemo} (`npm run seed -- --demo on|off`) changes it. Nothing here removes the demo set.
 * Only the app's start and `npm run seed` call this: every other command leaves the directory alone.
 */
export async function seed(options: { dbAssetsDir: string; demo?: boolean | null; demoDefault?: boolean }): Promise<SeedReport> {
	const seedDir = path.join(options.dbAssetsDir, 'seed');
	const requested = options.demo ?? null;
	let choice = await seedState.demoChoice();
	if (!choice) {
		const on = requested ?? options.demoDefault ?? false;
		const setBy = requested === null ? `first load: default ${onOff(on)} for this database backend` : `first load: ATLANTE_DEMO=${requested ? 1 : 0}`;
		choice = await seedState.initDemoChoice(on, setBy);
		log.info(`demo set ${onOff(choice.on)} for this database (${choice.setBy})`);
	} else if (requested !== null && requested !== choice.on) {
		log.warn(
			`ATLANTE_DEMO=${requested ? 1 : 0} is ignored: the demo set is ${onOff(choice.on)} for this database ` +
				`(${choice.setBy}). To change it, run: npm run seed -- --demo ${onOff(requested)}`
		);
	}
	const known = await seedState.loadedChecksums();
	const report: SeedReport = { loaded: [], demo: choice.on, kept: [] };
	for (const name of leccoFiles(seedDir)) await loadIfChanged(seedDir, name, known, report);
	if (choice.on) await loadIfChanged(seedDir, DEMO_FILE, known, report);
	if (report.loaded.length > 0) log.info('seed loaded', { files: report.loaded.join(', ') });
	return report;
}

/** What `npm run seed -- --demo off` would remove, to show before asking. */
export async function demoImpact(): Promise<directory.DemoImpact> {
	return directory.demoImpact();
}

/**
 * The explicit change of the demo choice (`npm run seed -- --demo on|off`), recorded with `setBy`.
 * On: records it and loads the demo set. Off: records it and removes the demo set with everything
 * attached to it, in one transaction (audited), and returns what went.
 */
export async function chooseDemo(options: { dbAssetsDir: string; on: boolean; setBy: string }): Promise<{ report: SeedReport; removed: directory.DemoImpact | null }> {
	const seedDir = path.join(options.dbAssetsDir, 'seed');
	if (options.on) {
		await seedState.setDemoChoice(true, options.setBy);
		const report: SeedReport = { loaded: [], demo: true, kept: [] };
		await loadIfChanged(seedDir, DEMO_FILE, await seedState.loadedChecksums(), report);
		return { report, removed: null };
	}
	const removed = await sql.begin(async (tx) => {
		const impact = await directory.demoImpact(tx);
		await seedState.setDemoChoice(false, options.setBy, tx);
		await directory.removeDemo(tx);
		await seedState.forget(DEMO_FILE, tx);
		await audit.record({ action: 'directory.demo_removed', subjectType: 'organization', detail: { ...impact, by: options.setBy } }, tx);
		return impact;
	});
	log.info('demo set removed', { ...removed });
	return { report: { loaded: [], demo: false, kept: [] }, removed };
}
