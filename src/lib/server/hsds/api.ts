import { isUuid } from '../../domain/ids';
import { ApiError, badRequest } from '../api/http';
import * as params from '../api/params';
import * as db from '../db/hsds';
import { countOf } from './counts';
import { organizationObject, phoneObject, serviceAtLocationObject, serviceObject, serviceSummary, locationObject } from './objects';
import { ALL_TERMS, codesOfTerms, HSDS_VERSION, OPENAPI_PATH, PROFILE_PATH, TAXONOMIES, taxonomyId, taxonomyObject } from './profile';

/**
 * The HSDS 3.1 API's answers as plain data (routes under src/routes/hsds wrap them): the query
 * parameters of the HSDS OpenAPI document read into the public API's filter (api/params.ts rules:
 * a malformed value is a 400 saying what a good one looks like), pages as HSDS `Page` objects.
 */

export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 500;

/** HSDS `Page`: the paging metadata with the page's contents. */
export interface Page<T> {
	total_items: number;
	total_pages: number;
	page_number: number;
	size: number;
	first_page: boolean;
	last_page: boolean;
	empty: boolean;
	contents: T[];
}

export function pageOf<T>(contents: T[], total: number, request: db.PageRequest): Page<T> {
	const totalPages = Math.ceil(total / request.perPage);
	return {
		total_items: total,
		total_pages: totalPages,
		page_number: request.page,
		size: contents.length,
		first_page: request.page === 1,
		last_page: request.page >= totalPages,
		empty: contents.length === 0,
		contents
	};
}

export function pageRequest(query: URLSearchParams): db.PageRequest {
	return {
		page: params.integer(query, 'page', { min: 1, max: 1_000_000, fallback: 1 }),
		perPage: params.integer(query, 'per_page', { min: 1, max: MAX_PER_PAGE, fallback: DEFAULT_PER_PAGE })
	};
}

/** `include_demo=true` (Lecco profile): the demo set's fictional records too, marked `x_demo`. */
export const includeDemo = (query: URLSearchParams) => params.boolean(query, 'include_demo') ?? false;

function uuids(query: URLSearchParams, name: string): string[] | undefined {
	const given = query
		.getAll(name)
		.flatMap((value) => value.split(','))
		.map((value) => value.trim())
		.filter((value) => value !== '');
	if (given.length === 0) return undefined;
	const bad = given.find((id) => !isUuid(id));
	if (bad !== undefined) badRequest(`${name} must be one or more ids (UUIDs, comma-separated), not "${bad.slice(0, 60)}"`);
	return given;
}

function dateTime(query: URLSearchParams, name: string): Date | undefined {
	const raw = params.text(query, name, 40);
	if (raw === undefined) return undefined;
	// ISO 8601: a date, or a date and time with an optional offset (no offset: UTC).
	const match = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(raw);
	const date = match ? new Date(match[1] && !match[4] ? `${raw}Z` : raw) : null;
	if (!date || Number.isNaN(date.getTime())) badRequest(`${name} must be an ISO 8601 date or date-time, e.g. ${name}=2026-01-31T00:00:00Z`);
	return date;
}

/** `proximity=LAT,LON,KM`: within KM kilometres (up to 50) of a point. */
function proximity(query: URLSearchParams): db.HsdsFilter['near'] {
	const raw = params.text(query, 'proximity', 100);
	if (raw === undefined) return undefined;
	const example = 'proximity=45.8555,9.3905,2 (latitude,longitude in degrees, kilometres)';
	const parts = raw.split(',').map((part) => part.trim());
	const numbers = parts.map((part) => (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(part) ? Number(part) : Number.NaN));
	if (numbers.length !== 3 || numbers.some((n) => Number.isNaN(n))) badRequest(`proximity must be three numbers, e.g. ${example}`);
	const [lat, lon, km] = numbers as [number, number, number];
	if (lat < -90 || lat > 90 || lon < -180 || lon > 180) badRequest(`proximity: the point is outside the world's coordinates. Expected ${example}`);
	if (!(km > 0 && km <= 50)) badRequest(`proximity: the distance must be more than 0 and at most 50 km, not ${km}`);
	return { lat, lon, radius: Math.round(km * 1000) };
}

function refuseUnsupported(query: URLSearchParams) {
	const format = params.text(query, 'format', 20);
	if (format !== undefined && format !== 'json') badRequest(`format "${format}" is not supported: answers are JSON (format=json)`);
	if (params.text(query, 'postcode', 20) !== undefined) badRequest('postcode is not supported: use proximity=LAT,LON,KM');
}

/** Not a category code (codes are lower-case letters and underscores): matches nothing. */
const NO_CATEGORY = '-';

/** The filter shared by the lists of services, organisations and services at locations. */
export function hsdsFilter(query: URLSearchParams, options: { proximity: boolean }): db.HsdsFilter {
	refuseUnsupported(query);
	const terms = uuids(query, 'taxonomy_term_id');
	const organizationId = uuids(query, 'organization_id');
	if (organizationId && organizationId.length > 1) badRequest('organization_id was given more than once: give one id');
	const filter: db.HsdsFilter = {
		q: params.text(query, 'search', 200),
		modifiedAfter: dateTime(query, 'modified_after'),
		organizationId: organizationId?.[0],
		excludeDemo: !includeDemo(query),
		near: options.proximity ? proximity(query) : undefined
	};
	if (terms) {
		const codes = codesOfTerms(terms);
		// An id that names no term of the atlas matches nothing (it may be another system's term).
		if (codes.unknown.length > 0 && codes.categories.length + codes.needs.length + codes.audiences.length === 0) {
			return { ...filter, categories: [NO_CATEGORY] };
		}
		Object.assign(filter, {
			categories: codes.categories.length ? codes.categories : undefined,
			needs: codes.needs.length ? codes.needs : undefined,
			audiences: codes.audiences.length ? codes.audiences : undefined
		});
	}
	return filter;
}

async function sourcesById() {
	return new Map((await db.allSources()).map((source) => [source.id, source]));
}

/** `GET /hsds/`: what this API is (absolute URLs, as the OpenAPI document's `format: uri` asks). */
export function meta(origin: string) {
	return { version: HSDS_VERSION, profile: `${origin}${PROFILE_PATH}`, openapi_url: `${origin}${OPENAPI_PATH}` };
}

export async function servicePage(query: URLSearchParams) {
	const request = pageRequest(query);
	const filter = hsdsFilter(query, { proximity: false });
	const [rows, total, sources] = await Promise.all([db.servicePage(filter, request), countOf('service', filter), sourcesById()]);
	const demo = !filter.excludeDemo;
	return pageOf(
		rows.map((row) => serviceSummary(row, { source: sources.get(row.source_id), demo })),
		total,
		request
	);
}

/** Fully nested services of these ids, in the order the rows come (name order). */
export async function nestedServices(ids: string[], options: { excludeDemo: boolean }) {
	const rows = await db.servicesById(ids, options);
	if (rows.length === 0) return [];
	const serviceIds = rows.map((row) => row.id);
	const organizationIds = [...new Set(rows.map((row) => row.organization_id))];
	const [organizations, phones, links, pins, sources] = await Promise.all([
		db.organizationsById(organizationIds, options),
		db.phonesOf(serviceIds, organizationIds),
		db.linksOf(serviceIds),
		db.pinsOfServices(serviceIds),
		sourcesById()
	]);
	const organizationOf = new Map(organizations.map((o) => [o.id, o]));
	const linksOf = new Map(links.map((l) => [l.service_id, l]));
	const pinsOf = new Map<string, typeof pins>();
	for (const pin of pins) pinsOf.set(pin.service_id, [...(pinsOf.get(pin.service_id) ?? []), pin]);
	const demo = !options.excludeDemo;
	return rows.map((row) =>
		serviceObject(row, {
			organization: organizationOf.get(row.organization_id),
			phones: phones.filter((p) => p.service_id === row.id || p.organization_id === row.organization_id),
			links: linksOf.get(row.id),
			pins: pinsOf.get(row.id) ?? [],
			source: sources.get(row.source_id),
			demo
		})
	);
}

export async function service(id: string, query: URLSearchParams) {
	const [found] = await nestedServices([id], { excludeDemo: !includeDemo(query) });
	if (!found) throw new ApiError(404, `No public service has the id "${id}".`);
	return found;
}

export async function organizationPage(query: URLSearchParams) {
	const request = pageRequest(query);
	const filter = hsdsFilter(query, { proximity: false });
	const [rows, total, sources] = await Promise.all([db.organizationPage(filter, request), countOf('organization', filter), sourcesById()]);
	const demo = !filter.excludeDemo;
	return pageOf(
		rows.map((row) => organizationObject(row, { source: sources.get(row.source_id), demo })),
		total,
		request
	);
}

/** An organisation with its phones, public places and services (the services' one-to-one fields). */
export async function organization(id: string, query: URLSearchParams) {
	const excludeDemo = !includeDemo(query);
	const [row] = await db.organizationsById([id], { excludeDemo });
	if (!row) throw new ApiError(404, `No organization with public services has the id "${id}".`);
	const serviceIds = await db.serviceIdsOfOrganization(row.id);
	const [services, phones, pins, sources] = await Promise.all([
		db.servicesById(serviceIds, { excludeDemo }),
		db.phonesOf([], [row.id]),
		db.pinsOfServices(serviceIds),
		sourcesById()
	]);
	const source = sources.get(row.source_id);
	const locations = [...new Map(pins.map((pin) => [pin.location_id, locationObject(pin)])).values()];
	return {
		...organizationObject(row, { phones, source, demo: !excludeDemo }),
		phones: phones.map(phoneObject),
		locations,
		services: services.map((s) => serviceSummary(s, { source, demo: !excludeDemo }))
	};
}

export async function serviceAtLocationPage(query: URLSearchParams) {
	const request = pageRequest(query);
	const filter = hsdsFilter(query, { proximity: true });
	const [rows, total] = await Promise.all([db.pinPage(filter, request), countOf('pin', filter)]);
	return pageOf(
		rows.map((pin) => serviceAtLocationObject(pin, { schedules: false })),
		total,
		request
	);
}

const matches = (search: string | undefined, ...texts: string[]) =>
	search === undefined || texts.some((text) => text.toLocaleLowerCase('it').includes(search.toLocaleLowerCase('it')));

export function taxonomyPage(query: URLSearchParams) {
	refuseUnsupported(query);
	const request = pageRequest(query);
	const search = params.text(query, 'search', 200);
	const all = TAXONOMIES.map(taxonomyObject).filter((t) => matches(search, t.name, t.description));
	return pageOf(all.slice((request.page - 1) * request.perPage, request.page * request.perPage), all.length, request);
}

export function taxonomyTermPage(query: URLSearchParams) {
	refuseUnsupported(query);
	const request = pageRequest(query);
	const search = params.text(query, 'search', 200);
	const taxonomies = uuids(query, 'taxonomy_id');
	const wanted = taxonomies && new Set(taxonomies.map((id) => id.toLowerCase()));
	const all = ALL_TERMS.filter(
		({ taxonomy, term, object }) => (!wanted || wanted.has(taxonomyId(taxonomy.code))) && matches(search, object.name, term.label_en, term.code)
	).map(({ object }) => object);
	return pageOf(all.slice((request.page - 1) * request.perPage, request.page * request.perPage), all.length, request);
}
