import { isUuid } from '../../domain/ids';
import { sql } from './client';
import { selectPublicNotes, type PublicNotes } from './location-notes';
import { escapeLike } from './text';
import type { ProvenanceFacts } from '../../domain/provenance';
import type { ResourceSummary } from '../../domain/resource';

/**
 * Public reads of the directory. Everything here goes through the `public_resource` view, whose
 * point is the public one (a confidential location's rione, never its true position).
 */

export interface ResourceFilter {
	near?: { lon: number; lat: number; radius: number };
	bbox?: { west: number; south: number; east: number; north: number };
	categories?: string[];
	/** Any of these needs. */
	needs?: string[];
	/** Any of these audiences. */
	audiences?: string[];
	openNow?: boolean;
	/** Free text, matched accent- and case-insensitively in names, description and rione. */
	q?: string;
	limit: number;
	/** The instant "open now" refers to. */
	at?: Date;
	/** Leave out the demo set's records (the HSDS API does unless asked). */
	excludeDemo?: boolean;
	/** Only pins whose service, organisation or place changed at or after this instant. */
	modifiedAfter?: Date;
}


function point(lon: number, lat: number) {
	return sql`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`;
}

/** Whether the pin's service is temporarily closed at `at` (service_closed_at in 0004_partner_edits.sql). */
function closedAt(at: Date) {
	return sql`service_closed_at(r.closed_from, r.closed_until, ${at}::timestamptz)`;
}

/** Open at `at`: false while temporarily closed whatever the hours say, null when hours are unknown.
 * match_resources (db/functions/match.sql) computes the same. */
function openNowAt(at: Date) {
	return sql`CASE WHEN ${closedAt(at)} THEN false WHEN r.opening_hours_id IS NULL THEN NULL ELSE EXISTS (
		SELECT 1 FROM opening_interval oi
		WHERE oi.opening_hours_id = r.opening_hours_id AND oi.during @> ${at}::timestamptz) END`;
}

/**
 * A service's temporary closure as JSON, from the columns of `alias` (a service or public_resource
 * row), when it is under way or still to come at `at`; null when there is none or it is over.
 */
function closureJson(alias: 's' | 'r', at: Date) {
	const from = sql`${sql(alias)}.closed_from`;
	const until = sql`${sql(alias)}.closed_until`;
	return sql`CASE WHEN ${from} IS NOT NULL AND (${until} IS NULL OR ${until} >= (${at}::timestamptz AT TIME ZONE 'Europe/Rome')::date)
		THEN json_build_object('from', to_char(${from}, 'YYYY-MM-DD'), 'until', to_char(${until}, 'YYYY-MM-DD'),
			'note', ${sql(alias)}.closure_note, 'active', service_closed_at(${from}, ${until}, ${at}::timestamptz)) END`;
}

/** The columns of a {@link ResourceRow} but distance, from `public_resource r`. */
function summaryColumns(at: Date) {
	return sql`r.id::text, r.name, r.category, r.neighbourhood, NULLIF(r.address, '') AS address,
		r.accepting_new, r.demo, r.approximate, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat,
		ARRAY(SELECT sn.need FROM service_need sn JOIN need ON need.code = sn.need
			WHERE sn.service_id = r.service_id ORDER BY need.position) AS needs,
		ARRAY(SELECT sa.audience FROM service_audience sa JOIN audience ON audience.code = sa.audience
			WHERE sa.service_id = r.service_id ORDER BY audience.position) AS audiences,
		${openNowAt(at)} AS open_now, r.organization_name,
		(SELECT p.number FROM phone p WHERE p.service_id = r.service_id OR p.organization_id = r.organization_id
			ORDER BY p.service_id IS NULL, p.number LIMIT 1) AS phone,
		(SELECT oh.expression FROM opening_hours oh WHERE oh.id = r.opening_hours_id) AS opening_hours,
		${closureJson('r', at)} AS closure`;
}

/**
 * A resource as read here: the summary, plus what its next change of state is computed from
 * (hours and closure; server/api/public.ts turns them into `next_change`).
 */
export interface ResourceRow extends ResourceSummary {
	opening_hours: string | null;
	/** The pin's service's temporary closure, under way or announced (see {@link closureJson}). */
	closure: Closure | null;
}

/** The pin of `near` as geography (distances in metres), or null. */
export function originOf(filter: Pick<ResourceFilter, 'near'>) {
	return filter.near ? sql`${point(filter.near.lon, filter.near.lat)}::geography` : null;
}

/**
 * The WHERE condition on `public_resource r` for `filter` (every filter but `limit`): the one
 * definition shared by the public API and the HSDS API (db/hsds.ts).
 */
export function publicWhere(filter: Omit<ResourceFilter, 'limit'>) {
	const at = filter.at ?? new Date();
	const near = filter.near;
	const origin = originOf(filter);
	const conditions = [];
	if (near && origin) conditions.push(sql`ST_DWithin(r.geom::geography, ${origin}, ${near.radius})`);
	if (filter.bbox) {
		const { west, south, east, north } = filter.bbox;
		conditions.push(sql`r.geom && ST_MakeEnvelope(${west}, ${south}, ${east}, ${north}, 4326)`);
	}
	if (filter.categories?.length) conditions.push(sql`r.category = ANY(${filter.categories}::text[])`);
	if (filter.needs?.length) {
		conditions.push(sql`EXISTS (SELECT 1 FROM service_need sn
			WHERE sn.service_id = r.service_id AND sn.need = ANY(${filter.needs}::text[]))`);
	}
	if (filter.audiences?.length) {
		conditions.push(sql`EXISTS (SELECT 1 FROM service_audience sa
			WHERE sa.service_id = r.service_id AND sa.audience = ANY(${filter.audiences}::text[]))`);
	}
	if (filter.openNow) {
		conditions.push(sql`NOT ${closedAt(at)} AND EXISTS (SELECT 1 FROM opening_interval oi
			WHERE oi.opening_hours_id = r.opening_hours_id AND oi.during @> ${at}::timestamptz)`);
	}
	if (filter.q) conditions.push(sql`r.search_text LIKE '%' || fold_text(${escapeLike(filter.q)}) || '%'`);
	if (filter.excludeDemo) conditions.push(sql`NOT r.demo`);
	if (filter.modifiedAfter) conditions.push(sql`r.updated_at >= ${filter.modifiedAfter}::timestamptz`);
	return conditions.reduce((all, condition) => sql`${all} AND ${condition}`, sql`TRUE`);
}

/** Public resources matching `filter`, nearest first when `near` is given, else by name. */
export async function list(filter: ResourceFilter): Promise<ResourceRow[]> {
	const at = filter.at ?? new Date();
	const origin = originOf(filter);
	const where = publicWhere(filter);

	return sql<ResourceRow[]>`
		SELECT ${summaryColumns(at)},
			${origin ? sql`round(ST_Distance(r.geom::geography, ${origin}))::int` : sql`NULL::int`} AS distance_m
		FROM public_resource r
		WHERE ${where}
		ORDER BY ${origin ? sql`r.geom::geography <-> ${origin},` : sql``} r.name, r.id
		LIMIT ${filter.limit}`;
}

/** A temporary closure, under way (`active`) or announced; days are YYYY-MM-DD in Rome, both included. */
export interface Closure {
	from: string;
	/** Null: until further notice. */
	until: string | null;
	note: string | null;
	active: boolean;
}

/** With the place's notes (domain/records.ts LOCATION_NOTES, e.g. the HSDS `accessibility` note), each null when its organisation wrote none. */
export interface ResourceDetail extends ResourceRow, PublicNotes {
	description: string;
	verified_at: string;
	opening_hours: string | null;
	/** This pin's service's temporary closure, if one is under way or announced. */
	closure: Closure | null;
	organization: {
		id: string;
		name: string;
		description: string;
		email: string | null;
		website: string | null;
		phones: { number: string; description: string | null }[];
	};
	/** Every service the organisation offers at this same place (this pin's first). */
	services: {
		id: string;
		name: string;
		description: string;
		category: string;
		needs: string[];
		audiences: string[];
		accepting_new: boolean | null;
		opening_hours: string | null;
		closure: Closure | null;
		email: string | null;
		url: string | null;
		phones: { number: string; description: string | null }[];
	}[];
	source: { id: string; name: string; licence: string; url: string | null; attribution: string };
}


/** One public resource with full detail, or null when there is none with that id. */
export async function get(id: string, at = new Date()): Promise<ResourceDetail | null> {
	if (!isUuid(id)) return null;
	const [summary] = await sql<ResourceSummary[]>`
		SELECT ${summaryColumns(at)}, NULL::int AS distance_m FROM public_resource r WHERE r.id = ${id}::uuid`;
	if (!summary) return null;
	const [keys] = await sql<{ organization_id: string; location_id: string }[]>`
		SELECT s.organization_id::text, sal.location_id::text
		FROM service_at_location sal JOIN service s ON s.id = sal.service_id WHERE sal.id = ${id}::uuid`;
	if (!keys) return null;

	const [org] = await sql<ResourceDetail['organization'][]>`
		SELECT o.id::text, o.name, o.description, o.email, o.website,
			COALESCE((SELECT json_agg(json_build_object('number', p.number, 'description', p.description) ORDER BY p.number)
				FROM phone p WHERE p.organization_id = o.id), '[]'::json) AS phones
		FROM organization o WHERE o.id = ${keys.organization_id}::uuid`;
	const services = await sql<ResourceDetail['services']>`
		SELECT s.id::text, s.name, s.description, s.category, s.accepting_new, s.email, s.url,
			ARRAY(SELECT sn.need FROM service_need sn JOIN need ON need.code = sn.need
				WHERE sn.service_id = s.id ORDER BY need.position) AS needs,
			ARRAY(SELECT sa.audience FROM service_audience sa JOIN audience ON audience.code = sa.audience
				WHERE sa.service_id = s.id ORDER BY audience.position) AS audiences,
			oh.expression AS opening_hours, ${closureJson('s', at)} AS closure,
			COALESCE((SELECT json_agg(json_build_object('number', p.number, 'description', p.description) ORDER BY p.number)
				FROM phone p WHERE p.service_id = s.id), '[]'::json) AS phones
		FROM service_at_location sal
		JOIN service s ON s.id = sal.service_id AND s.status = 'active'
		LEFT JOIN schedule sch ON sch.service_at_location_id = sal.id
		LEFT JOIN opening_hours oh ON oh.id = sch.opening_hours_id
		WHERE sal.location_id = ${keys.location_id}::uuid
		ORDER BY (sal.id = ${id}::uuid) DESC, s.name`;
	const [meta] = await sql<
		({
			description: string;
			verified_at: string;
			opening_hours: string | null;
			closure: Closure | null;
			source: ResourceDetail['source'];
		} & PublicNotes)[]
	>`
		SELECT r.description, to_char(r.verified_at, 'YYYY-MM-DD') AS verified_at, oh.expression AS opening_hours,
			${closureJson('r', at)} AS closure ${selectPublicNotes('l')},
			json_build_object('id', src.id, 'name', src.name, 'licence', src.licence, 'url', src.url,
				'attribution', src.attribution) AS source
		FROM public_resource r
		JOIN source src ON src.id = r.source_id
		LEFT JOIN location l ON l.id = ${keys.location_id}::uuid
		LEFT JOIN opening_hours oh ON oh.id = r.opening_hours_id
		WHERE r.id = ${id}::uuid`;
	if (!org || !meta) return null;

	return { ...summary, ...meta, organization: org, services };
}

/**
 * The facts the resource page says its provenance with (domain/provenance.ts): its source, its
 * service's and organisation's verified_at, and whether the organisation confirmed or changed the
 * service or itself through the partner pages (record_change). Null when no public resource has the id.
 */
export async function provenanceFacts(id: string): Promise<ProvenanceFacts | null> {
	if (!isUuid(id)) return null;
	return (await provenanceFactsOf([id])).get(id) ?? null;
}

/** {@link provenanceFacts} of many public resources at once (the home list), by resource id. */
export async function provenanceFactsOf(ids: string[]): Promise<Map<string, ProvenanceFacts>> {
	const valid = ids.filter(isUuid);
	if (valid.length === 0) return new Map();
	const rows = await sql<(ProvenanceFacts & { id: string })[]>`
		SELECT r.id::text AS id, r.source_id AS "sourceId", src.name AS "sourceName", to_char(r.verified_at, 'YYYY-MM-DD') AS "verifiedAt",
			to_char(o.verified_at, 'YYYY-MM-DD') AS "organizationVerifiedAt",
			EXISTS (SELECT 1 FROM record_change c WHERE c.organization_id = r.organization_id
				AND ((c.entity = 'service' AND c.entity_id = r.service_id) OR (c.entity = 'organization' AND c.entity_id = r.organization_id))) AS "confirmedByPartner"
		FROM public_resource r
		JOIN source src ON src.id = r.source_id
		JOIN organization o ON o.id = r.organization_id
		WHERE r.id = ANY(${valid}::uuid[])`;
	return new Map(rows.map(({ id, ...facts }) => [id, facts]));
}

/* For support plans: which organisation runs a resource, and what is on offer near a household. */

export async function resourceOrganization(resourceId: string): Promise<{ organization_id: string; name: string; needs: string[] } | null> {
	if (!isUuid(resourceId)) return null;
	const [row] = await sql<{ organization_id: string; name: string; needs: string[] }[]>`
		SELECT r.organization_id::text, r.name,
			ARRAY(SELECT sn.need FROM service_need sn WHERE sn.service_id = r.service_id) AS needs
		FROM public_resource r WHERE r.id = ${resourceId}::uuid`;
	return row ?? null;
}

export interface NearbyResource {
	need: string;
	id: string;
	name: string;
	organization_id: string;
	organization: string;
	distance_m: number;
	accepting_new: boolean | null;
	lon: number;
	lat: number;
	/** A confidential place at its rione's point: its walk is only ever estimated. */
	approximate: boolean;
}

/**
 * Public resources of the given organisations that offer one of `needs`, within `maxDistanceM`
 * of `at`, nearest first within each need: the plan's partners stay on offer for every need they
 * can help with, wherever the match engine ranks them.
 */
export async function resourcesOfOrganizations(query: { at: { lon: number; lat: number }; needs: string[]; organizationIds: string[]; maxDistanceM: number }): Promise<NearbyResource[]> {
	if (query.needs.length === 0 || query.organizationIds.length === 0) return [];
	return sql<NearbyResource[]>`
		WITH p AS (SELECT ST_SetSRID(ST_MakePoint(${query.at.lon}, ${query.at.lat}), 4326)::geography AS g)
		SELECT sn.need, r.id::text, r.name, r.organization_id::text, r.organization_name AS organization, r.accepting_new,
			ST_Distance(r.geom::geography, p.g) AS distance_m, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, r.approximate
		FROM public_resource r JOIN service_need sn ON sn.service_id = r.service_id, p
		WHERE sn.need = ANY(${query.needs}::text[]) AND r.organization_id = ANY(${query.organizationIds}::uuid[])
			AND ST_DWithin(r.geom::geography, p.g, ${query.maxDistanceM})
		ORDER BY sn.need, distance_m, r.id`;
}

/** The organisation of each of these public resources (id → organisation id). */
export async function resourceOrganizations(resourceIds: string[]): Promise<Map<string, string>> {
	if (resourceIds.length === 0) return new Map();
	const rows = await sql<{ id: string; organization_id: string }[]>`
		SELECT id::text, organization_id::text FROM public_resource WHERE id = ANY(${resourceIds}::uuid[])`;
	return new Map(rows.map((r) => [r.id, r.organization_id]));
}

export interface OrganizationPlace {
	organization_id: string;
	organization: string;
	lon: number;
	lat: number;
	/** A confidential place at its rione's point: its walk is only ever estimated. */
	approximate: boolean;
	distance_m: number;
}

/**
 * The public resources offering one of `needs` within `maxDistanceM` of `at`, with their
 * organisation and place (one row per resource, however many of the needs it offers): a plan's
 * "who could take part" walks to each and keeps each organisation's nearest.
 */
export async function organizationPlacesNear(query: { at: { lon: number; lat: number }; needs: string[]; maxDistanceM: number }): Promise<OrganizationPlace[]> {
	if (query.needs.length === 0) return [];
	return sql<OrganizationPlace[]>`
		WITH p AS (SELECT ST_SetSRID(ST_MakePoint(${query.at.lon}, ${query.at.lat}), 4326)::geography AS g)
		SELECT r.organization_id::text, r.organization_name AS organization,
			ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, r.approximate, ST_Distance(r.geom::geography, p.g) AS distance_m
		FROM public_resource r, p
		WHERE EXISTS (SELECT 1 FROM service_need sn WHERE sn.service_id = r.service_id AND sn.need = ANY(${query.needs}::text[]))
			AND ST_DWithin(r.geom::geography, p.g, ${query.maxDistanceM})`;
}

/** What a person acts on: the family's card of the places it was referred to (plans.familyCard)
 * and the "Trova aiuto" results (help.ts) show it. */
export interface CardResource {
	id: string;
	name: string;
	organization: string;
	/** The place's own name; null for a confidential place, which is shown by its rione only. */
	place: string | null;
	/** Null for a confidential place (public_resource never gives its address). */
	address: string | null;
	neighbourhood: string | null;
	opening_hours: string | null;
	closure: Closure | null;
	/** The service's own numbers first, then its organisation's. */
	phones: { number: string; description: string | null }[];
}

/** The public resources of these ids, as the family's card and "Trova aiuto" show them (a resource no longer public is left out). */
export async function forFamilyCard(resourceIds: string[], at = new Date()): Promise<Map<string, CardResource>> {
	if (resourceIds.length === 0) return new Map();
	const rows = await sql<CardResource[]>`
		SELECT r.id::text, r.name, r.organization_name AS organization,
			CASE WHEN r.approximate THEN NULL ELSE l.name END AS place,
			NULLIF(r.address, '') AS address, r.neighbourhood, oh.expression AS opening_hours, ${closureJson('r', at)} AS closure,
			COALESCE((SELECT json_agg(json_build_object('number', p.number, 'description', p.description)
					ORDER BY p.service_id IS NULL, p.number)
				FROM phone p WHERE p.service_id = r.service_id OR p.organization_id = r.organization_id), '[]'::json) AS phones
		FROM public_resource r
		JOIN service_at_location sal ON sal.id = r.id
		JOIN location l ON l.id = sal.location_id
		LEFT JOIN opening_hours oh ON oh.id = r.opening_hours_id
		WHERE r.id = ANY(${resourceIds}::uuid[])`;
	return new Map(rows.map((row) => [row.id, row]));
}
