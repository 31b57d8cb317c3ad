import { isUuid } from '../../domain/ids';
import { sql } from './client';
import { selectPublicNotes, type PublicNotes } from './location-notes';
import { originOf, publicWhere, type ResourceFilter } from './resources';

/**
 * The HSDS API's and exports' reads (src/lib/server/hsds turns these rows into HSDS objects).
 * Every query selects through the `public_resource` view with the public API's own filter
 * (`publicWhere`), so the HSDS answers hold exactly what `/api/resources` may show: active
 * services at placed locations, a confidential place as its rione's point, no address.
 */

export interface HsdsFilter extends Omit<ResourceFilter, 'limit'> {
	organizationId?: string;
}

export interface PageRequest {
	/** 1-based. */
	page: number;
	perPage: number;
}

function whereOf(filter: HsdsFilter) {
	const base = publicWhere(filter);
	return filter.organizationId ? sql`${base} AND r.organization_id = ${filter.organizationId}::uuid` : base;
}

const offsetOf = (page: PageRequest) => (page.page - 1) * page.perPage;

/** A service's one-to-one fields, and what its HSDS object's extensions need. */
export interface ServiceRow {
	id: string;
	organization_id: string;
	name: string;
	description: string;
	url: string | null;
	email: string | null;
	/** Temporarily closed at the instant asked about (HSDS status `temporarily closed`). */
	closed_now: boolean;
	accepting_new: boolean | null;
	capacity: number | null;
	category: string;
	verified_at: string;
	/** The latest change of the service, its organisation or one of its public places. */
	last_modified: Date;
	demo: boolean;
	source_id: string;
}

function serviceColumns(at: Date) {
	return sql`s.id::text, s.organization_id::text, s.name, s.description, s.url, s.email,
		service_closed_at(s.closed_from, s.closed_until, ${at}::timestamptz) AS closed_now,
		s.accepting_new, s.capacity, s.category, to_char(s.verified_at, 'YYYY-MM-DD') AS verified_at,
		GREATEST(s.updated_at, o.updated_at,
			(SELECT max(l.updated_at) FROM service_at_location sal JOIN location l ON l.id = sal.location_id
				WHERE sal.service_id = s.id AND l.public_geom IS NOT NULL)) AS last_modified,
		o.demo, o.source_id`;
}

/**
 * The directory's change number: advanced by every statement that changes what the public
 * directory lists (directory_change_seq, migration 0024). A count computed at one number holds
 * until it moves.
 */
export async function directoryVersion(): Promise<string> {
	const [row] = await sql<{ version: string }[]>`SELECT (last_value * (is_called::int))::text AS version FROM directory_change_seq`;
	return row?.version ?? '0';
}

/** A page of the public services matching `filter`, in name order. */
export function servicePage(filter: HsdsFilter, page: PageRequest): Promise<ServiceRow[]> {
	const at = filter.at ?? new Date();
	return sql<ServiceRow[]>`
		SELECT ${serviceColumns(at)}
		FROM service s JOIN organization o ON o.id = s.organization_id
		WHERE s.status = 'active' AND EXISTS (SELECT 1 FROM public_resource r WHERE r.service_id = s.id AND ${whereOf(filter)})
		ORDER BY s.name, s.id
		LIMIT ${page.perPage} OFFSET ${offsetOf(page)}`;
}

/** How many public services, organisations or pins match `filter`. */
export async function countOf(kind: 'service' | 'organization' | 'pin', filter: HsdsFilter): Promise<number> {
	const counted = { service: sql`count(DISTINCT r.service_id)`, organization: sql`count(DISTINCT r.organization_id)`, pin: sql`count(*)` }[kind];
	const [row] = await sql<{ n: number }[]>`SELECT ${counted}::int AS n FROM public_resource r WHERE ${whereOf(filter)}`;
	return row?.n ?? 0;
}

/** Public services by id (those not public, or demo ones when `excludeDemo`, are left out), in name order. */
export async function servicesById(ids: string[], options: { excludeDemo: boolean; at?: Date }): Promise<ServiceRow[]> {
	const valid = ids.filter(isUuid);
	if (valid.length === 0) return [];
	const at = options.at ?? new Date();
	return sql<ServiceRow[]>`
		SELECT ${serviceColumns(at)}
		FROM service s JOIN organization o ON o.id = s.organization_id
		WHERE s.id = ANY(${valid}::uuid[]) AND s.status = 'active'
			AND EXISTS (SELECT 1 FROM public_resource r WHERE r.service_id = s.id AND ${publicWhere({ excludeDemo: options.excludeDemo })})
		ORDER BY s.name, s.id`;
}

/** Every public service's id (the data package and the GeoJSON export), in name order. */
export async function publicServiceIds(options: { excludeDemo: boolean }): Promise<string[]> {
	const rows = await sql<{ id: string }[]>`
		SELECT DISTINCT r.service_id::text AS id, s.name FROM public_resource r JOIN service s ON s.id = r.service_id
		WHERE ${publicWhere({ excludeDemo: options.excludeDemo })} ORDER BY s.name, id`;
	return rows.map((row) => row.id);
}

export interface PhoneRow {
	id: string;
	organization_id: string | null;
	service_id: string | null;
	number: string;
	description: string | null;
}

/** The phones of these services and organisations. */
export function phonesOf(serviceIds: string[], organizationIds: string[]): Promise<PhoneRow[]> {
	return sql<PhoneRow[]>`
		SELECT p.id::text, p.organization_id::text, p.service_id::text, p.number, p.description FROM phone p
		WHERE p.service_id = ANY(${serviceIds}::uuid[]) OR p.organization_id = ANY(${organizationIds}::uuid[])
		ORDER BY p.number, p.id`;
}

/** A service's taxonomy codes and the rioni it is meant for (HSDS service_area). */
export interface ServiceLinks {
	service_id: string;
	needs: string[];
	audiences: string[];
	areas: { id: number; name: string }[];
}

export function linksOf(serviceIds: string[]): Promise<ServiceLinks[]> {
	return sql<ServiceLinks[]>`
		SELECT s.id::text AS service_id,
			ARRAY(SELECT sn.need FROM service_need sn JOIN need ON need.code = sn.need
				WHERE sn.service_id = s.id ORDER BY need.position) AS needs,
			ARRAY(SELECT sa.audience FROM service_audience sa JOIN audience ON audience.code = sa.audience
				WHERE sa.service_id = s.id ORDER BY audience.position) AS audiences,
			COALESCE((SELECT json_agg(json_build_object('id', n.id, 'name', n.name) ORDER BY n.name)
				FROM service_area a JOIN neighbourhood n ON n.id = a.neighbourhood_id WHERE a.service_id = s.id), '[]'::json) AS areas
		FROM service s WHERE s.id = ANY(${serviceIds}::uuid[])`;
}

export interface OrganizationRow {
	id: string;
	name: string;
	description: string;
	email: string | null;
	website: string | null;
	verified_at: string;
	last_modified: Date;
	demo: boolean;
	source_id: string;
}

const organizationColumns = () => sql`o.id::text, o.name, o.description, o.email, o.website,
	to_char(o.verified_at, 'YYYY-MM-DD') AS verified_at, o.updated_at AS last_modified, o.demo, o.source_id`;

/** A page of the organisations with a public service matching `filter`, in name order. */
export function organizationPage(filter: HsdsFilter, page: PageRequest): Promise<OrganizationRow[]> {
	return sql<OrganizationRow[]>`
		SELECT ${organizationColumns()} FROM organization o
		WHERE EXISTS (SELECT 1 FROM public_resource r WHERE r.organization_id = o.id AND ${whereOf(filter)})
		ORDER BY o.name, o.id
		LIMIT ${page.perPage} OFFSET ${offsetOf(page)}`;
}

/** Organisations by id that have a public service (demo ones left out when `excludeDemo`). */
export function organizationsById(ids: string[], options: { excludeDemo: boolean }): Promise<OrganizationRow[]> {
	const valid = ids.filter(isUuid);
	if (valid.length === 0) return Promise.resolve([]);
	return sql<OrganizationRow[]>`
		SELECT ${organizationColumns()} FROM organization o
		WHERE o.id = ANY(${valid}::uuid[])
			AND EXISTS (SELECT 1 FROM public_resource r WHERE r.organization_id = o.id AND ${publicWhere({ excludeDemo: options.excludeDemo })})
		ORDER BY o.name, o.id`;
}

/** The public ids of an organisation's services. */
export async function serviceIdsOfOrganization(organizationId: string): Promise<string[]> {
	if (!isUuid(organizationId)) return [];
	const rows = await sql<{ id: string }[]>`
		SELECT DISTINCT r.service_id::text AS id, r.name FROM public_resource r
		WHERE r.organization_id = ${organizationId}::uuid ORDER BY r.name, id`;
	return rows.map((row) => row.id);
}

/** A pin (service at location) with its place as the public may see it. */
export interface PinRow extends PublicNotes {
	id: string;
	service_id: string;
	location_id: string;
	organization_id: string;
	lon: number;
	lat: number;
	/** A confidential place: its point is its rione's, and name and address are withheld (null). */
	approximate: boolean;
	neighbourhood: string | null;
	location_name: string | null;
	address_1: string | null;
	postal_code: string | null;
	city: string | null;
	opening_hours: string | null;
	schedule_description: string | null;
	last_modified: Date;
	demo: boolean;
	distance_m: number | null;
}

function pinColumns(origin: ReturnType<typeof originOf>) {
	return sql`r.id::text, r.service_id::text, r.location_id::text, r.organization_id::text,
		ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, r.approximate, r.neighbourhood,
		CASE WHEN r.approximate THEN NULL ELSE l.name END AS location_name,
		CASE WHEN r.approximate THEN NULL ELSE NULLIF(l.address_1, '') END AS address_1,
		CASE WHEN r.approximate THEN NULL ELSE l.postal_code END AS postal_code,
		CASE WHEN r.approximate THEN NULL ELSE l.city END AS city,
		(SELECT oh.expression FROM opening_hours oh WHERE oh.id = r.opening_hours_id) AS opening_hours,
		(SELECT sch.description FROM schedule sch WHERE sch.service_at_location_id = r.id) AS schedule_description,
		r.updated_at AS last_modified, r.demo
		${selectPublicNotes('l')},
		${origin ? sql`round(ST_Distance(r.geom::geography, ${origin}))::int` : sql`NULL::int`} AS distance_m`;
}

/** A page of public pins matching `filter`: nearest first with `near`, else by name. */
export function pinPage(filter: HsdsFilter, page: PageRequest): Promise<PinRow[]> {
	const origin = originOf(filter);
	return sql<PinRow[]>`
		SELECT ${pinColumns(origin)}
		FROM public_resource r JOIN location l ON l.id = r.location_id
		WHERE ${whereOf(filter)}
		ORDER BY ${origin ? sql`r.geom::geography <-> ${origin},` : sql``} r.name, r.id
		LIMIT ${page.perPage} OFFSET ${offsetOf(page)}`;
}

/** The public pins of these services. */
export function pinsOfServices(serviceIds: string[]): Promise<PinRow[]> {
	return sql<PinRow[]>`
		SELECT ${pinColumns(null)}
		FROM public_resource r JOIN location l ON l.id = r.location_id
		WHERE r.service_id = ANY(${serviceIds}::uuid[])
		ORDER BY r.name, r.id`;
}

export interface SourceRow {
	id: string;
	name: string;
	licence: string;
	url: string | null;
	attribution: string;
}

/** The sources of the public records (organisations' and rioni's), for the exports' attribution. */
export function sourcesOfPublicRecords(options: { excludeDemo: boolean }): Promise<SourceRow[]> {
	return sql<SourceRow[]>`
		SELECT src.id, src.name, src.licence, src.url, src.attribution FROM source src
		WHERE src.id IN (SELECT r.source_id FROM public_resource r WHERE ${publicWhere({ excludeDemo: options.excludeDemo })})
			OR src.id IN (SELECT n.source_id FROM neighbourhood n)
		ORDER BY src.name, src.id`;
}

/** Every source (a handful of rows): the HSDS objects name their record's source. */
export function allSources(): Promise<SourceRow[]> {
	return sql<SourceRow[]>`SELECT id, name, licence, url, attribution FROM source ORDER BY name, id`;
}
