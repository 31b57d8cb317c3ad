import { parse as parseCsv } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import type { ImportTable } from '../../domain/imports';
import { ImportFileError } from './files';

/**
 * An HSDS 3.1 tabular data package — a zip of `datapackage.json` and one CSV per table, as the
 * pinned definitions in ../shared/specs/hsds-3.1/datapackage.json name them — into import rows: one
 * row per organisation, with its first location (and that location's first address) and its first
 * service, its phone (the organisation's, else the service's or the location's). The columns carry
 * the import's own field names, so the mapping needs no guessing. HSDS has no category of ours: the
 * rows are associations unless a category column is mapped by hand.
 */

/** The tables read and their file names in the pinned HSDS 3.1 package (used when the package's own list lacks one). */
const TABLES = {
	organization: 'organizations.csv',
	location: 'locations.csv',
	address: 'addresses.csv',
	service: 'services.csv',
	service_at_location: 'service_at_location.csv',
	phone: 'phones.csv'
} as const;
type Table = keyof typeof TABLES;
type Row = Record<string, string>;

const COLUMNS = ['id', 'name', 'description', 'email', 'website', 'phone', 'address', 'postal_code', 'city', 'lat', 'lon', 'service'];

/** The package's own resource list (name → path), when it has a readable datapackage.json. */
function resourcePaths(files: Record<string, Uint8Array>): Partial<Record<Table, string>> {
	const manifest = Object.keys(files).find((name) => name === 'datapackage.json' || name.endsWith('/datapackage.json'));
	if (!manifest) throw new ImportFileError('format', 'no datapackage.json in the zip');
	const base = manifest.slice(0, -'datapackage.json'.length);
	try {
		const parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(files[manifest]!)) as { resources?: { name?: unknown; path?: unknown }[] };
		const paths: Partial<Record<Table, string>> = {};
		for (const resource of parsed.resources ?? []) {
			if (typeof resource.name === 'string' && typeof resource.path === 'string' && resource.name in TABLES) paths[resource.name as Table] = base + resource.path;
		}
		for (const table of Object.keys(TABLES) as Table[]) paths[table] ??= base + TABLES[table];
		return paths;
	} catch {
		throw new ImportFileError('unreadable', 'datapackage.json is not JSON');
	}
}

function readTable(files: Record<string, Uint8Array>, path: string | undefined): Row[] {
	const bytes = path ? files[path] : undefined;
	if (!bytes) return [];
	try {
		const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		return parseCsv(text, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true }) as Row[];
	} catch (error) {
		throw new ImportFileError('unreadable', `${path}: ${(error as Error).message}`);
	}
}

const byKey = (rows: Row[], key: string) => {
	const map = new Map<string, Row[]>();
	for (const row of rows) {
		const value = row[key];
		if (!value) continue;
		if (!map.has(value)) map.set(value, []);
		map.get(value)!.push(row);
	}
	return map;
};

export function readHsdsPackage(bytes: Uint8Array): ImportTable {
	let files: Record<string, Uint8Array>;
	try {
		files = unzipSync(bytes);
	} catch (error) {
		throw new ImportFileError('unreadable', `not a zip: ${(error as Error).message}`);
	}
	const paths = resourcePaths(files);
	const organizations = readTable(files, paths.organization);
	if (organizations.length === 0) throw new ImportFileError(paths.organization && files[paths.organization] ? 'empty' : 'format', 'no organizations');
	const locations = readTable(files, paths.location);
	const locationsOf = byKey(locations, 'organization_id');
	const locationById = new Map(locations.map((l) => [l.id, l]));
	const addressesOf = byKey(readTable(files, paths.address), 'location_id');
	const servicesOf = byKey(readTable(files, paths.service), 'organization_id');
	const pinsOf = byKey(readTable(files, paths.service_at_location), 'service_id');
	const phones = readTable(files, paths.phone);
	const phoneOf = (key: string, id: string | undefined) => (id ? phones.find((p) => p[key] === id)?.number : undefined);

	const records = organizations.map((org) => {
		const service = servicesOf.get(org.id ?? '')?.[0];
		// Its own location, else where its first service is offered.
		const location = locationsOf.get(org.id ?? '')?.[0] ?? locationById.get(pinsOf.get(service?.id ?? '')?.[0]?.location_id ?? '');
		const address = addressesOf.get(location?.id ?? '')?.[0];
		const record: Row = {
			id: org.id ?? '',
			name: org.name ?? '',
			description: org.description ?? '',
			email: org.email ?? '',
			website: org.website ?? '',
			phone: phoneOf('organization_id', org.id) ?? phoneOf('service_id', service?.id) ?? phoneOf('location_id', location?.id) ?? '',
			address: [address?.address_1, address?.address_2].filter(Boolean).join(', '),
			postal_code: address?.postal_code ?? '',
			city: address?.city ?? '',
			lat: location?.latitude ?? '',
			lon: location?.longitude ?? '',
			service: service?.name ?? ''
		};
		return Object.fromEntries(COLUMNS.map((c) => [c, record[c] ?? '']));
	});
	return { format: 'hsds', columns: COLUMNS, records };
}
