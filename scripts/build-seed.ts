// `npm run seed:build` (or `npx tsx scripts/build-seed.ts`): builds the committed Lecco seed files
// in db/seed/lecco/ (plus db/seed/ATTRIBUTION.md) from the real open data in ../shared/data/lecco
// (override with LECCO_DATA_DIR; read its SOURCES.md for licences and caveats). Needs no database.
//
// It writes: sources.json, areas.geojson (Lecco from ISTAT 2026, the rest of the province from
// Openpolis), rioni.geojson (approximate neighbourhoods: Voronoi cells of the seed points in
// db/seed/lecco/rioni-seeds.csv clipped to the ISTAT outline), places.geojson (GeoNames gazetteer
// plus rione labels), streets.csv (ANNCSU street names), lake.geojson (Natural Earth context) and
// four directory bundles (schools, pharmacies, hospitals, parishes) checked against the bundle schema,
// population.csv (residents per rione, names checked against the rioni), ages.csv (ISTAT single
// years) and transit-stops.geojson (Linee Lecco bus stops and Trenord stations).
//
// The output is deterministic: same input, byte-identical files (features sorted, coordinates
// rounded to 6 decimals, fixed key order). Every polygon is checked with the app's own checkArea
// (@turf/boolean-valid plus @turf/kinks) and the script fails rather than write an invalid one.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { booleanValid } from '@turf/boolean-valid';
import { featureCollection, point } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { pointOnFeature } from '@turf/point-on-feature';
import { voronoi } from '@turf/voronoi';
import { z } from 'zod';
import { checkArea } from '../src/lib/domain/geometry';
import type { AudienceCode, NeedCode } from '../src/lib/domain/taxonomy';
import { bundlePhone, directoryBundle, type BundleOrganization, type DirectoryBundle } from '../src/lib/server/seed/bundle';
import { titleCase } from './lib/text';

const DATA_DIR = process.env.LECCO_DATA_DIR ?? path.resolve('../shared/data/lecco');
const SEED_DIR = path.resolve(import.meta.dirname, '../db/seed');
const OUT_DIR = path.join(SEED_DIR, 'lecco');

const LECCO_ISTAT = '097042';
const REGIONE_SNAPSHOT = '2026-02-15';
const GEONAMES_SNAPSHOT = '2015-12-01';

// ---------------------------------------------------------------------------------------------
// Sources

interface Source {
	id: string;
	name: string;
	licence: string;
	url: string | null;
	attribution: string;
}

const REGIONE_LICENCE = 'Dati aperti Regione Lombardia (IODL 2.0 / CC BY 4.0: da confermare sul portale)';

const SOURCES: Source[] = [
	{
		id: 'istat-confini-2026',
		name: 'ISTAT — Confini delle unità amministrative a fini statistici al 1° gennaio 2026 (non generalizzati)',
		licence: 'CC BY 4.0',
		url: 'https://www.istat.it/storage/cartografia/confini_amministrativi/non_generalizzati/2026/Limiti01012026.zip',
		attribution: 'Confini © ISTAT (CC BY 4.0): Istat, Confini delle unità amministrative a fini statistici al 1° gennaio 2026'
	},
	{
		id: 'openpolis-comuni',
		name: 'Openpolis — confini dei comuni della provincia di Lecco (geojson-italy)',
		licence: 'CC BY 4.0',
		url: 'https://github.com/openpolis/geojson-italy',
		attribution: '© Openpolis (CC BY 4.0), dati derivati da ISTAT'
	},
	{
		id: 'geonames',
		name: 'GeoNames — luoghi (dump Italia, dicembre 2015)',
		licence: 'CC BY 4.0',
		url: 'https://www.geonames.org/',
		attribution: 'Luoghi © GeoNames (CC BY 4.0)'
	},
	{
		id: 'anncsu',
		name: 'ANNCSU — Archivio Nazionale dei Numeri Civici e delle Strade Urbane (Agenzia delle Entrate–ISTAT)',
		licence: 'CC BY 4.0',
		url: 'https://www.anncsu.gov.it/',
		attribution: 'Odonimi ANNCSU (Agenzia delle Entrate–ISTAT)'
	},
	{
		id: 'naturalearth',
		name: 'Natural Earth 1:10m — laghi e fiumi',
		licence: 'Public domain',
		url: 'https://www.naturalearthdata.com/',
		attribution: 'Natural Earth'
	},
	{
		id: 'atlante-rioni-derived',
		name: 'Rioni di Lecco — confini approssimati (Atlante di comunità)',
		licence: 'CC BY 4.0',
		url: null,
		attribution:
			'Rioni approssimati (non ufficiali), derivati dal confine comunale ISTAT 2026 e da punti-seme dei rioni / ' +
			'Approximate rioni (not official), derived from the ISTAT 2026 outline and rione seed points — Atlante di comunità'
	},
	{
		id: 'comune-lecco-anagrafe-2024',
		name: 'Comune di Lecco — residenti per rione al 31/12/2024 (anagrafe comunale, come pubblicato da LeccoNotizie, gennaio 2025)',
		licence: 'Dati fattuali (cifre), con attribuzione',
		url: 'https://lecconotizie.com/societa/lecco-societa/lecco-cresce-di-poco-la-popolazione-residente-i-dati-del-2024/',
		attribution: 'Comune di Lecco, anagrafe, 31/12/2024'
	},
	{
		id: 'istat-posas-2025',
		name: 'ISTAT — Popolazione residente per età, sesso e stato civile al 1° gennaio 2025 (POSAS), Lecco',
		licence: 'CC BY 4.0',
		url: 'https://demo.istat.it/',
		attribution: 'Fonte: Istat, popolazione residente al 1° gennaio 2025'
	},
	{
		id: 'lineelecco-gtfs-2025-26',
		name: 'GTFS invernale 2025-2026 Linee Lecco (Agenzia per il TPL del bacino di Como, Lecco e Varese), fermate in Lecco',
		licence: 'Nessuna licenza dichiarata: dato pubblico aperto per default (art. 52 c.2 CAD); da confermare prima di un rilascio pubblico',
		url: 'https://lineelecco.it/',
		attribution: 'Fermate © Agenzia TPL Como, Lecco e Varese – Linee Lecco'
	},
	{
		id: 'trenord-gtfs',
		name: 'Trenord GTFS — stazioni di Lecco e Lecco Maggianico (Regione Lombardia open data, dataset 3z4k-mxz9)',
		licence: 'CC BY 4.0',
		url: 'https://www.dati.lombardia.it/',
		attribution: 'Stazioni © Trenord / Regione Lombardia (CC BY 4.0)'
	}
];

const BUNDLE_SOURCES = {
	scuole: {
		id: 'regione-lombardia-scuole',
		name: 'Regione Lombardia — Anagrafe delle scuole statali, CPIA e centri di formazione professionale (15/02/2026)',
		licence: REGIONE_LICENCE,
		url: 'https://www.dati.lombardia.it/',
		attribution: 'Scuole © Regione Lombardia'
	},
	farmacie: {
		id: 'regione-lombardia-farmacie',
		name: 'Regione Lombardia — Elenco completo farmacie (15/02/2026)',
		licence: REGIONE_LICENCE,
		url: 'https://www.dati.lombardia.it/',
		attribution: 'Farmacie © Regione Lombardia'
	},
	strutture: {
		id: 'regione-lombardia-strutture',
		name: 'Regione Lombardia — Georeferenziazione strutture di ricovero (15/02/2026)',
		licence: REGIONE_LICENCE,
		url: 'https://www.dati.lombardia.it/',
		attribution: 'Strutture sanitarie © Regione Lombardia'
	},
	parrocchie: {
		id: 'geonames-parrocchie',
		name: 'GeoNames — chiese e parrocchie di Lecco (dump Italia, dicembre 2015)',
		licence: 'CC BY 4.0',
		url: 'https://www.geonames.org/',
		attribution: 'Luoghi © GeoNames (CC BY 4.0)'
	}
} satisfies Record<string, Source>;

// ---------------------------------------------------------------------------------------------
// Small helpers: reading, rounding, writing

function readJson<T>(relative: string): T {
	return JSON.parse(fs.readFileSync(path.join(DATA_DIR, relative), 'utf8')) as T;
}

function round6(value: number): number {
	const rounded = Math.round(value * 1e6) / 1e6;
	return Object.is(rounded, -0) ? 0 : rounded;
}

function roundPosition(position: Position): Position {
	return [round6(position[0]!), round6(position[1]!)];
}

/** Rounds a ring and drops the consecutive duplicates that rounding (or the source) can leave. */
function roundRing(ring: Position[]): Position[] {
	const out: Position[] = [];
	for (const position of ring.map(roundPosition)) {
		const last = out[out.length - 1];
		if (!last || last[0] !== position[0] || last[1] !== position[1]) out.push(position);
	}
	const first = out[0]!;
	const last = out[out.length - 1]!;
	if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0]!, first[1]!]);
	return out;
}

function toMultiPolygon(geometry: Polygon | MultiPolygon): MultiPolygon {
	const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
	return {
		type: 'MultiPolygon',
		// Rounding can collapse a tiny ring to a line: drop rings with fewer than 4 positions.
		coordinates: polygons
			.map((rings) => rings.map(roundRing).filter((ring) => ring.length >= 4))
			.filter((rings) => rings.length > 0)
	};
}

/** Throws unless the polygon passes the same checks the app applies before writing to PostGIS. */
function assertValidArea(geometry: MultiPolygon, what: string): void {
	const checked = checkArea(geometry);
	if (!checked.ok) throw new Error(`${what}: ${checked.error}`);
}

/** One feature per line: diffs stay readable and the file stays small. */
function geojsonText(features: Feature[]): string {
	const lines = features.map((f) => JSON.stringify(f));
	return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
}

const written: { file: string; count: string }[] = [];

function writeOut(relative: string, text: string, count: string): void {
	const file = path.join(SEED_DIR, relative);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, text);
	written.push({ file: path.relative(path.resolve(SEED_DIR, '..', '..'), file), count });
}

function csvField(value: string): string {
	return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvText(header: string[], rows: string[][]): string {
	return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

/** Spherical area in km² (Chamberlain–Duquette, as @turf/area), additive across rings and polygons. */
function areaKm2(geometry: Polygon | MultiPolygon): number {
	const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
	const radius = 6378137;
	const rad = (degrees: number): number => (degrees * Math.PI) / 180;
	const ringArea = (ring: Position[]): number => {
		let sum = 0;
		for (let i = 0; i + 1 < ring.length; i++) {
			const [lon1, lat1] = ring[i]!;
			const [lon2, lat2] = ring[i + 1]!;
			sum += rad(lon2! - lon1!) * (2 + Math.sin(rad(lat1!)) + Math.sin(rad(lat2!)));
		}
		return (Math.abs(sum) * radius * radius) / 2;
	};
	let total = 0;
	for (const rings of polygons) {
		rings.forEach((ring, index) => (total += index === 0 ? ringArea(ring) : -ringArea(ring)));
	}
	return total / 1e6;
}

function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Text tidying for registry records (mostly written in capitals)

/** The second registry's mojibake: "à" went through latin-1 twice and lost its 0xA0 byte. */
function repairMojibake(text: string): string {
	return text.replace(/\u00c3\u0083/g, 'à');
}

function clean(text: string | null | undefined): string {
	return repairMojibake(text ?? '')
		.replace(/\s+/g, ' ')
		.trim();
}

/** Written in capitals, ignoring house numbers such as "28/a". */
function isAllCaps(text: string): boolean {
	const words = text.split(' ').filter((word) => !/^[0-9]/.test(word));
	return words.some((word) => /[A-Z]/.test(word)) && !words.some((word) => /[a-z]/.test(word));
}

/** Title-cases what the registry wrote in capitals; leaves mixed-case text as it is. */
function tidyAddress(raw: string | null, comune: string): string | undefined {
	const text = clean(raw);
	// Some records carry only the comune's name where the street should be.
	if (!text || text.toLowerCase() === comune.toLowerCase()) return undefined;
	return isAllCaps(text) ? titleCase(text) : text;
}

/** Registry names in capitals: "L.TALAMONI-LECCO" → "L. Talamoni - Lecco", "SNC SNC" → "Snc". */
function tidyCompanyName(raw: string): string {
	const spaced = clean(raw)
		.replace(/\b([A-Z])\.(?=[A-Z]{2,})/g, '$1. ')
		.replace(/(\S)-(LECCO)$/, '$1 - $2');
	const words = spaced.split(' ').filter((word, i, all) => i === 0 || word.toLowerCase() !== all[i - 1]!.toLowerCase());
	return titleCase(words.join(' '));
}

function tidyComune(raw: string): string {
	return titleCase(clean(raw));
}

/** School names: keep the words; title-case only all-lower/all-upper ones, capitalise each " - " part. */
function tidySchoolName(raw: string): string {
	const text = clean(raw);
	const cased = text === text.toLowerCase() || isAllCaps(text) ? titleCase(text) : text;
	return cased
		.split(' - ')
		.map((part) => part.charAt(0).toUpperCase() + part.slice(1))
		.join(' - ');
}

function postalCode(raw: string | null): string | undefined {
	const text = clean(raw);
	return /^[0-9]{5}$/.test(text) ? text : undefined;
}

/**
 * Phone numbers as the registries wrote them: several in one field ("0341580359 - 0341202057"),
 * stray dashes, and Lecco numbers that lost their leading 0 in a spreadsheet ("341361526").
 */
function phones(raw: string | null): z.infer<typeof bundlePhone>[] {
	const numbers = clean(raw)
		.split(/\s+-\s*|\s*-\s+/)
		.map((part) => part.replace(/^[^0-9+]+|[^0-9]+$/g, ''))
		.map((part) => (/^341[0-9]{6}$/.test(part) ? `0${part}` : part))
		.filter((part) => bundlePhone.shape.number.safeParse(part).success);
	return [...new Set(numbers)].map((number) => ({ number }));
}

const emailSchema = z.email();

/** The first valid address; the registry sometimes joins two with a dash ("a@x.it-b@y.it"). */
function email(raw: string | null): string | undefined {
	const parts = clean(raw).split(/-(?=[^@\s-]+@)/);
	return parts.map((part) => part.trim()).find((part) => emailSchema.safeParse(part).success);
}

// ---------------------------------------------------------------------------------------------
// Administrative areas

interface IstatProps {
	code: string;
	name: string;
}
interface OpenpolisProps {
	name: string;
	com_istat_code: string;
}

function readLeccoOutline(): Feature<Polygon | MultiPolygon, IstatProps> {
	const file = readJson<FeatureCollection<Polygon | MultiPolygon, IstatProps>>('boundaries/lecco_comune_istat2026.geojson');
	const lecco = file.features.find((f) => f.properties.code === LECCO_ISTAT);
	if (!lecco || file.features.length !== 1) throw new Error('expected exactly one ISTAT feature for Lecco (097042)');
	if (!booleanValid(lecco.geometry)) console.warn('  ! the ISTAT outline of Lecco is not valid as published (booleanValid)');
	return lecco;
}

function areaFeature(geometry: Polygon | MultiPolygon, istatCode: string, name: string, served: boolean, source: string): Feature<MultiPolygon> {
	const code = istatCode.padStart(6, '0');
	if (!/^[0-9]{6}$/.test(code)) throw new Error(`bad ISTAT code "${istatCode}" for ${name}`);
	const multi = toMultiPolygon(geometry);
	if (!booleanValid(geometry)) console.warn(`  ! ${name}: source geometry not valid (booleanValid); checking the rounded one`);
	assertValidArea(multi, `area ${name} (${code})`);
	return { type: 'Feature', properties: { istat_code: code, name, served, source }, geometry: multi };
}

function buildAreas(outline: Feature<Polygon | MultiPolygon, IstatProps>, leccoGeometry: MultiPolygon): Feature<MultiPolygon>[] {
	const openpolis = readJson<FeatureCollection<Polygon | MultiPolygon, OpenpolisProps>>(
		'boundaries/provincia_lecco_comuni_openpolis.geojson'
	);
	const neighbours = openpolis.features
		// Lecco itself comes from the finer ISTAT 2026 outline, not Openpolis' simplified one.
		.filter((f) => f.properties.com_istat_code.padStart(6, '0') !== LECCO_ISTAT)
		.map((f) => areaFeature(f.geometry, f.properties.com_istat_code, f.properties.name, false, 'openpolis-comuni'));
	const lecco = areaFeature(leccoGeometry, outline.properties.code, outline.properties.name, true, 'istat-confini-2026');
	return [lecco, ...neighbours].sort((a, b) => compareText(a.properties!.istat_code, b.properties!.istat_code));
}

// ---------------------------------------------------------------------------------------------
// Rioni: Voronoi cells of seed points, clipped to the ISTAT outline

interface RioneSeed {
	name: string;
	lon: number;
	lat: number;
	evidence: string;
}

interface Rione {
	name: string;
	geometry: MultiPolygon;
	label: [number, number];
}

function readRioneSeeds(): RioneSeed[] {
	const rows = parseCsv(fs.readFileSync(path.join(OUT_DIR, 'rioni-seeds.csv'), 'utf8'), {
		columns: true,
		skip_empty_lines: true,
		trim: true
	}) as Record<string, string>[];
	const seeds = rows.map((row) => ({
		name: row.name ?? '',
		lon: Number(row.lon),
		lat: Number(row.lat),
		evidence: row.evidence ?? ''
	}));
	const names = new Set<string>();
	for (const seed of seeds) {
		if (!seed.name || !Number.isFinite(seed.lon) || !Number.isFinite(seed.lat) || !seed.evidence) {
			throw new Error(`rioni-seeds.csv: incomplete row for "${seed.name}"`);
		}
		if (names.has(seed.name)) throw new Error(`rioni-seeds.csv: "${seed.name}" appears twice`);
		names.add(seed.name);
	}
	return seeds.sort((a, b) => compareText(a.name, b.name));
}

function asFeature(geometry: Polygon | MultiPolygon): Feature<Polygon | MultiPolygon> {
	return { type: 'Feature', properties: {}, geometry };
}

function bbox(geometry: Polygon | MultiPolygon): [number, number, number, number] {
	const positions = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates).flat(2);
	const xs = positions.map((p) => p[0]!);
	const ys = positions.map((p) => p[1]!);
	return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/**
 * Voronoi in lon/lat degrees would favour east–west neighbours (a degree of longitude is ~30%
 * shorter than one of latitude here), so the cells are computed with longitudes scaled by
 * cos(latitude) — a local equirectangular projection — and scaled back.
 */
function voronoiCells(seeds: RioneSeed[], outline: MultiPolygon): Polygon[] {
	const [minLon, minLat, maxLon, maxLat] = bbox(outline);
	const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
	const pad = 0.02;
	const points = featureCollection(seeds.map((s) => point([s.lon * k, s.lat])));
	const cells = voronoi(points, { bbox: [(minLon - pad) * k, minLat - pad, (maxLon + pad) * k, maxLat + pad] });
	return seeds.map((seed, index) => {
		const cell = cells.features[index];
		if (!cell?.geometry) throw new Error(`no Voronoi cell for ${seed.name} (duplicate seed point?)`);
		return {
			type: 'Polygon',
			coordinates: cell.geometry.coordinates.map((ring) => ring.map(([x, y]) => roundPosition([x! / k, y!])))
		};
	});
}

function labelFor(seed: RioneSeed, geometry: MultiPolygon): [number, number] {
	const at = point([seed.lon, seed.lat]);
	if (booleanPointInPolygon(at, geometry)) return [seed.lon, seed.lat];
	console.warn(`  ! seed of ${seed.name} is outside its clipped cell: label from pointOnFeature`);
	const inside = pointOnFeature(geometry).geometry.coordinates;
	return [round6(inside[0]!), round6(inside[1]!)];
}

const positionKey = (p: Position): string => `${p[0]},${p[1]}`;

function planarDistance(p: Position, q: Position): number {
	return Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!);
}

/** Where along segment a→b the point p projects (0 at a, 1 at b), and how far it is from it. */
function projectOnSegment(p: Position, a: Position, b: Position): { t: number; distance: number } {
	const dx = b[0]! - a[0]!;
	const dy = b[1]! - a[1]!;
	const length2 = dx * dx + dy * dy;
	const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0]! - a[0]!) * dx + (p[1]! - a[1]!) * dy) / length2));
	return { t, distance: planarDistance(p, [a[0]! + t * dx, a[1]! + t * dy]) };
}

/**
 * Where a Voronoi edge crosses the outline, the clip creates a vertex that rounding to 6 decimals
 * moves off the outline by up to ~0.1 m, which would leave slivers between the rioni and the
 * outline. Inserting those rounded vertices into the outline (a change of at most ~0.1 m) makes the
 * rioni tile it exactly; both neighbouring cells share the same crossing, so they agree too.
 */
function densifyOutline(outline: MultiPolygon, crossings: Position[]): MultiPolygon {
	const known = new Set(outline.coordinates.flat(2).map(positionKey));
	const inserts = new Map<string, { t: number; at: Position }[]>();
	for (const crossing of crossings) {
		const rounded = roundPosition(crossing);
		if (known.has(positionKey(rounded))) continue;
		known.add(positionKey(rounded));
		let best = { segment: '', t: 0, distance: Infinity };
		outline.coordinates.forEach((rings, pi) =>
			rings.forEach((ring, ri) =>
				ring.slice(1).forEach((end, si) => {
					const { t, distance } = projectOnSegment(crossing, ring[si]!, end);
					if (distance < best.distance) best = { segment: `${pi}/${ri}/${si}`, t, distance };
				})
			)
		);
		if (best.distance > 1e-7) throw new Error(`clip vertex ${positionKey(crossing)} is not on the outline`);
		inserts.set(best.segment, [...(inserts.get(best.segment) ?? []), { t: best.t, at: rounded }]);
	}
	return toMultiPolygon({
		type: 'MultiPolygon',
		coordinates: outline.coordinates.map((rings, pi) =>
			rings.map((ring, ri) =>
				ring.flatMap((position, si) => {
					const extra = (inserts.get(`${pi}/${ri}/${si}`) ?? []).sort((a, b) => a.t - b.t).map((e) => e.at);
					return si + 1 < ring.length ? [position, ...extra] : [position];
				})
			)
		)
	});
}

interface RioniResult {
	rioni: Rione[];
	/** The outline with the rioni's clip vertices inserted: what areas.geojson stores for Lecco. */
	outline: MultiPolygon;
}

function buildRioni(outlineFeature: Feature<Polygon | MultiPolygon, IstatProps>): RioniResult {
	const outline = toMultiPolygon(outlineFeature.geometry);
	const seeds = readRioneSeeds();
	for (const seed of seeds) {
		if (!booleanPointInPolygon(point([seed.lon, seed.lat]), outline)) {
			throw new Error(`seed of ${seed.name} (${seed.lon}, ${seed.lat}) is outside the ISTAT outline of Lecco`);
		}
	}
	const cells = voronoiCells(seeds, outline);
	// Cells and outline are already rounded, so their own vertices come out of the clip unchanged.
	const inputVertices = new Set([...outline.coordinates.flat(2), ...cells.flatMap((c) => c.coordinates.flat(1))].map(positionKey));
	const crossings: Position[] = [];
	const rioni = seeds.map((seed, index) => {
		const clipped = intersect(featureCollection([asFeature(cells[index]!), asFeature(outline)]));
		if (!clipped) throw new Error(`the cell of ${seed.name} does not meet the outline`);
		const raw = clipped.geometry.type === 'Polygon' ? [clipped.geometry.coordinates] : clipped.geometry.coordinates;
		crossings.push(...raw.flat(2).filter((p) => !inputVertices.has(positionKey(p))));
		const geometry = toMultiPolygon(clipped.geometry);
		assertValidArea(geometry, `rione ${seed.name}`);
		return { name: seed.name, geometry, label: labelFor(seed, geometry) };
	});
	const densified = densifyOutline(outline, crossings);
	const added = densified.coordinates.flat(2).length - outline.coordinates.flat(2).length;
	console.log(`  ${seeds.length} rioni; ${added} clip vertices inserted into the outline (each within ~0.1 m of it)`);
	assertValidArea(densified, 'densified outline of Lecco');
	return { rioni, outline: densified };
}

/**
 * No two rioni may overlap, and together they must cover the outline: checked by area and by a
 * grid of sample points (each inside the outline must fall in exactly one rione).
 */
function checkRioniPartition(rioni: Rione[], outline: MultiPolygon): void {
	let overlapKm2 = 0;
	for (let i = 0; i < rioni.length; i++) {
		for (let j = i + 1; j < rioni.length; j++) {
			const shared = intersect(featureCollection([asFeature(rioni[i]!.geometry), asFeature(rioni[j]!.geometry)]));
			if (shared) overlapKm2 += areaKm2(shared.geometry);
		}
	}
	const sum = rioni.reduce((total, r) => total + areaKm2(r.geometry), 0);
	const whole = areaKm2(outline);
	const [minLon, minLat, maxLon, maxLat] = bbox(outline);
	const steps = 120;
	let samples = 0;
	for (let i = 0; i < steps; i++) {
		for (let j = 0; j < steps; j++) {
			const at = point([minLon + ((i + 0.5) * (maxLon - minLon)) / steps, minLat + ((j + 0.5) * (maxLat - minLat)) / steps]);
			if (!booleanPointInPolygon(at, outline, { ignoreBoundary: true })) continue;
			samples += 1;
			const hits = rioni.filter((r) => booleanPointInPolygon(at, r.geometry, { ignoreBoundary: true })).length;
			if (hits !== 1) throw new Error(`sample point ${at.geometry.coordinates.join(', ')} lies in ${hits} rioni`);
		}
	}
	console.log(
		`  partition: outline ${whole.toFixed(4)} km², sum of rioni ${sum.toFixed(4)} km² ` +
			`(difference ${(Math.abs(sum - whole) * 1e6).toFixed(3)} m²), overlaps ${(overlapKm2 * 1e6).toFixed(3)} m², ` +
			`${samples} sample points each in exactly one rione`
	);
	// The outline holds the rioni's clip vertices, so both should be zero up to float noise.
	if (overlapKm2 * 1e6 > 0.01) throw new Error(`rioni overlap by ${(overlapKm2 * 1e6).toFixed(3)} m²`);
	if (Math.abs(sum - whole) * 1e6 > 0.01) throw new Error(`rioni do not cover the outline (${sum} vs ${whole} km²)`);
}

function rioneOf(rioni: Rione[], lon: number, lat: number): string | null {
	return rioni.find((r) => booleanPointInPolygon(point([lon, lat]), r.geometry))?.name ?? null;
}

// Records whose text names a rione but whose registry position is known to be off (SOURCES.md).
const KNOWN_MISPLACED: Record<string, string> = {
	LC0117: 'Farmacia "Pescarenico": SOURCES.md notes the registry places it on Corso Martiri, east of the station'
};

/** The names as they appear in registry text (locality, address, pharmacy name). */
function rioneMentions(rione: string): RegExp {
	const variants: Record<string, string> = {
		'San Giovanni': '(SAN|S\\.) ?GIOVANNI',
		'Santo Stefano': '(SANTO|S\\.) ?STEFANO'
	};
	return new RegExp(`\\b${variants[rione] ?? rione.toUpperCase()}\\b`);
}

interface PointRecord {
	ref: string;
	kind: 'school' | 'pharmacy' | 'hospital';
	text: string;
	lon: number;
	lat: number;
}

/** The features of a layer that lie in Lecco, as records of `kind` described by `text`. */
function pointRecords<P extends { id: string; in_lecco: boolean }>(
	features: FeatureCollection<Point, P>['features'],
	kind: PointRecord['kind'],
	text: (properties: P) => string
): PointRecord[] {
	return features
		.filter((f) => f.properties.in_lecco)
		.map((f) => ({ ref: f.properties.id, kind, text: text(f.properties), lon: f.geometry.coordinates[0]!, lat: f.geometry.coordinates[1]! }));
}

/** Prints each rione's area and what lies in it, and flags records that name another rione. */
function reportRioni(rioni: Rione[], records: PointRecord[]): void {
	const counts = new Map<string, { school: number; pharmacy: number; hospital: number }>();
	for (const r of rioni) counts.set(r.name, { school: 0, pharmacy: 0, hospital: 0 });
	const mismatches: string[] = [];
	for (const record of records) {
		const inside = rioneOf(rioni, record.lon, record.lat);
		if (!inside) continue;
		counts.get(inside)![record.kind] += 1;
		// "Centro" and "Castello" are ordinary words in names and addresses: not evidence.
		for (const r of rioni.filter((r) => r.name !== 'Centro' && r.name !== 'Castello')) {
			if (r.name !== inside && rioneMentions(r.name).test(record.text.toUpperCase())) {
				const known = KNOWN_MISPLACED[record.ref];
				mismatches.push(`${record.ref} names ${r.name} but lies in ${inside}${known ? ` (known: ${known})` : ''}`);
			}
		}
	}
	console.log('  rione            km²   schools pharmacies hospitals');
	for (const r of rioni) {
		const c = counts.get(r.name)!;
		console.log(
			`  ${r.name.padEnd(14)} ${areaKm2(r.geometry).toFixed(2).padStart(6)} ${String(c.school).padStart(8)} ${String(c.pharmacy).padStart(10)} ${String(c.hospital).padStart(9)}`
		);
	}
	for (const m of mismatches) console.log(`  ! ${m}`);
	if (mismatches.length === 0) console.log('  every record that names a rione lies in that rione');
}

function rioneFeature(r: Rione): Feature<MultiPolygon> {
	return {
		type: 'Feature',
		properties: { name: r.name, derived: true, source: 'atlante-rioni-derived', label: r.label },
		geometry: r.geometry
	};
}

// ---------------------------------------------------------------------------------------------
// Gazetteer (GeoNames + rione labels)

interface GeonamesProps {
	geonameid: number;
	name: string;
	feature_class: string;
	feature_code: string;
	in_lecco: boolean;
}

/** The gazetteer kinds the database accepts (place.kind CHECK in db/migrations/0001_init.sql). */
type PlaceKind = 'neighbourhood' | 'locality' | 'square' | 'landmark' | 'station' | 'park' | 'mountain' | 'water';

function placeKind(featureCode: string): PlaceKind {
	if (featureCode.startsWith('PPL')) return 'locality';
	const byCode: Record<string, PlaceKind> = {
		SQR: 'square',
		RSTN: 'station',
		PRK: 'park',
		PLN: 'park',
		PK: 'mountain',
		MT: 'mountain',
		LK: 'water'
	};
	return byCode[featureCode] ?? 'landmark';
}

function readGeonames(): Feature<Point, GeonamesProps>[] {
	return readJson<FeatureCollection<Point, GeonamesProps>>('poi/geonames_lecco_area.geojson').features;
}

function buildPlaces(geonames: Feature<Point, GeonamesProps>[], rioni: Rione[]): Feature<Point>[] {
	const skipped: string[] = [];
	const gazetteer = geonames
		.filter((f) => {
			// The province polygon's centroid and hotels are not places anyone searches the atlas for.
			const keep = f.properties.feature_code !== 'ADM2' && f.properties.feature_code !== 'HTL';
			if (!keep) skipped.push(`${f.properties.name} (${f.properties.feature_code})`);
			return keep;
		})
		.sort((a, b) => a.properties.geonameid - b.properties.geonameid)
		.map(
			(f): Feature<Point> => ({
				type: 'Feature',
				properties: {
					name: clean(f.properties.name),
					kind: placeKind(f.properties.feature_code),
					in_served_area: f.properties.in_lecco === true,
					source: 'geonames',
					ref: String(f.properties.geonameid)
				},
				geometry: { type: 'Point', coordinates: roundPosition(f.geometry.coordinates) }
			})
		);
	console.log(`  places: skipped ${skipped.length} GeoNames rows: ${skipped.join(', ')}`);
	const labels = rioni.map(
		(r): Feature<Point> => ({
			type: 'Feature',
			properties: { name: r.name, kind: 'neighbourhood', in_served_area: true, source: 'atlante-rioni-derived', ref: `rione:${r.name}` },
			geometry: { type: 'Point', coordinates: r.label }
		})
	);
	return [...gazetteer, ...labels];
}

// ---------------------------------------------------------------------------------------------
// Streets and basemap context

function buildStreets(): string[][] {
	const rows = parseCsv(fs.readFileSync(path.join(DATA_DIR, 'addresses/anncsu_odonimi_lecco.csv'), 'utf8'), {
		columns: true,
		skip_empty_lines: true
	}) as Record<string, string>[];
	const refs = new Set<string>();
	const streets = rows.map((row) => {
		const ref = (row.progressivo_nazionale ?? '').trim();
		if (!/^[0-9]+$/.test(ref) || refs.has(ref)) throw new Error(`streets: bad or repeated progressivo_nazionale "${ref}"`);
		refs.add(ref);
		return [ref, (row.dug ?? '').trim(), (row.denominazione ?? '').trim(), (row.codice_istat_comune ?? '').trim().padStart(6, '0')];
	});
	return streets.sort((a, b) => Number(a[0]) - Number(b[0]));
}

function roundLineOrPolygon(geometry: Geometry): Geometry {
	switch (geometry.type) {
		case 'Polygon':
			return { type: 'Polygon', coordinates: geometry.coordinates.map(roundRing) };
		case 'LineString':
			return { type: 'LineString', coordinates: geometry.coordinates.map(roundPosition) };
		case 'MultiLineString':
			return { type: 'MultiLineString', coordinates: geometry.coordinates.map((line) => line.map(roundPosition)) };
		default:
			throw new Error(`lake.geojson: unexpected geometry ${geometry.type}`);
	}
}

function buildLake(): Feature[] {
	const file = readJson<FeatureCollection<Geometry, { name: string; kind: string }>>('basemap/naturalearth_10m_lago_di_como_adda.geojson');
	return file.features.map((f) => {
		const kind = f.properties.kind === 'lake' ? 'lake' : 'river';
		const geometry = roundLineOrPolygon(f.geometry);
		if (!booleanValid(geometry)) throw new Error(`lake.geojson: ${f.properties.name} is not valid`);
		return { type: 'Feature', properties: { name: f.properties.name, kind }, geometry };
	});
}

// ---------------------------------------------------------------------------------------------
// Directory bundles

interface ServiceProfile {
	label: string;
	needs: NeedCode[];
	audiences: AudienceCode[];
	institute: string;
}

const SCHOOL_PROFILES: Record<string, ServiceProfile> = {
	"Scuola dell'Infanzia": { label: "Scuola dell'infanzia statale", needs: ['childcare'], audiences: ['children', 'families'], institute: 'Istituto' },
	'Istituto Istruzione Primario': { label: 'Scuola primaria statale', needs: ['childcare'], audiences: ['children'], institute: 'Istituto' },
	'Istituto Istruzione Secondario Primo grado': {
		label: 'Scuola secondaria di primo grado statale',
		needs: ['youth'],
		audiences: ['teens'],
		institute: 'Istituto'
	},
	'Istituto Istruzione Secondario Secondo grado': {
		label: 'Scuola secondaria di secondo grado statale',
		needs: ['youth'],
		audiences: ['teens'],
		institute: 'Istituto'
	},
	Cfp: { label: 'Centro di formazione professionale', needs: ['work', 'youth'], audiences: ['teens'], institute: 'Ente' },
	Ctp: {
		label: "Centro per l'istruzione degli adulti (CPIA): corsi per adulti e di lingua italiana per stranieri",
		needs: ['language', 'work'],
		audiences: ['migrants', 'everyone'],
		institute: 'Istituto'
	}
};

interface SchoolProps {
	id: string;
	name: string;
	school_type: string;
	address: string | null;
	comune: string;
	cap: string | null;
	institute_name: string | null;
	phone: string | null;
	email: string | null;
	students: number | null;
	locality: string | null;
	geocode_quality: string;
	in_lecco: boolean;
}

interface PharmacyProps {
	id: string;
	name: string;
	address: string | null;
	comune: string;
	frazione: string | null;
	cap: string | null;
	in_lecco: boolean;
}

interface HospitalProps {
	id: string;
	name: string;
	address: string | null;
	comune: string;
	cap: string | null;
	in_lecco: boolean;
}

interface OrgInput {
	ref: string;
	name: string;
	kind: BundleOrganization['kind'];
	lon: number;
	lat: number;
	address?: string;
	postal_code?: string;
	city: string;
	description: string;
	needs: NeedCode[];
	audiences: AudienceCode[];
	serviceRef: string;
	email?: string;
	phones: z.infer<typeof bundlePhone>[];
}

/** One organisation with one site and one service there; hours unknown for every real record. */
function organization(input: OrgInput): BundleOrganization {
	return {
		ref: input.ref,
		name: input.name,
		kind: input.kind,
		description: '',
		...(input.email ? { email: input.email } : {}),
		phones: input.phones,
		locations: [
			{
				ref: 'site',
				name: input.name,
				lon: round6(input.lon),
				lat: round6(input.lat),
				...(input.address ? { address: input.address } : {}),
				...(input.postal_code ? { postal_code: input.postal_code } : {}),
				city: input.city,
				confidential: false
			}
		],
		services: [
			{
				ref: input.serviceRef,
				name: input.name,
				description: input.description,
				category: input.kind,
				needs: input.needs,
				audiences: input.audiences,
				accepting_new: null,
				phones: [],
				at: [{ location: 'site', opening_hours: null }]
			}
		]
	};
}

function bundle(source: Source, verifiedAt: string, organizations: BundleOrganization[]): DirectoryBundle {
	const sorted = [...organizations].sort((a, b) => compareText(a.ref, b.ref));
	// Parsing here makes an invalid record fail the build instead of the app's start-up.
	return directoryBundle.parse({ source, verified_at: verifiedAt, demo: false, organizations: sorted });
}

function schoolOrganization(f: Feature<Point, SchoolProps>): BundleOrganization {
	const p = f.properties;
	const profile = SCHOOL_PROFILES[p.school_type];
	if (!profile) throw new Error(`school ${p.id}: unknown school_type "${p.school_type}"`);
	const name = tidySchoolName(p.name);
	const city = tidyComune(p.comune);
	const parts = [`${profile.label}.`];
	if (p.institute_name) parts.push(`${profile.institute}: ${clean(p.institute_name)}.`);
	if (p.students) parts.push(`Alunni in questa sede: ${p.students} (anagrafe regionale, febbraio 2026).`);
	parts.push(`Codice: ${p.id}.`);
	return organization({
		ref: p.id,
		name,
		kind: 'school',
		lon: f.geometry.coordinates[0]!,
		lat: f.geometry.coordinates[1]!,
		address: tidyAddress(p.address, p.comune),
		postal_code: postalCode(p.cap),
		city,
		description: parts.join(' '),
		needs: profile.needs,
		audiences: profile.audiences,
		serviceRef: 'school',
		email: email(p.email),
		phones: phones(p.phone)
	});
}

function buildSchools(schools: Feature<Point, SchoolProps>[]): DirectoryBundle {
	const located = schools.filter((f) => {
		if (f.properties.geocode_quality !== 'comune_centroid_fallback') return true;
		console.log(`  skipped school ${f.properties.id} "${f.properties.name}" (${clean(f.properties.address)}): position unknown (comune centroid)`);
		return false;
	});
	return bundle(BUNDLE_SOURCES.scuole, REGIONE_SNAPSHOT, located.map(schoolOrganization));
}

/** Registry names are sometimes just a place ("PESCARENICO"): say what it is. */
function pharmacyName(raw: string): string {
	const name = tidyCompanyName(raw);
	return /farmaci/i.test(name) ? name : `Farmacia ${name}`;
}

function buildPharmacies(pharmacies: Feature<Point, PharmacyProps>[]): DirectoryBundle {
	const organizations = pharmacies.map((f) => {
		const p = f.properties;
		const street = tidyAddress(p.address, p.comune);
		const frazione = p.frazione ? titleCase(clean(p.frazione)) : null;
		return organization({
			ref: p.id,
			name: pharmacyName(p.name),
			kind: 'health',
			lon: f.geometry.coordinates[0]!,
			lat: f.geometry.coordinates[1]!,
			address: street && frazione ? `${street} (${frazione})` : street,
			postal_code: postalCode(p.cap),
			city: tidyComune(p.comune),
			description: `Farmacia. Codice regionale ${p.id}. Orari e turni non presenti nei dati aperti.`,
			needs: ['health'],
			audiences: ['everyone'],
			serviceRef: 'pharmacy',
			phones: []
		});
	});
	return bundle(BUNDLE_SOURCES.farmacie, REGIONE_SNAPSHOT, organizations);
}

function buildHospitals(hospitals: Feature<Point, HospitalProps>[]): DirectoryBundle {
	const organizations = hospitals.map((f) => {
		const p = f.properties;
		const name = tidyCompanyName(p.name);
		const kindLabel = /^ospedale/i.test(name) ? 'Ospedale' : 'Casa di cura';
		return organization({
			ref: p.id,
			name,
			kind: 'health',
			lon: f.geometry.coordinates[0]!,
			lat: f.geometry.coordinates[1]!,
			address: tidyAddress(p.address, p.comune),
			postal_code: postalCode(p.cap),
			city: tidyComune(p.comune),
			description: `${kindLabel} (struttura di ricovero). Codice regionale ${p.id}.`,
			needs: ['health'],
			audiences: ['everyone'],
			serviceRef: 'hospital',
			phones: []
		});
	});
	return bundle(BUNDLE_SOURCES.strutture, REGIONE_SNAPSHOT, organizations);
}

// GeoNames spells these loosely ("Parrocchia Di S.Nicolo", "Gervaso e Protaso"): tidied by hand.
const PARISH_NAMES: Record<string, string> = {
	'10627427': 'Parrocchia di Castello sopra Lecco - Santi Martiri Gervasio e Protasio',
	'10627432': 'Parrocchia di San Nicolò',
	'10627438': 'Chiesa di Santa Marta',
	'10627443': 'Parrocchia di Acquate'
};

function buildParishes(geonames: Feature<Point, GeonamesProps>[]): DirectoryBundle {
	const churches = geonames.filter((f) => f.properties.feature_code === 'CH' && f.properties.in_lecco);
	const organizations = churches.map((f) => {
		const ref = String(f.properties.geonameid);
		const original = clean(f.properties.name);
		const name = PARISH_NAMES[ref] ?? titleCase(original);
		if (!PARISH_NAMES[ref]) console.warn(`  ! parish ${ref} "${original}" has no hand-tidied name`);
		return organization({
			ref,
			name,
			kind: 'parish',
			lon: f.geometry.coordinates[0]!,
			lat: f.geometry.coordinates[1]!,
			city: 'Lecco',
			description: `Nome in GeoNames: ${original} (geonameid ${ref}). Posizione da GeoNames (2015); orari e contatti non presenti nei dati aperti.`,
			needs: ['listening', 'community'],
			audiences: ['everyone'],
			serviceRef: 'parish',
			phones: []
		});
	});
	return bundle(BUNDLE_SOURCES.parrocchie, GEONAMES_SNAPSHOT, organizations);
}

function writeBundle(file: string, b: DirectoryBundle): void {
	writeOut(`lecco/${file}`, JSON.stringify(b, null, '\t') + '\n', `${b.organizations.length} organisations`);
}

// ---------------------------------------------------------------------------------------------
// Population (per rione and by age) and transit stops

const RIONI_POPULATION_DATE = '2024-12-31';
const RIONI_POPULATION_SUM = 47_671;
const AGES_DATE = '2025-01-01';
const AGES_TOTAL = 47_233;
const BUS_STOPS = 247;
/**
 * Rioni of the derived map that the Comune's register (15 rioni) does not list. Malnago has a seed
 * of its own (a GeoNames place and a school locality) but the register counts its residents in a
 * neighbouring rione, which the published figures do not name: it stays without a figure rather
 * than get a guessed one. Any other difference between the two lists fails the build.
 */
const MAP_RIONI_WITHOUT_FIGURE = new Set(['Malnago']);
const RAIL_STATIONS = 2;

function readDataCsv(relative: string, options: { delimiter?: string; fromLine?: number } = {}): Record<string, string>[] {
	return parseCsv(fs.readFileSync(path.join(DATA_DIR, relative), 'utf8'), {
		columns: true,
		skip_empty_lines: true,
		trim: true,
		comment: options.delimiter ? undefined : '#',
		delimiter: options.delimiter ?? ',',
		from_line: options.fromLine ?? 1
	}) as Record<string, string>[];
}

function wholeNumber(raw: string | undefined, what: string): number {
	if (!raw || !/^[0-9]+$/.test(raw)) throw new Error(`${what}: "${raw}" is not a whole number`);
	return Number(raw);
}

/**
 * Residents per rione (Comune register). The names must be exactly the rioni of rioni.geojson:
 * the database joins population to the map by name, so a spelling difference would silently
 * leave a rione without a figure.
 */
function buildPopulation(rioni: Rione[]): string[][] {
	const rows = readDataCsv('population/comune_lecco_residenti_per_rione_2024.csv');
	const figures = rows.map((row) => ({ rione: row.rione ?? '', residents: wholeNumber(row.residenti_2024_12_31, `population of ${row.rione}`) }));
	const mapNames = new Set(rioni.map((r) => r.name));
	const fileNames = new Set(figures.map((f) => f.rione));
	const notOnMap = [...fileNames].filter((name) => !mapNames.has(name));
	const withoutFigure = [...mapNames].filter((name) => !fileNames.has(name) && !MAP_RIONI_WITHOUT_FIGURE.has(name));
	const listedButFigured = [...MAP_RIONI_WITHOUT_FIGURE].filter((name) => fileNames.has(name) || !mapNames.has(name));
	if (listedButFigured.length > 0) throw new Error(`MAP_RIONI_WITHOUT_FIGURE is out of date: ${listedButFigured.join(', ')}`);
	if (notOnMap.length > 0 || withoutFigure.length > 0 || fileNames.size !== figures.length) {
		throw new Error(
			`population per rione does not match rioni.geojson: not on the map [${notOnMap.join(', ')}], ` +
				`without a figure [${withoutFigure.join(', ')}], ${figures.length - fileNames.size} repeated`
		);
	}
	const sum = figures.reduce((total, f) => total + f.residents, 0);
	if (sum !== RIONI_POPULATION_SUM) throw new Error(`residents per rione sum to ${sum}, SOURCES.md says ${RIONI_POPULATION_SUM}`);
	console.log(
		`  population: ${figures.length} rioni, all on the map, ${sum} residents at ${RIONI_POPULATION_DATE}; ` +
			`without a figure: ${[...MAP_RIONI_WITHOUT_FIGURE].join(', ')}`
	);
	return figures
		.sort((a, b) => compareText(a.rione, b.rione))
		.map((f) => [f.rione, String(f.residents), RIONI_POPULATION_DATE, 'comune-lecco-anagrafe-2024']);
}

/** ISTAT single years of age (0–99, and 100 meaning 100 and over); the total row (999) checks the sum. */
function buildAges(): string[][] {
	// Line 1 is the table's title; the header is on line 2.
	const rows = readDataCsv('population/istat_posas_2025_lecco_097042.csv', { delimiter: ';', fromLine: 2 });
	const lecco = rows.filter((row) => row['Codice comune'] === LECCO_ISTAT);
	const ages = lecco
		.filter((row) => row['Età'] !== '999')
		.map((row) => {
			const age = wholeNumber(row['Età'], 'age');
			const males = wholeNumber(row['Totale maschi'], `males aged ${age}`);
			const females = wholeNumber(row['Totale femmine'], `females aged ${age}`);
			const total = wholeNumber(row['Totale'], `total aged ${age}`);
			if (males + females !== total) throw new Error(`age ${age}: ${males} + ${females} ≠ ${total}`);
			return { age, males, females, total };
		})
		.sort((a, b) => a.age - b.age);
	if (ages.length !== 101 || ages.some((a, index) => a.age !== index)) throw new Error('expected ages 0 to 100, once each');
	const totalRow = lecco.find((row) => row['Età'] === '999');
	const sum = ages.reduce((total, a) => total + a.total, 0);
	if (!totalRow || wholeNumber(totalRow['Totale'], 'total') !== sum || sum !== AGES_TOTAL) {
		throw new Error(`ages sum to ${sum}; the total row says ${totalRow?.['Totale']}, SOURCES.md ${AGES_TOTAL}`);
	}
	console.log(`  ages: 0–100, ${sum} residents at ${AGES_DATE}`);
	return ages.map((a) => [String(a.age), String(a.males), String(a.females), String(a.total), AGES_DATE, 'istat-posas-2025']);
}

function gtfsDate(raw: string | undefined): string {
	const match = /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(raw ?? '');
	if (!match) throw new Error(`GTFS date "${raw}" is not YYYYMMDD`);
	return `${match[1]}-${match[2]}-${match[3]}`;
}

/** Bus stops (Linee Lecco GTFS, Lecco rows) and the two railway stations (Trenord GTFS). */
function buildTransitStops(rioni: Rione[]): Feature<Point>[] {
	const [feed] = readDataCsv('transit/lineelecco_gtfs_2025_26_feed_info.txt');
	const validFrom = gtfsDate(feed?.feed_start_date);
	const validTo = gtfsDate(feed?.feed_end_date);
	const stop = (id: string, code: string | null, name: string, kind: 'bus' | 'rail', source: string, lat: string | undefined, lon: string | undefined, valid: [string, string] | null): Feature<Point> => {
		const position = roundPosition([Number(lon), Number(lat)]);
		if (!Number.isFinite(position[0]) || !Number.isFinite(position[1])) throw new Error(`stop ${id} has no coordinates`);
		return {
			type: 'Feature',
			properties: { id, code, name: clean(name), kind, source, valid_from: valid?.[0] ?? null, valid_to: valid?.[1] ?? null },
			geometry: { type: 'Point', coordinates: position }
		};
	};
	const bus = readDataCsv('transit/lineelecco_gtfs_2025_26_stops_lecco.txt')
		.filter((row) => (row.location_type ?? '0') === '0' || row.location_type === '')
		.map((row) => stop(`lineelecco:${row.stop_id}`, row.stop_code || null, row.stop_name ?? '', 'bus', 'lineelecco-gtfs-2025-26', row.stop_lat, row.stop_lon, [validFrom, validTo]));
	const rail = readDataCsv('transit/trenord_gtfs_stops_lecco.txt').map((row) =>
		stop(`trenord:${row.stop_id}`, null, row.stop_name ?? '', 'rail', 'trenord-gtfs', row.stop_lat, row.stop_lon, null)
	);
	if (bus.length !== BUS_STOPS || rail.length !== RAIL_STATIONS) {
		throw new Error(`expected ${BUS_STOPS} bus stops and ${RAIL_STATIONS} stations, found ${bus.length} and ${rail.length}`);
	}
	const ids = new Set<string>();
	for (const f of [...bus, ...rail]) {
		const id = String(f.properties!.id);
		if (ids.has(id)) throw new Error(`stop ${id} appears twice`);
		ids.add(id);
	}
	const outside = [...bus, ...rail].filter((f) => !rioneOf(rioni, f.geometry.coordinates[0]!, f.geometry.coordinates[1]!));
	console.log(
		`  transit: ${bus.length} bus stops (feed valid ${validFrom} … ${validTo}), ${rail.length} stations; ` +
			`${outside.length} outside the rioni${outside.length ? `: ${outside.map((f) => f.properties!.name).join('; ')}` : ''}`
	);
	return [...bus, ...rail].sort((a, b) => compareText(String(a.properties!.id), String(b.properties!.id)));
}

// ---------------------------------------------------------------------------------------------
// ATTRIBUTION.md

function attributionText(rioni: Rione[]): string {
	return `# Attribution and licences of the seed data

Generated by \`scripts/build-seed.ts\` (\`npm run seed:build\`) from the open data described in
\`shared/data/lecco/SOURCES.md\`. Do not edit by hand: change the script and run it again.

## Credit line for the map (MapLibre attribution control)

> Confini © ISTAT (CC BY 4.0), © Openpolis (CC BY 4.0) · Scuole, farmacie, strutture sanitarie
> © Regione Lombardia · Luoghi © GeoNames (CC BY 4.0) · Odonimi ANNCSU (Agenzia delle
> Entrate–ISTAT) · Natural Earth · Rioni approssimati: Atlante di comunità · Fermate © Agenzia TPL
> Como, Lecco e Varese – Linee Lecco · Stazioni © Trenord / Regione Lombardia (CC BY 4.0)

There is no OpenStreetMap data in the seed, so nothing here is under the ODbL.

## Sources

| source id | data set | licence | origin (repository · path · commit) | seed files |
|---|---|---|---|---|
| \`istat-confini-2026\` | ISTAT, Confini delle unità amministrative a fini statistici al 1° gennaio 2026 (non generalizzati) | CC BY 4.0 | \`l1n00/confini-comuni-istat\` · \`dist/2026/comuni/097042.geojson\` · \`f0f4fc9f54ebe8dc0be823d3d47bf72ebb5aa141\` (upstream \`Limiti01012026.zip\`) | \`areas.geojson\` (Lecco), \`rioni.geojson\` (outline) |
| \`openpolis-comuni\` | Openpolis geojson-italy, comuni della provincia di Lecco | CC BY 4.0 (© Openpolis, derived from ISTAT) | \`openpolis/geojson-italy\` · \`geojson/limits_P_97_municipalities.geojson\` · \`d0df31d57b015bfc4e9b3ff178967b9fde74fae0\` | \`areas.geojson\` (the other 83 comuni) |
| \`geonames\` | GeoNames, Italy dump (Dec 2015) | CC BY 4.0 (CC BY 3.0 when dumped) | \`alfcrisci/italian_osm_geonames\` · \`IT_geonames.rds\` · \`8794ec9719ff826fca72b89559e1a589b1cbe5f7\` | \`places.geojson\` |
| \`geonames-parrocchie\` | the same GeoNames dump, churches (CH) in Lecco | CC BY 4.0 | as above | \`parrocchie.directory.json\` |
| \`anncsu\` | ANNCSU, Archivio Nazionale dei Numeri Civici e delle Strade Urbane (Agenzia delle Entrate–ISTAT), extracted 9 Feb 2025 | CC BY 4.0 (re-check) | \`ondata/archivio_anncsu\` · \`output/odonimi_03.csv.gz\` · \`13fc09f2a690587af69c4765d6b3d74ce3d8d35a\` | \`streets.csv\` |
| \`regione-lombardia-scuole\` | Regione Lombardia, Anagrafe scuole (two registries, snapshot 15 Feb 2026) | Regione Lombardia open data (confirm) | \`cosimo575/mappa-lombardia-immobiliare\` · \`dati/Anagrafe_Scuole_20260215.csv\` + \`dati/Anagrafe_Scuole_Lombarde_20260215.csv\` · \`382b2b95979142dc18941298132552f466afc4a8\` | \`scuole.directory.json\` |
| \`regione-lombardia-farmacie\` | Regione Lombardia, Elenco completo farmacie (15 Feb 2026) | Regione Lombardia open data (confirm) | same repository · \`dati/Elenco_Completo_Farmacie_20260215.csv\` · \`382b2b95…\` | \`farmacie.directory.json\` |
| \`regione-lombardia-strutture\` | Regione Lombardia, Georeferenziazione strutture di ricovero (15 Feb 2026) | Regione Lombardia open data (confirm) | same repository · \`dati/Georeferenziazione_strutture_20260215.csv\` · \`382b2b95…\` | \`strutture-ricovero.directory.json\` |
| \`naturalearth\` | Natural Earth 1:10m lakes and rivers (Europe) | public domain | \`martynafford/natural-earth-geojson\` · \`10m/physical/ne_10m_lakes_europe.json\`, \`10m/physical/ne_10m_rivers_europe.json\` · \`90266457d82d3717e47313e72a921e31a087d2c4\` | \`lake.geojson\` |
| \`comune-lecco-anagrafe-2024\` | Comune di Lecco, municipal register: residents per rione at 31/12/2024, as published by LeccoNotizie (January 2025) | facts (numbers), with attribution "Comune di Lecco, anagrafe, 31/12/2024" | \`shared/data/lecco/population/comune_lecco_residenti_per_rione_2024.csv\` (figures typed from the article) | \`population.csv\` |
| \`istat-posas-2025\` | ISTAT, Popolazione residente per età, sesso e stato civile al 1° gennaio 2025 (POSAS), Lecco | CC BY 4.0 ("Fonte: Istat") | \`simoneghezzicolombo/tpl-olgiate-intercomunale\` · \`data/raw/istat/POSAS_2025_it_097_Lecco.csv\` · \`2c69f8b7e556d34b985217eca05de57dbeb699a8\` (Lecco rows) | \`ages.csv\` |
| \`lineelecco-gtfs-2025-26\` | GTFS "invernale 2025-2026 Linee Lecco" (Agenzia per il TPL del bacino di Como, Lecco e Varese; publisher Linee Lecco S.p.A.), valid 2025-09-13 … 2026-06-08 | **no licence stated** by the publisher (see the licence notes) | \`simoneghezzicolombo/tpl-olgiate-intercomunale\` · \`data/raw/gtfs/agency_lineelecco/stops.txt\` · \`7c39cd81738f7cea483454fa907ba9d5a435a466\` (Lecco rows), \`feed_info.txt\` | \`transit-stops.geojson\` (bus stops) |
| \`trenord-gtfs\` | Trenord GTFS, Regione Lombardia open data (dataset 3z4k-mxz9): stations Lecco and Lecco Maggianico | CC BY 4.0 (Regione Lombardia) | same repository · \`data/raw/gtfs/rail_trenord/stops.txt\` · \`8aea4fcf98687aab17adcfd859a06f4c17259519\` | \`transit-stops.geojson\` (stations) |
| \`atlante-rioni-derived\` | approximate rioni of Lecco, derived by this project (see below) | CC BY 4.0 | \`db/seed/lecco/rioni-seeds.csv\` + the ISTAT outline | \`rioni.geojson\`, rione labels in \`places.geojson\` |

## What was done to each data set

- **ISTAT outline of Lecco**: Polygon converted to MultiPolygon, coordinates rounded to 6
  decimals (~0.1 m), plus the few vertices where rione boundaries meet it (each within ~0.1 m of
  the original line) so that the rioni tile it exactly; served area of the atlas. Statistical,
  not cadastral/legal, boundary.
- **Openpolis comuni**: every comune of the province except Lecco (whose polygon is replaced by
  the finer ISTAT one), as MultiPolygons rounded to 6 decimals; shown as grey context only. They are
  heavily simplified (~600 m error): never use them to decide whether an address is in a comune.
- **GeoNames**: points in the Lecco area bbox, mapped to the gazetteer kinds (locality, square,
  station, park, mountain, water, landmark); the province (ADM2) and hotels (HTL) are dropped.
  \`in_served_area\` is the point-in-polygon test against the ISTAT outline done upstream.
  The four churches in Lecco also become the parish bundle, with names tidied by hand (the
  GeoNames name is kept in each description). Positions date from 2015.
- **ANNCSU**: the 546 street names of Lecco, unchanged (\`ref\` = progressivo nazionale, \`prefix\` =
  DUG, \`name\` = denominazione, which already includes the DUG); no coordinates.
- **Regione Lombardia schools**: one organisation per school site (state schools, CPIA and
  regional vocational centres; no private/paritarie schools, no nurseries), including the
  neighbouring comuni near Lecco. The school whose position is unknown (comune-centroid geocoding:
  Primaria F. Filzi, Bonacina) is left out. Names kept, casing tidied; addresses title-cased when
  written in capitals; the mojibake "UnitÃ"/"LocalitÃ" repaired to "à"; a phone field holding two
  numbers is split, a Lecco number that lost its leading 0 ("341…") gets it back, and only the
  first valid e-mail of a field holding two is kept. Opening hours are unknown (null).
- **Regione Lombardia pharmacies and hospitals**: names and addresses title-cased; a pharmacy
  whose registry name is only a place ("PESCARENICO") is prefixed with "Farmacia"; the frazione
  is appended to the address. Positions are the registry's own geocoding (±100 m; the pharmacy
  "Pescarenico" is placed on Corso Martiri, east of the station). Hours unknown (null).
- **Natural Earth**: Lago di Como polygon and Adda lines, properties reduced to \`name\` and
  \`kind\`, coordinates rounded to 6 decimals; the lake ring's repeated closing vertex is dropped
  (as published, @turf/boolean-valid rejects it). At 1:10M the lake covers part of the city centre:
  draw it only at zoom ≤ 10, never as a shoreline.

- **Residents per rione** (Comune di Lecco): the 15 figures unchanged, with their reference date
  (31/12/2024). They sum to 47,671; the Comune's total, 47,742, also counts 71 residents of no
  fixed abode not attributed to any rione. The names are checked against \`rioni.geojson\` (the
  build fails on a difference). The derived map has one rione more, Malnago, which the register
  does not list (its residents are counted in a neighbouring rione the source does not name): it
  has no figure. Do not compare these figures with the ISTAT total (47,233 at 1/1/2025, a
  different count): one source per figure.
- **Ages** (ISTAT POSAS): the Lecco rows reduced to age, males, females and total (the marital
  status columns are dropped); age 100 means 100 and over. The ages sum to the file's total row.
- **Bus stops** (Linee Lecco GTFS): the 247 stops of Lecco, unchanged but for the id, prefixed
  \`lineelecco:\`, coordinates rounded to 6 decimals, and the feed's validity (from \`feed_info.txt\`)
  on each stop. Many names carry the rione ("Lecco, Pescarenico, Martiri/Amendola"); the app
  places each stop in a rione by its position, not its name.
- **Railway stations** (Trenord GTFS): Lecco and Lecco Maggianico, id prefixed \`trenord:\`, the
  Trenord tracking URL dropped.

## Derived rioni (approximate)

No official neighbourhood boundaries of Lecco are available as open data, so \`rioni.geojson\`
holds an approximation that anyone can rebuild:

1. \`db/seed/lecco/rioni-seeds.csv\` gives one seed point per rione (${rioni.length}: ${rioni.map((r) => r.name).join(', ')}),
   each with its evidence: a school whose registry locality names the rione, a GeoNames parish,
   square or place. Bonacina, Olate, Pescarenico and Rancio have no point in the open data; their
   seeds are approximate positions from general knowledge of Lecco, marked as such. Three seeds
   were moved after checking the cells against the data: Germanedo (midpoint of its two schools,
   otherwise the Infanzia Germanedo fell in Belledo), San Giovanni (among the five records that
   name it, otherwise the Don Ticozzi school fell in Castello) and Rancio (further west, otherwise
   it nearly took the A. Diaz school of San Giovanni). The build flags every record of Lecco
   whose locality, address or name mentions a rione other than the one it falls in.
2. Voronoi cells of the seeds (\`@turf/voronoi\`, computed with longitudes scaled by cos(latitude)
   so distances are not distorted east–west) are clipped to the ISTAT 2026 outline
   (\`@turf/intersect\`). Each point of Lecco therefore belongs to the rione with the nearest seed.
3. The label of each rione is its seed point (always inside its own cell).

The result is valid, has no overlaps and covers the whole municipality, but the boundaries are
**approximate** (straight lines halfway between seeds, ignoring streets, rivers and slopes) and
**not official**. Use them to group and label, not to tell anyone which rione they live in. Replace
them with the Comune's boundaries when available (same file format, \`derived: false\`).

## Licence notes (read before a public release)

- **ISTAT** boundaries: ISTAT's general terms are CC BY 4.0; attribution "Istat, Confini delle
  unità amministrative a fini statistici al 1° gennaio 2026". The boundaries are statistical, not
  cadastral/legal.
- **Openpolis**: LICENSE in the repository is CC BY 4.0 ("Copyright 2018-2021 Openpolis").
- **Regione Lombardia** (dati.lombardia.it): the intermediate repository states no licence; the
  portal publishes these datasets as open data for reuse with attribution to Regione Lombardia
  (historically IODL 2.0, now generally CC BY 4.0). The exact per-dataset licence could not be
  checked offline — confirm it on the portal before a public release; attribute "Regione Lombardia".
- **GeoNames**: CC BY 4.0 (the 2015 dump was published under CC BY 3.0).
- **ANNCSU** (Agenzia delle Entrate–ISTAT): published as open data under CC BY 4.0 on
  anncsu.gov.it per the intermediate repository's README; re-check before release.
- **Natural Earth**: public domain.
- **Comune di Lecco residents per rione**: figures (facts) taken from a newspaper article that
  reports the Comune's data; attribute "Comune di Lecco, anagrafe, 31/12/2024".
- **ISTAT POSAS**: CC BY 4.0, attribution "Fonte: Istat".
- **Linee Lecco GTFS (bus stops)**: the publisher states **no licence**. Data published by a
  public body without a licence is open by default under art. 52 c.2 CAD (d.lgs. 82/2005), which
  is the basis on which the stops are used here; attribute "Agenzia TPL Como, Lecco e Varese –
  Linee Lecco". **Confirm with the Agenzia before a public release.**
- **Trenord GTFS (stations)**: CC BY 4.0 (Regione Lombardia open data).
- **Derived rioni**: CC BY 4.0 (this project), inheriting the ISTAT attribution for the outline.
`;
}

// ---------------------------------------------------------------------------------------------

function main(): void {
	console.log(`Reading ${DATA_DIR}`);
	const outline = readLeccoOutline();

	console.log('rioni');
	const { rioni, outline: leccoGeometry } = buildRioni(outline);
	checkRioniPartition(rioni, leccoGeometry);

	console.log('areas');
	const areas = buildAreas(outline, leccoGeometry);

	const schools = readJson<FeatureCollection<Point, SchoolProps>>('poi/scuole_lecco_area.geojson').features;
	const pharmacies = readJson<FeatureCollection<Point, PharmacyProps>>('poi/farmacie_lecco_area.geojson').features;
	const hospitals = readJson<FeatureCollection<Point, HospitalProps>>('poi/strutture_ricovero_lecco_area.geojson').features;
	const records: PointRecord[] = [
		...pointRecords(schools, 'school', (p) => [p.name, p.locality, p.address].map(clean).join(' | ')),
		...pointRecords(pharmacies, 'pharmacy', (p) => [p.name, p.frazione, p.address].map(clean).join(' | ')),
		...pointRecords(hospitals, 'hospital', (p) => clean(p.name))
	];
	reportRioni(rioni, records);

	console.log('gazetteer and directory');
	const geonames = readGeonames();
	const places = buildPlaces(geonames, rioni);
	const streets = buildStreets();
	const lake = buildLake();
	console.log('population and transit');
	const population = buildPopulation(rioni);
	const ages = buildAges();
	const stops = buildTransitStops(rioni);
	const bundles: [string, DirectoryBundle][] = [
		['scuole.directory.json', buildSchools(schools)],
		['farmacie.directory.json', buildPharmacies(pharmacies)],
		['strutture-ricovero.directory.json', buildHospitals(hospitals)],
		['parrocchie.directory.json', buildParishes(geonames)]
	];

	writeOut('lecco/sources.json', JSON.stringify(SOURCES, null, '\t') + '\n', `${SOURCES.length} sources`);
	writeOut('lecco/areas.geojson', geojsonText(areas), `${areas.length} areas`);
	writeOut('lecco/rioni.geojson', geojsonText(rioni.map(rioneFeature)), `${rioni.length} rioni`);
	writeOut('lecco/places.geojson', geojsonText(places), `${places.length} places`);
	writeOut('lecco/streets.csv', csvText(['ref', 'prefix', 'name', 'istat_code'], streets), `${streets.length} streets`);
	writeOut('lecco/lake.geojson', geojsonText(lake), `${lake.length} features`);
	writeOut('lecco/population.csv', csvText(['rione', 'residents', 'reference_date', 'source'], population), `${population.length} rioni`);
	writeOut('lecco/ages.csv', csvText(['age', 'males', 'females', 'total', 'reference_date', 'source'], ages), `${ages.length} ages`);
	writeOut('lecco/transit-stops.geojson', geojsonText(stops), `${stops.length} stops`);
	for (const [file, b] of bundles) writeBundle(file, b);
	writeOut('ATTRIBUTION.md', attributionText(rioni), 'attribution');

	console.log('written');
	for (const w of written) console.log(`  ${w.file}: ${w.count}`);
}

main();
