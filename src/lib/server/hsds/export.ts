import { strToU8, zipSync } from 'fflate';
import * as db from '../db/hsds';
import * as publicApi from '../api/public';
import { nestedServices } from './api';
import { keptWhileUnchanged } from './counts';
import { ALL_TERMS, PROFILE_PATH, TAXONOMIES, taxonomyObject } from './profile';
import { HSDS_TABLES, resourceDescriptor, SPEC_PACKAGE, toCsv } from './tables';

/**
 * The open-data exports of the public directory, each carrying its sources' attribution: the HSDS
 * 3.1 tabular data package (a CSV per table and `datapackage.json`, zipped) and a GeoJSON
 * FeatureCollection of the public resources (the `/api/resources` features, every one of them).
 * Demo records are left out unless asked for.
 */

type Row = Record<string, unknown>;
type Nested = Awaited<ReturnType<typeof nestedServices>>[number];

/** Splits fully nested services into HSDS tables (nested objects become rows of their own table). */
export function tablesOf(services: Nested[]): Map<string, Row[]> {
	const tables = new Map<string, Map<string, Row>>(HSDS_TABLES.map((table) => [table.name, new Map()]));
	const put = (table: string, row: Row | undefined) => {
		if (row && typeof row.id === 'string') tables.get(table)?.set(row.id, row);
	};
	const scalars = (object: Row): Row => Object.fromEntries(Object.entries(object).filter(([, value]) => typeof value !== 'object'));
	for (const service of services as Row[]) {
		put('service', scalars(service));
		const organization = service.organization as Row | undefined;
		if (organization) {
			put('organization', scalars(organization));
			for (const phone of (organization.phones as Row[] | undefined) ?? []) put('phone', phone);
		}
		for (const phone of (service.phones as Row[] | undefined) ?? []) put('phone', phone);
		for (const area of (service.service_areas as Row[] | undefined) ?? []) put('service_area', area);
		for (const attribute of (service.attributes as Row[] | undefined) ?? []) put('attribute', scalars(attribute));
		for (const capacity of (service.capacities as Row[] | undefined) ?? []) {
			put('service_capacity', scalars(capacity));
			put('unit', capacity.unit as Row);
		}
		for (const pin of (service.service_at_locations as Row[] | undefined) ?? []) {
			put('service_at_location', scalars(pin));
			for (const schedule of (pin.schedules as Row[] | undefined) ?? []) put('schedule', schedule);
			const location = pin.location as Row;
			put('location', scalars(location));
			for (const address of (location.addresses as Row[] | undefined) ?? []) put('address', address);
			for (const note of (location.accessibility as Row[] | undefined) ?? []) put('accessibility', note);
		}
	}
	for (const taxonomy of TAXONOMIES) put('taxonomy', { ...taxonomyObject(taxonomy) });
	for (const { object } of ALL_TERMS) put('taxonomy_term', { ...object });
	// Keep the service_capacity key the pinned package declares (service_id + unit_id) and its id.
	return new Map([...tables].map(([name, rows]) => [name, [...rows.values()]]));
}

/** The sources' attribution, one line each, for the exports and their README. */
function attributionLines(sources: db.SourceRow[]): string[] {
	return sources.map((source) => `${source.attribution} — ${source.name}, ${source.licence}${source.url ? ` (${source.url})` : ''}`);
}

const README = (origin: string, sources: db.SourceRow[], modified: string) => `Atlante di comunità (Comune di Lecco) — public directory as an HSDS 3.1 tabular data package

Data as of ${modified}. One CSV per HSDS table, described by datapackage.json; columns named x_…
are the Lecco profile's extensions (${origin}${PROFILE_PATH}). Confidential places appear only as
their rione's point, without name or address. The same data: ${origin}/hsds/ (HSDS API).

Sources and attribution (credit them when you reuse the data):
${attributionLines(sources)
	.map((line) => `- ${line}`)
	.join('\n')}

Table structure: Human Services Data Specification 3.1, an Open Referral resource
(https://openreferral.org/), CC BY-SA 4.0.
`;

function latestModified(services: Nested[]): string {
	const dates = services.map((service) => String((service as Row).last_modified ?? '')).filter(Boolean).sort();
	return dates.at(-1) ?? '1970-01-01T00:00:00.000Z';
}

/**
 * The zipped HSDS tabular data package of the public directory, built again once the directory
 * has changed (or after 5 minutes: a service's status follows its temporary closure's days).
 */
export function dataPackage(origin: string, options: { excludeDemo: boolean }): Promise<Uint8Array<ArrayBuffer>> {
	return keptWhileUnchanged(`datapackage ${origin} ${options.excludeDemo}`, 300_000, () => buildDataPackage(origin, options));
}

async function buildDataPackage(origin: string, options: { excludeDemo: boolean }): Promise<Uint8Array<ArrayBuffer>> {
	const ids = await db.publicServiceIds(options);
	const [services, sources] = await Promise.all([nestedServices(ids, options), db.sourcesOfPublicRecords(options)]);
	const tables = tablesOf(services);
	const modified = latestModified(services);
	const files: Record<string, Uint8Array> = {};
	const resources = HSDS_TABLES.map((table) => {
		const rows = tables.get(table.name) ?? [];
		const { csv, columns } = toCsv(table, rows);
		files[table.path] = strToU8(csv);
		return resourceDescriptor(table, columns, rows);
	});
	const descriptor = {
		profile: 'tabular-data-package',
		name: 'atlante-lecco-hsds',
		title: 'Atlante di comunità (Comune di Lecco): public directory, HSDS 3.1',
		description: `The public directory of the Atlante di comunità as Open Referral HSDS ${SPEC_PACKAGE.version.replace(/\.0$/, '')} tables (HSDS 3.1 schemas, Lecco profile: ${origin}${PROFILE_PATH}). Confidential places only as their rione's point.`,
		homepage: `${origin}/fonti`,
		version: modified.slice(0, 10),
		created: modified,
		sources: sources.map((source) => ({ title: source.name, path: source.url ?? undefined, attribution: source.attribution, license: source.licence })),
		licenses: [...new Set(sources.map((source) => source.licence))].map((name) => ({ name })),
		x_attribution: attributionLines(sources),
		x_hsds_profile: `${origin}${PROFILE_PATH}`,
		x_specification: { name: SPEC_PACKAGE.name, license: SPEC_PACKAGE.license },
		resources
	};
	files['datapackage.json'] = strToU8(JSON.stringify(descriptor, null, 2));
	files['README.txt'] = strToU8(README(origin, sources, modified));
	// A fixed date in the archive: the same data gives the same bytes (and ETag) on every request.
	return new Uint8Array(zipSync(files, { mtime: new Date(Date.UTC(2000, 0, 1)) }));
}

/**
 * The public directory as GeoJSON: every public resource's feature, with the sources' attribution.
 * Kept while the directory stands, at most a minute (features say whether they are open now).
 */
export function directoryGeoJson(options: { excludeDemo: boolean }) {
	return keptWhileUnchanged(`geojson ${options.excludeDemo}`, 60_000, () => buildDirectoryGeoJson(options));
}

async function buildDirectoryGeoJson(options: { excludeDemo: boolean }) {
	const [collection, sources] = await Promise.all([
		publicApi.collectionFor({ limit: 1_000_000, excludeDemo: options.excludeDemo }),
		db.sourcesOfPublicRecords(options)
	]);
	return {
		...collection,
		// Foreign members (RFC 7946 §6.1): who the data comes from, under which licence.
		attribution: attributionLines(sources),
		sources: sources.map((source) => ({ id: source.id, name: source.name, licence: source.licence, url: source.url, attribution: source.attribution }))
	};
}
