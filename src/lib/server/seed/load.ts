import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import type { FeatureCollection, Point } from 'geojson';
import { log } from '../log';
import * as directory from '../db/directory';
import * as places from '../db/places';
import * as seedState from '../db/seed-state';
import { directoryBundle } from './bundle';

/**
 * Loads the committed seed files (`db/seed/…`, built from ../shared/data/lecco by
 * `npm run seed:build` and `npm run demo:build`) into the database. Each file is loaded when the
 * database has never seen it or its content changed, so start-up is idempotent and cheap.
 */

export interface SeedReport {
	loaded: string[];
	demoRemoved: number;
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

type Loader = (file: SeedFile) => Promise<void>;

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
			const collection = JSON.parse(file.text) as FeatureCollection;
			await places.replaceNeighbourhoods(
				collection.features.map((f) => ({
					name: String(f.properties?.name),
					derived: f.properties?.derived !== false,
					source: String(f.properties?.source),
					label: f.properties?.label as [number, number] | undefined,
					geometry: f.geometry
				}))
			);
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
		match: /\.directory\.json$/,
		load: async (file) => {
			const parsed = directoryBundle.safeParse(JSON.parse(file.text));
			if (!parsed.success) throw new Error(`${file.name} is not a valid directory bundle: ${parsed.error.message}`);
			await directory.syncBundle(parsed.data);
		}
	}
];

// Order matters: sources before what cites them, rioni before the locations placed in them.
const LECCO_ORDER = ['sources.json', 'areas.geojson', 'rioni.geojson', 'places.geojson', 'streets.csv'];
const DEMO_FILE = 'demo/demo.directory.json';

function leccoFiles(seedDir: string): string[] {
	const folder = path.join(seedDir, 'lecco');
	const bundles = fs
		.readdirSync(folder)
		.filter((name) => name.endsWith('.directory.json'))
		.sort();
	return [...LECCO_ORDER, ...bundles].map((name) => `lecco/${name}`);
}

async function loadIfChanged(seedDir: string, name: string, known: Map<string, string>, loaded: string[]): Promise<void> {
	const file = read(seedDir, name);
	if (known.get(name) === file.checksum) return;
	const loader = loaders.find((l) => l.match.test(name));
	if (!loader) throw new Error(`No loader for seed file ${name}`);
	await loader.load(file);
	await seedState.markLoaded(name, file.checksum);
	loaded.push(name);
}

/** Loads what changed among the Lecco seed files, and adds or removes the demo set. */
export async function seed(options: { dbAssetsDir: string; demo: boolean }): Promise<SeedReport> {
	const seedDir = path.join(options.dbAssetsDir, 'seed');
	const known = await seedState.loadedChecksums();
	const loaded: string[] = [];
	for (const name of leccoFiles(seedDir)) await loadIfChanged(seedDir, name, known, loaded);
	let demoRemoved = 0;
	if (options.demo) {
		await loadIfChanged(seedDir, DEMO_FILE, known, loaded);
	} else if (known.has(DEMO_FILE) || (await directory.countOrganizations()).demo > 0) {
		demoRemoved = await directory.removeDemo();
		await seedState.forget(DEMO_FILE);
	}
	if (loaded.length > 0) log.info('seed loaded', { files: loaded.join(', ') });
	if (demoRemoved > 0) log.info('demo records removed (ATLANTE_DEMO=0)', { organizations: demoRemoved });
	return { loaded, demoRemoved };
}
