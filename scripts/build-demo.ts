// `npm run demo:build` (or `npx tsx scripts/build-demo.ts`): writes the FICTIONAL demo set
// `db/seed/demo/demo.directory.json`, so the atlas looks alive before real partners enter their own
// data. Every organisation, service, address, phone number and e-mail in it is invented: names end
// in " (esempio)", phones are 0341 000 1xx/2xx (not assigned), e-mails are at example.org, and
// streets are real Lecco street names (ANNCSU) with made-up house numbers that need not match the
// coordinates. The app marks these records as examples and drops them with ATLANTE_DEMO=0.
//
// The records are curated by hand as data in db/seed/demo/records/*.json (see the README there);
// this script holds only the logic. It checks them (shape and taxonomy codes with zod here and the
// bundle's schema, every OSM opening_hours string with the `opening_hours` library, every street
// against ANNCSU, every point inside the ISTAT outline of Lecco and nearest to its own rione
// centre, coverage of every rione) and fails on any problem. Positions are deterministic offsets
// from approximate rione centres, so two runs give byte-identical output.
//
// Inputs: ../shared/data/lecco (or LECCO_DATA_DIR): the ISTAT city outline and the ANNCSU street
// names.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import opening_hours from 'opening_hours';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { point } from '@turf/helpers';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { directoryBundle, type DirectoryBundle } from '../src/lib/server/seed/bundle';
import { z } from 'zod';
import { AUDIENCE_CODES, CATEGORY_CODES, NEED_CODES, type CategoryCode } from '../src/lib/domain/taxonomy';
import { mulberry32 } from './lib/stats';
import { titleCase } from './lib/text';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = path.join(REPO_ROOT, 'db/seed/demo/demo.directory.json');
const DATA_DIR = process.env.LECCO_DATA_DIR ?? path.resolve('../shared/data/lecco');

const SOURCE = {
	id: 'atlante-demo',
	name: 'Dati di esempio (fittizi)',
	licence: 'CC0 1.0',
	url: null,
	attribution: 'Dati di esempio fittizi — Atlante di comunità'
};
const VERIFIED_AT = '2026-11-01';

// ---------------------------------------------------------------------------------------------
// Rioni: approximate centres (lon, lat). Locations are scattered around them.
// ---------------------------------------------------------------------------------------------

const RIONI = {
	Acquate: [9.40863, 45.8603],
	Belledo: [9.41078, 45.84936],
	Bonacina: [9.416, 45.87],
	Caleotto: [9.40629, 45.85143],
	Castello: [9.39644, 45.86076],
	Centro: [9.38966, 45.8551],
	Chiuso: [9.42004, 45.82075],
	Germanedo: [9.41515, 45.85391],
	Laorca: [9.40352, 45.87565],
	Maggianico: [9.41548, 45.83277],
	Malnago: [9.42138, 45.86204],
	Olate: [9.418, 45.8555],
	Pescarenico: [9.3985, 45.8462],
	Rancio: [9.3975, 45.87],
	'San Giovanni': [9.40136, 45.86399],
	'Santo Stefano': [9.38914, 45.86404]
} as const satisfies Record<string, readonly [number, number]>;
type Rione = keyof typeof RIONI;
const RIONE_NAMES = Object.keys(RIONI) as Rione[];

/** Largest offset from a rione centre, in metres (less where two centres are close). */
const MAX_OFFSET_M = 250;
/**
 * Rioni with the lake (Centro, Santo Stefano) or the Adda and Lago di Garlate (Pescarenico, Chiuso)
 * just west of their centre: offsets there only go east. The ISTAT outline includes Lecco's share
 * of the lake, and the Natural Earth lake is too coarse here (it covers Piazza XX Settembre), so
 * neither can tell water from land at this scale.
 */
const EAST_ONLY: ReadonlySet<Rione> = new Set<Rione>(['Centro', 'Santo Stefano', 'Pescarenico', 'Chiuso']);
const PRNG_SEED = 0x1ecc0;

// Nominatim-like context for public holidays (Italy, Lombardy), as the brief and the app use.
const HOURS_CONTEXT = { lat: 45.85, lon: 9.39, address: { country_code: 'it', state: 'Lombardia' } };

// ---------------------------------------------------------------------------------------------
// The curated records: db/seed/demo/records/<rione>.json, one file per rione, each a JSON array of
// organisations listed under that rione (usually where their first location is). They are read in
// the order of RIONI above, and that order matters: it sets each organisation's 0341 000 1xx number.
// ---------------------------------------------------------------------------------------------

const RECORDS_DIR = path.join(REPO_ROOT, 'db/seed/demo/records');
const recordFile = (rione: Rione) => `${rione.toLowerCase().replace(/ /g, '-')}.json`;

const phoneSpec = z.strictObject({ number: z.string(), description: z.string().optional() });

const locationSpec = z.strictObject({
	ref: z.string(),
	name: z.string(),
	rione: z.enum(RIONE_NAMES),
	/** An ANNCSU `denominazione` of Lecco, upper case as in the source; omitted when confidential. */
	street: z.string().optional(),
	number: z.string().optional(),
	confidential: z.boolean().optional()
});

const serviceSpec = z.strictObject({
	ref: z.string(),
	name: z.string(),
	description: z.string(),
	category: z.enum(CATEGORY_CODES),
	needs: z.array(z.enum(NEED_CODES)),
	audiences: z.array(z.enum(AUDIENCE_CODES)),
	accepting_new: z.boolean().nullable(),
	/** Service numbers are 0341 000 2xx (organisations get 1xx automatically): not assigned to anyone. */
	phones: z.array(phoneSpec).optional(),
	url: z.string().optional(),
	/** Location ref → OSM opening_hours, or null when unknown. */
	at: z.record(z.string(), z.string().nullable())
});

const orgSpec = z.strictObject({
	ref: z.string(),
	name: z.string(),
	kind: z.enum(CATEGORY_CODES),
	description: z.string(),
	website: z.string().optional(),
	locations: z.array(locationSpec),
	services: z.array(serviceSpec)
});
type OrgSpec = z.infer<typeof orgSpec>;

function readRecords(): OrgSpec[] {
	const expected = new Set(RIONE_NAMES.map(recordFile));
	// A file the script would not read is a mistake (a typo in a rione's name), not something to skip.
	for (const name of fs.readdirSync(RECORDS_DIR))
		if (name.endsWith('.json') && !expected.has(name)) fail(`records/${name} is not named after a rione (${[...expected].join(', ')})`);
	return RIONE_NAMES.flatMap((rione) => {
		const file = path.join(RECORDS_DIR, recordFile(rione));
		const parsed = z.array(orgSpec).safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
		if (!parsed.success) fail(`${path.relative(REPO_ROOT, file)}: ${z.prettifyError(parsed.error)}`);
		return parsed.data;
	});
}
// ---------------------------------------------------------------------------------------------
// Checks and construction
// ---------------------------------------------------------------------------------------------

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function fail(message: string): never {
	throw new Error(`build-demo: ${message}`);
}

/** Throws unless `value` is valid OSM opening_hours with no warnings. */
function checkHours(value: string, where: string): void {
	let parsed: opening_hours;
	try {
		parsed = new opening_hours(value, HOURS_CONTEXT);
	} catch (error) {
		fail(`${where}: invalid opening_hours "${value}": ${String(error).trim()}`);
	}
	const warnings = parsed.getWarnings();
	if (warnings.length > 0) fail(`${where}: opening_hours "${value}" has warnings: ${warnings.join(' | ')}`);
}

/** FNV-1a, so each location's offset depends only on its own refs, not on its place in the list. */
function hash(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h;
}

const M_PER_DEG_LAT = 111_320;
const metresPerDegLon = (lat: number) => M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);

function distanceM(a: readonly [number, number], b: readonly [number, number]): number {
	const dx = (a[0] - b[0]) * metresPerDegLon((a[1] + b[1]) / 2);
	const dy = (a[1] - b[1]) * M_PER_DEG_LAT;
	return Math.hypot(dx, dy);
}

function nearestRione(p: readonly [number, number]): Rione {
	let best: Rione = RIONE_NAMES[0]!;
	for (const name of RIONE_NAMES) if (distanceM(p, RIONI[name]) < distanceM(p, RIONI[best])) best = name;
	return best;
}

function readPolygon(file: string): Feature<Polygon | MultiPolygon> {
	const collection = JSON.parse(fs.readFileSync(file, 'utf8')) as FeatureCollection;
	const feature = collection.features.find((f) => f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon');
	if (!feature) fail(`no polygon found in ${file}`);
	return feature as Feature<Polygon | MultiPolygon>;
}

const outline = readPolygon(path.join(DATA_DIR, 'boundaries/lecco_comune_istat2026.geojson'));

/**
 * A point near the rione centre: inside the city outline and nearer to its own centre than to any
 * other (so derived, Voronoi-like rione boundaries put it in the right rione).
 */
function place(rione: Rione, key: string): [number, number] {
	const centre = RIONI[rione];
	const nearestOther = Math.min(...RIONE_NAMES.filter((n) => n !== rione).map((n) => distanceM(centre, RIONI[n])));
	const maxR = Math.min(MAX_OFFSET_M, 0.45 * nearestOther);
	const random = mulberry32(PRNG_SEED ^ hash(key));
	for (let attempt = 0; attempt < 100; attempt++) {
		const angle = EAST_ONLY.has(rione) ? (random() - 0.5) * Math.PI : random() * 2 * Math.PI;
		const r = maxR * Math.sqrt(random());
		const lon = round6(centre[0] + (r * Math.cos(angle)) / metresPerDegLon(centre[1]));
		const lat = round6(centre[1] + (r * Math.sin(angle)) / M_PER_DEG_LAT);
		const p = point([lon, lat]);
		if (!booleanPointInPolygon(p, outline)) continue;
		if (nearestRione([lon, lat]) !== rione) continue;
		return [lon, lat];
	}
	fail(`could not place ${key} inside ${rione}`);
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

// Street names: ANNCSU `denominazione`, written in title case for display.
const streets = new Set(
	(
		parseCsv(fs.readFileSync(path.join(DATA_DIR, 'addresses/anncsu_odonimi_lecco.csv'), 'utf8'), {
			columns: true,
			skip_empty_lines: true
		}) as Record<string, string>[]
	).map((row) => row.denominazione!.trim())
);
const ORGS = readRecords();

function build(): DirectoryBundle {
	const orgRefs = new Set<string>();
	const organizations = ORGS.map((org, index) => {
		const where = `organisation ${org.ref}`;
		if (!KEBAB.test(org.ref)) fail(`${where}: ref is not kebab-case`);
		if (orgRefs.has(org.ref)) fail(`${where}: duplicate ref`);
		orgRefs.add(org.ref);
		if (!org.name.endsWith(' (esempio)')) fail(`${where}: name must end with " (esempio)"`);

		const locationRefs = new Set<string>();
		const locations = org.locations.map((loc) => {
			const at = `${where}, location ${loc.ref}`;
			if (!KEBAB.test(loc.ref)) fail(`${at}: ref is not kebab-case`);
			if (locationRefs.has(loc.ref)) fail(`${at}: duplicate ref`);
			locationRefs.add(loc.ref);
			const [lon, lat] = place(loc.rione, `${org.ref}/${loc.ref}`);
			if (loc.confidential) {
				if (loc.street) fail(`${at}: a confidential location must not carry a street address`);
				return { ref: loc.ref, name: loc.name, lon, lat, city: 'Lecco', confidential: true };
			}
			if (!loc.street || !loc.number) fail(`${at}: street and number are required`);
			if (!streets.has(loc.street)) fail(`${at}: "${loc.street}" is not an ANNCSU street of Lecco`);
			return {
				ref: loc.ref,
				name: loc.name,
				lon,
				lat,
				address: `${titleCase(loc.street)} ${loc.number}`,
				postal_code: '23900',
				city: 'Lecco',
				confidential: false
			};
		});

		const serviceRefs = new Set<string>();
		const usedLocations = new Set<string>();
		const services = org.services.map((svc) => {
			const at = `${where}, service ${svc.ref}`;
			if (!KEBAB.test(svc.ref)) fail(`${at}: ref is not kebab-case`);
			if (serviceRefs.has(svc.ref)) fail(`${at}: duplicate ref`);
			serviceRefs.add(svc.ref);
			const places = Object.entries(svc.at);
			if (places.length === 0) fail(`${at}: offered nowhere`);
			for (const [location, hours] of places) {
				if (!locationRefs.has(location)) fail(`${at}: unknown location ${location}`);
				usedLocations.add(location);
				if (hours !== null) checkHours(hours, `${at} at ${location}`);
			}
			for (const phone of svc.phones ?? [])
				if (!/^0341 000 2[0-9]{2}$/.test(phone.number)) fail(`${at}: phone "${phone.number}" is not a fictional 0341 000 2xx number`);
			return {
				ref: svc.ref,
				name: svc.name,
				description: svc.description,
				category: svc.category,
				needs: svc.needs,
				audiences: svc.audiences,
				accepting_new: svc.accepting_new,
				...(svc.url ? { url: svc.url } : {}),
				phones: svc.phones ?? [],
				at: places.map(([location, opening_hours]) => ({ location, opening_hours }))
			};
		});
		for (const ref of locationRefs) if (!usedLocations.has(ref)) fail(`${where}: location ${ref} offers no service`);

		const phoneSuffix = 101 + index;
		if (phoneSuffix > 199) fail('too many organisations for the 0341 000 1xx numbering');
		return {
			ref: org.ref,
			name: org.name,
			kind: org.kind,
			description: org.description,
			// Shops are reached by phone or in person; everyone else has a (fictional) e-mail.
			...(org.kind === 'shop' ? {} : { email: `${org.ref}@example.org` }),
			...(org.website ? { website: org.website } : {}),
			phones: [{ number: `0341 000 ${phoneSuffix}` }],
			locations,
			services
		};
	});

	return directoryBundle.parse({
		source: SOURCE,
		verified_at: VERIFIED_AT,
		demo: true,
		organizations
	});
}

/** Coverage promised by the demo: every rione, Germanedo's after-school, the confidential places. */
function checkCoverage(bundle: DirectoryBundle): void {
	const rioneOf = new Map<string, Rione>();
	for (const org of ORGS) for (const loc of org.locations) rioneOf.set(`${org.ref}/${loc.ref}`, loc.rione);

	const byRione = new Map<Rione, Set<CategoryCode>>(RIONE_NAMES.map((r) => [r, new Set()]));
	for (const org of bundle.organizations)
		for (const svc of org.services)
			for (const at of svc.at) byRione.get(rioneOf.get(`${org.ref}/${at.location}`)!)!.add(svc.category);
	for (const [rione, categories] of byRione) {
		if (!categories.has('shop')) fail(`${rione} has no neighbourhood shop`);
		if (!categories.has('custodia')) fail(`${rione} has no custodia sociale point`);
		if (!['parish', 'partner', 'institution', 'school'].some((c) => categories.has(c as CategoryCode)))
			fail(`${rione} has no parish, association or public service`);
	}

	// Germanedo: at least two after-school services open on weekday afternoons, and food help.
	const weekdayAfternoons = [2, 3, 4, 5, 6].map((day) => new Date(2026, 10, day, 16, 0)); // Mon 2 – Fri 6 Nov 2026
	let homework = 0;
	let food = 0;
	for (const org of bundle.organizations)
		for (const svc of org.services)
			for (const at of svc.at) {
				if (rioneOf.get(`${org.ref}/${at.location}`) !== 'Germanedo') continue;
				if (svc.needs.includes('food')) food++;
				if (!svc.needs.includes('homework') || !at.opening_hours) continue;
				const oh = new opening_hours(at.opening_hours, HOURS_CONTEXT);
				if (weekdayAfternoons.every((d) => oh.getState(d))) homework++;
			}
	if (homework < 2) fail(`Germanedo has ${homework} after-school services open on weekday afternoons (need 2)`);
	if (food < 1) fail('Germanedo has no food help');

	const confidential = bundle.organizations.flatMap((o) => o.locations.filter((l) => l.confidential));
	if (confidential.length < 2 || confidential.length > 3) fail(`${confidential.length} confidential locations (want 2–3)`);
}

const bundle = build();
checkCoverage(bundle);
fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
fs.writeFileSync(OUTPUT, `${JSON.stringify(bundle, null, 2)}\n`);

const locationCount = bundle.organizations.reduce((n, o) => n + o.locations.length, 0);
const serviceCount = bundle.organizations.reduce((n, o) => n + o.services.length, 0);
console.info(
	`Wrote ${path.relative(REPO_ROOT, OUTPUT)}: ${bundle.organizations.length} organisations, ${locationCount} locations, ${serviceCount} services (all fictional).`
);
