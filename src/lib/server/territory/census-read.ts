import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import proj4 from 'proj4';
import shp from 'shpjs';

/**
 * Reading ISTAT census sections (sezioni di censimento) from the files ISTAT publishes, into plain
 * features with WGS84 coordinates. Checking them is the service's job (census.ts).
 *
 * - "Basi territoriali" shapefiles (.shp + .dbf + .prj, or the same zipped), in EPSG:32632 (WGS 84
 *   / UTM 32N): attributes SEZ21_ID (2021) or SEZ2011 / SEZ (earlier), PRO_COM (the comune's ISTAT
 *   number) and, in some products, the population; read with shpjs, which reprojects with proj4
 *   when the .prj is readable.
 * - GeoJSON, e.g. as ogr2ogr writes a projected layer (with a `crs` member naming EPSG:32632).
 * - Census variables as a separate table (CSV, `;` or `,`), e.g. `SEZ21_ID;P1;…` where P1 is the
 *   total resident population, joined on the section code.
 * Coordinates still outside longitude/latitude range after reading (a shapefile without .prj, a
 * projected GeoJSON) are reprojected from `crs` (default ISTAT's EPSG:32632).
 */

export class CensusFileError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CensusFileError';
	}
}

proj4.defs('EPSG:32632', '+proj=utm +zone=32 +datum=WGS84 +units=m +no_defs');
// ED50 / UTM 32N: ISTAT's older bases territoriali were also published in it.
proj4.defs('EPSG:23032', '+proj=utm +zone=32 +ellps=intl +towgs84=-87,-98,-121,0,0,0,0 +units=m +no_defs');

/** Largest input read into memory: a region's sections (Lombardy 2021: ~50,000) fit comfortably. */
export const MAX_FILE_BYTES = 400 * 1024 * 1024;

export interface ReadSections {
	features: Feature[];
	/**
	 * Where the coordinates came from: `wgs84` (already), `prj` (reprojected by shpjs as the
	 * shapefile's .prj says), or the CRS they were reprojected from.
	 */
	crs: string;
}

function readBytes(file: string): Buffer {
	if (!fs.existsSync(file)) throw new CensusFileError(`${file}: no such file.`);
	const size = fs.statSync(file).size;
	if (size > MAX_FILE_BYTES) throw new CensusFileError(`${file}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; cut it to your region first.`);
	return fs.readFileSync(file);
}

function sibling(file: string, extension: string): Buffer | undefined {
	const base = file.slice(0, -path.extname(file).length);
	for (const candidate of [`${base}.${extension}`, `${base}.${extension.toUpperCase()}`]) {
		if (fs.existsSync(candidate)) return fs.readFileSync(candidate);
	}
	return undefined;
}

function isLonLat(features: Feature[]): boolean {
	for (const f of features) {
		for (const [x, y] of positions(f.geometry)) if (Math.abs(x!) > 180 || Math.abs(y!) > 90) return false;
	}
	return true;
}

function positions(geometry: Geometry | null): number[][] {
	if (!geometry) return [];
	if (geometry.type === 'Polygon') return geometry.coordinates.flat();
	if (geometry.type === 'MultiPolygon') return geometry.coordinates.flat(2);
	return [];
}

function reproject(features: Feature[], from: string): Feature[] {
	let transform: proj4.Converter;
	try {
		transform = proj4(from, 'EPSG:4326');
	} catch {
		throw new CensusFileError(`Unknown coordinate reference system "${from}": give --crs EPSG:32632 (ISTAT's) or a proj4 string.`);
	}
	const ring = (r: number[][]) => r.map((p) => transform.forward([p[0]!, p[1]!]));
	return features.map((f) => {
		const g = f.geometry;
		if (g?.type === 'Polygon') return { ...f, geometry: { type: 'Polygon', coordinates: g.coordinates.map(ring) } };
		if (g?.type === 'MultiPolygon') return { ...f, geometry: { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(ring)) } };
		return f;
	});
}

/** The CRS a GeoJSON's (pre-RFC 7946) `crs` member names, as "EPSG:n", or null. */
function geojsonCrs(data: { crs?: { properties?: { name?: unknown } } }): string | null {
	const name = data.crs?.properties?.name;
	if (typeof name !== 'string') return null;
	const code = /EPSG:+(\d+)$/i.exec(name)?.[1];
	if (code) return code === '4326' || code === '4258' ? null : `EPSG:${code}`;
	if (/CRS84$/i.test(name)) return null;
	return name;
}

/** Reads a .shp (with its .dbf/.prj/.cpg beside it), a .zip of those, or a .geojson/.json. */
export async function readSectionsFile(file: string, crs = 'EPSG:32632'): Promise<ReadSections> {
	const extension = path.extname(file).toLowerCase();
	let features: Feature[];
	let declared: string | null = null;
	let hasPrj = false;
	if (extension === '.geojson' || extension === '.json') {
		let data: FeatureCollection & { crs?: { properties?: { name?: unknown } } };
		try {
			data = JSON.parse(readBytes(file).toString('utf8'));
		} catch {
			throw new CensusFileError(`${file}: not valid JSON.`);
		}
		if (data?.type !== 'FeatureCollection' || !Array.isArray(data.features)) throw new CensusFileError(`${file}: not a GeoJSON FeatureCollection.`);
		features = data.features;
		declared = geojsonCrs(data);
	} else if (extension === '.shp' || extension === '.zip') {
		let parsed: FeatureCollection | FeatureCollection[];
		try {
			if (extension === '.zip') {
				parsed = await shp(readBytes(file));
				// ISTAT's zips carry their .prj; shpjs has used it when the coordinates are degrees now.
				hasPrj = true;
			} else {
				const dbf = sibling(file, 'dbf');
				hasPrj = sibling(file, 'prj') !== undefined;
				if (!dbf) throw new CensusFileError(`${file}: its .dbf (the sections' attributes) is missing beside it.`);
				parsed = await shp({ shp: readBytes(file), dbf, prj: sibling(file, 'prj')?.toString('utf8'), cpg: sibling(file, 'cpg') });
			}
		} catch (error) {
			if (error instanceof CensusFileError) throw error;
			throw new CensusFileError(`${file}: not a readable shapefile (${(error as Error).message}).`);
		}
		if (Array.isArray(parsed)) {
			if (parsed.length !== 1) throw new CensusFileError(`${file}: the zip holds ${parsed.length} layers; keep only the sections' shapefile.`);
			parsed = parsed[0]!;
		}
		features = parsed.features;
	} else {
		throw new CensusFileError(`${file}: expected a .shp, a .zip of a shapefile, or a .geojson.`);
	}
	if (isLonLat(features) && !declared) return { features, crs: hasPrj ? 'prj' : 'wgs84' };
	const from = declared ?? crs;
	return { features: reproject(features, from), crs: from };
}

/** A census variables table: code → value of `valueField`, for every row. */
export function readCensusTable(file: string, codeField: string, valueField: string): Map<string, string> {
	let text = readBytes(file).toString('utf8');
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
	const delimiter = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
	let rows: Record<string, string>[];
	try {
		rows = parseCsv(text, { columns: true, delimiter, skip_empty_lines: true, trim: true });
	} catch (error) {
		throw new CensusFileError(`${file}: not a readable CSV (${(error as Error).message}).`);
	}
	const header = rows[0] ? Object.keys(rows[0]) : [];
	const find = (field: string) => header.find((h) => h.toUpperCase() === field.toUpperCase());
	const code = find(codeField);
	const value = find(valueField);
	if (!code || !value) throw new CensusFileError(`${file}: needs columns ${codeField} and ${valueField}; it has ${header.join(', ') || 'none'}.`);
	const table = new Map<string, string>();
	for (const row of rows) table.set(normaliseCode(row[code]), String(row[value] ?? ''));
	return table;
}

/**
 * A section code as text: numbers without exponent or decimals, text trimmed, and an all-digit code
 * without leading zeros — the shapefile stores SEZ21_ID as a number, the CSV as text, and either may
 * pad it, so "097042000001" and 97042000001 are one section.
 */
export function normaliseCode(value: unknown): string {
	let text = '';
	if (typeof value === 'number') text = Number.isFinite(value) ? (Number.isSafeInteger(value) ? String(value) : value.toFixed(0)) : '';
	else if (typeof value === 'string') text = value.trim();
	return /^\d+$/.test(text) ? text.replace(/^0+(?=\d)/, '') : text;
}
