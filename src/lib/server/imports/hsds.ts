import { parse as parseCsv } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { IMPORT_FIELDS, PACKAGE_FIELDS, phonesText, type ImportTable } from '../../domain/imports';
import { ALL_TERMS, TAXONOMIES, taxonomyId, type Taxonomy } from '../hsds/profile';
import { openingHoursOf } from '../hsds/schedule';
// The pinned descriptor itself, not hsds/tables.ts: that reads the schemas through Vite's glob, which `npm run import` (tsx) lacks.
import pinned from '../hsds/spec/datapackage.json';
import { derivedId } from '../hsds/ids';
import { ImportFileError } from './files';

/**
 * An HSDS 3.1 tabular data package — a zip of `datapackage.json` and one CSV per table, as the
 * pinned definitions (src/lib/server/hsds/spec/datapackage.json) name them — into
 * import rows: **one row per service at each of its places** (HSDS `service_at_location`; a
 * service offered nowhere is one row without a place, an organisation without services one row
 * per place, its own name standing for the service, as a CSV's row does). Each row carries the
 * organisation (its id is the row's `ref`), the place (its address, accessibility, and
 * `x_approximate` as confidential), the service (phones, `x_accepting_new`, capacity, rioni), the
 * place's schedules as one OSM opening_hours expression (hsds/schedule.ts), and the service's
 * taxonomy terms as the atlas's category, needs and audiences (the Lecco profile's terms; any
 * other term is put where the row's report shows it as a problem). The package's and place's and
 * service's ids go in the rows ({@link PACKAGE_FIELDS}), so the import groups an organisation's rows
 * into one record and a re-import finds each place and service again. The columns carry the
 * import's own field names, so the mapping needs no guessing.
 */

type Row = Record<string, string>;

/** The tables read, by their HSDS names; their files are the pinned package's (or the package's own list's). */
const TABLES = [
	'organization',
	'service',
	'location',
	'service_at_location',
	'address',
	'phone',
	'schedule',
	'accessibility',
	'attribute',
	'taxonomy',
	'taxonomy_term',
	'service_area',
	'service_capacity',
	'unit'
] as const;
type Table = (typeof TABLES)[number];

const COLUMNS = [...IMPORT_FIELDS, ...PACKAGE_FIELDS];

interface Descriptor {
	resources?: { name?: unknown; path?: unknown }[];
	licenses?: { name?: unknown; title?: unknown }[];
	sources?: { title?: unknown; attribution?: unknown; license?: unknown }[];
	x_attribution?: unknown;
}

const utf8 = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);

/** The package's descriptor and each table's file in the zip (its own resource list, else the pinned names). */
function manifestOf(files: Record<string, Uint8Array>): { descriptor: Descriptor; paths: Record<Table, string> } {
	const manifest = Object.keys(files).find((name) => name === 'datapackage.json' || name.endsWith('/datapackage.json'));
	if (!manifest) throw new ImportFileError('format', 'no datapackage.json in the zip');
	const base = manifest.slice(0, -'datapackage.json'.length);
	let descriptor: Descriptor;
	try {
		descriptor = JSON.parse(utf8(files[manifest]!)) as Descriptor;
	} catch {
		throw new ImportFileError('unreadable', 'datapackage.json is not JSON');
	}
	if (!descriptor || typeof descriptor !== 'object') throw new ImportFileError('unreadable', 'datapackage.json is not an object');
	const paths = {} as Record<Table, string>;
	for (const resource of Array.isArray(descriptor.resources) ? descriptor.resources : []) {
		if (typeof resource?.name === 'string' && typeof resource.path === 'string' && (TABLES as readonly string[]).includes(resource.name)) {
			paths[resource.name as Table] = base + resource.path;
		}
	}
	for (const table of TABLES) paths[table] ??= base + (pinned.resources as { name: string; path: string }[]).find((r) => r.name === table)!.path;
	return { descriptor, paths };
}

/**
 * Who to credit, from the descriptor: its `x_attribution` lines (the atlas's own packages), else
 * each source's attribution or title with its licence, else its licences; empty when it says nothing.
 */
function creditsOf(descriptor: Descriptor): string {
	const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
	if (Array.isArray(descriptor.x_attribution)) {
		const lines = descriptor.x_attribution.map(text).filter(Boolean);
		if (lines.length > 0) return lines.join('; ');
	}
	const sources = (Array.isArray(descriptor.sources) ? descriptor.sources : [])
		.map((s) => [text(s?.attribution) || text(s?.title), text(s?.license)].filter(Boolean).join(', '))
		.filter(Boolean);
	if (sources.length > 0) return sources.join('; ');
	return (Array.isArray(descriptor.licenses) ? descriptor.licenses : [])
		.map((l) => text(l?.title) || text(l?.name))
		.filter(Boolean)
		.join('; ');
}

function readTable(files: Record<string, Uint8Array>, path: string): Row[] {
	const bytes = files[path];
	if (!bytes) return [];
	try {
		return parseCsv(utf8(bytes), { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true }) as Row[];
	} catch (error) {
		throw new ImportFileError('unreadable', `${path}: ${(error as Error).message}`);
	}
}

function groupBy(rows: Row[], key: string): Map<string, Row[]> {
	const map = new Map<string, Row[]>();
	for (const row of rows) {
		const value = row[key];
		if (!value) continue;
		if (!map.has(value)) map.set(value, []);
		map.get(value)!.push(row);
	}
	return map;
}

/** The atlas's taxonomy of a package's term: by the term's id (the profile's ids are the same everywhere), its taxonomy's id or name, or the attribute's link type. */
function taxonomyOf(term: Row | undefined, attribute: Row): Taxonomy | undefined {
	const byId = term && ALL_TERMS.find((entry) => entry.object.id === term.id?.toLowerCase());
	if (byId) return byId.taxonomy;
	const names = [term?.taxonomy, attribute.link_type].map((n) => n?.trim().toLowerCase());
	return TAXONOMIES.find((t) => term?.taxonomy_id?.toLowerCase() === taxonomyId(t.code) || names.includes(t.code));
}

/** A service's terms: the atlas's category, needs and audiences (codes, or the package's code for a term the atlas lacks), and the terms of other taxonomies. */
function termsOf(attributes: Row[], termById: Map<string, Row>, taxonomyName: Map<string, string>) {
	const codes: Record<Taxonomy['code'], string[]> = { category: [], need: [], audience: [] };
	const other: string[] = [];
	for (const attribute of attributes) {
		const term = termById.get(attribute.taxonomy_term_id ?? '');
		const taxonomy = taxonomyOf(term, attribute);
		const code = (term?.code || attribute.value || term?.name || attribute.taxonomy_term_id || '').trim();
		if (!code) continue;
		if (taxonomy) codes[taxonomy.code].push(code);
		else other.push(`${taxonomyName.get(term?.taxonomy_id ?? '') || term?.taxonomy || attribute.link_type || '?'}: ${code}`);
	}
	return { codes, other };
}

/** The profile's capacity unit (people): its id, or a unit named so. */
const isPeople = (unit: Row | undefined, unitId: string | undefined) =>
	unitId === derivedId('unit', 'person') || (unit !== undefined && ['person', 'persone', 'people'].includes((unit.identifier || unit.name || '').trim().toLowerCase()));

export function readHsdsPackage(bytes: Uint8Array): ImportTable {
	let files: Record<string, Uint8Array>;
	try {
		files = unzipSync(bytes);
	} catch (error) {
		throw new ImportFileError('unreadable', `not a zip: ${(error as Error).message}`);
	}
	const { descriptor, paths } = manifestOf(files);
	const organizations = readTable(files, paths.organization);
	if (organizations.length === 0) throw new ImportFileError(files[paths.organization] ? 'empty' : 'format', 'no organizations');
	const t = Object.fromEntries(TABLES.filter((name) => name !== 'organization').map((name) => [name, readTable(files, paths[name])])) as Record<Table, Row[]>;

	const servicesOf = groupBy(t.service, 'organization_id');
	const locationById = new Map(t.location.map((l) => [l.id, l]));
	const locationsOf = groupBy(t.location, 'organization_id');
	const pinsOf = groupBy(t.service_at_location, 'service_id');
	const addressesOf = groupBy(t.address, 'location_id');
	const accessibilityOf = groupBy(t.accessibility, 'location_id');
	const areasOf = groupBy(t.service_area, 'service_id');
	const capacitiesOf = groupBy(t.service_capacity, 'service_id');
	const unitById = new Map(t.unit.map((u) => [u.id, u]));
	const termById = new Map(t.taxonomy_term.map((term) => [term.id ?? '', term]));
	const taxonomyName = new Map(t.taxonomy.map((x) => [x.id ?? '', x.name ?? '']));
	const attributesOf = groupBy(
		t.attribute.filter((a) => !a.link_entity || a.link_entity === 'service'),
		'link_id'
	);
	const schedulesByPin = groupBy(t.schedule, 'service_at_location_id');
	const schedulesByService = groupBy(t.schedule, 'service_id');
	const schedulesByLocation = groupBy(t.schedule, 'location_id');
	const schedulesOf = (pin: Row | undefined, serviceId: string | undefined, locationId: string | undefined): Row[] => {
		// The pin's own, else the service's at that place, else the service's, else the place's.
		const ofService = schedulesByService.get(serviceId ?? '') ?? [];
		const candidates = [
			schedulesByPin.get(pin?.id ?? '') ?? [],
			locationId ? ofService.filter((s) => s.location_id === locationId) : [],
			ofService.filter((s) => !s.location_id && !s.service_at_location_id),
			(schedulesByLocation.get(locationId ?? '') ?? []).filter((s) => !s.service_id && !s.service_at_location_id)
		];
		return candidates.find((found) => found.length > 0) ?? [];
	};
	// Phones of the organisation, else of its places (the atlas has no phones of a place); a service's its own.
	const phonesBy = (key: string) => groupBy(t.phone, key);
	const orgPhones = phonesBy('organization_id');
	const servicePhones = phonesBy('service_id');
	const placePhones = phonesBy('location_id');
	const phones = (rows: Row[] | undefined) => phonesText((rows ?? []).map((p) => ({ number: p.number ?? '', description: p.description || null })));

	const records: Row[] = [];
	const rowOf = (org: Row, service: Row | undefined, pin: Row | undefined, location: Row | undefined) => {
		const address = addressesOf.get(location?.id ?? '')?.find((a) => !a.address_type || a.address_type === 'physical') ?? addressesOf.get(location?.id ?? '')?.[0];
		const terms = service ? termsOf(attributesOf.get(service.id ?? '') ?? [], termById, taxonomyName) : { codes: { category: [], need: [], audience: [] }, other: [] };
		const hours = openingHoursOf(schedulesOf(pin, service?.id, location?.id));
		const capacity = (capacitiesOf.get(service?.id ?? '') ?? []).find((c) => isPeople(unitById.get(c.unit_id ?? ''), c.unit_id));
		const orgLocationPhones = (locationsOf.get(org.id ?? '') ?? []).flatMap((l) => placePhones.get(l.id ?? '') ?? []);
		const row: Row = {
			ref: org.id ?? '',
			name: org.name ?? '',
			// No category term: an association, as a CSV without a category column.
			kind: terms.codes.category.join('; ') || 'partner',
			description: org.description ?? '',
			email: org.email ?? '',
			website: org.website ?? '',
			phone: phones(orgPhones.get(org.id ?? '')?.filter((p) => !p.service_id) ?? orgLocationPhones),
			address: [address?.address_1, address?.address_2].filter(Boolean).join(', '),
			postal_code: address?.postal_code ?? '',
			city: address?.city ?? '',
			lon: location?.longitude ?? '',
			lat: location?.latitude ?? '',
			service: service?.name ?? '',
			needs: terms.codes.need.join('; '),
			audiences: terms.codes.audience.join('; '),
			opening_hours: hours ? ('expression' in hours ? hours.expression : hours.unreadable) : '',
			accessibility: (accessibilityOf.get(location?.id ?? '') ?? [])
				.map((a) => a.description?.trim())
				.filter(Boolean)
				.join(' '),
			confidential: location?.x_approximate === 'true' ? 'sì' : '',
			location_ref: location?.id ?? '',
			service_ref: service?.id ?? '',
			location_name: location?.name ?? '',
			service_description: service?.description ?? '',
			service_email: service?.email ?? '',
			service_url: service?.url ?? '',
			service_phone: phones(servicePhones.get(service?.id ?? '')),
			accepting_new: service?.x_accepting_new ?? '',
			capacity: capacity?.maximum || capacity?.available || '',
			areas: (areasOf.get(service?.id ?? '') ?? [])
				.map((a) => a.name?.trim())
				.filter(Boolean)
				.join('; '),
			terms: terms.other.join('; ')
		};
		records.push(Object.fromEntries(COLUMNS.map((c) => [c, row[c] ?? ''])));
	};
	const known = new Set(organizations.map((o) => o.id));
	for (const org of organizations) {
		const services = servicesOf.get(org.id ?? '') ?? [];
		if (services.length === 0) {
			const places = locationsOf.get(org.id ?? '') ?? [];
			if (places.length === 0) rowOf(org, undefined, undefined, undefined);
			for (const place of places) rowOf(org, undefined, undefined, place);
		}
		for (const service of services) {
			const pins = pinsOf.get(service.id ?? '') ?? [];
			if (pins.length === 0) rowOf(org, service, undefined, undefined);
			for (const pin of pins) rowOf(org, service, pin, locationById.get(pin.location_id ?? ''));
		}
	}
	// A service of no organisation in the file is a row too: its report says what it lacks.
	for (const service of t.service.filter((s) => !known.has(s.organization_id))) {
		const pins = pinsOf.get(service.id ?? '') ?? [];
		if (pins.length === 0) rowOf({}, service, undefined, undefined);
		for (const pin of pins) rowOf({}, service, pin, locationById.get(pin.location_id ?? ''));
	}
	return { format: 'hsds', columns: COLUMNS, records, credits: creditsOf(descriptor) };
}
