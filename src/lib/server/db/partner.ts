import { staleBefore, type FieldDiff, type Fields, type Json } from '../../domain/record-changes';
import { todayInRome } from '../../domain/dates';
import { isUuid } from '../../domain/ids';
import type { LocationFields } from '../../domain/records';
import { sql, type TransactionSql } from './client';
import { noteColumns, noteValues, selectNotes, setNotes } from './location-notes';
import * as openingHours from './opening-hours';
import { escapeLike } from './text';

/**
 * The partner pages' reads and writes of the directory, and the change history (record_change):
 * SQL only. The edit workflow — one transaction that locks the record, compares it with the
 * edit, writes it, appends the history row and the audit event — is src/lib/server/partner/changes.ts,
 * which calls the writes here with its transaction.
 *
 * Every function is scoped by organisation: a location or service is found only through the
 * organisation it belongs to, so an id taken from another organisation is simply "not found"
 * (the route has checked the person may use that organisation).
 */

export type Entity = 'organization' | 'location' | 'service';
/**
 * update: an edit; verify: "still correct"; revert: undoes another change; create: a record added
 * from the partner pages; remove: a record removed (softly: see 0021_partner_add_remove.sql).
 */
export type ChangeAction = 'update' | 'verify' | 'revert' | 'create' | 'remove';

export type Phone = { number: string; description: string | null };

export type OrganizationFields = {
	name: string;
	description: string;
	email: string | null;
	website: string | null;
	phones: Phone[];
};

/** A service's own fields; its hours per location are further fields named `hours.<location id>`. */
export type ServiceFields = {
	name: string;
	description: string;
	needs: string[];
	audiences: string[];
	accepting_new: boolean | null;
	email: string | null;
	url: string | null;
	closed_from: string | null;
	closed_until: string | null;
	closure_note: string | null;
};

export const HOURS_PREFIX = 'hours.';

export type Db = typeof sql | TransactionSql;

/** The version of a row for optimistic concurrency: its updated_at to the microsecond, as text. */
const version = (alias: string) => sql`(extract(epoch FROM ${sql(alias)}.updated_at) * 1000000)::bigint::text AS version`;
/**
 * Today's date in Rome by the app's clock. Not `current_date`, which follows the session's
 * TimeZone (on a server set to UTC it is still yesterday for the first hour or two of a Rome day)
 * and the database's clock.
 */
const romeToday = (now: Date = new Date()) => sql`(${now}::timestamptz AT TIME ZONE 'Europe/Rome')::date`;
/** Whether a verified_at column (e.g. `o.verified_at`) is "da verificare" today: the one rule, domain/record-changes.ts staleBefore. */
const staleSql = (column: string) => sql`(${sql(column)} < ${staleBefore(todayInRome())}::date)`;

/** Whether a location or a service is removed: a field of their snapshots (domain/record-changes.ts). */
export { REMOVED } from '../../domain/record-changes';

/** A record's editable fields and its version. */
export interface Snapshot {
	fields: Fields;
	version: string;
}

/* ------------------------------------------------------------------------------------------- */
/* Snapshots: a record's editable fields, optionally locking the row for the transaction.       */
async function organizationSnapshot(db: Db, organizationId: string, id: string, lock: boolean): Promise<Snapshot | null> {
	if (id !== organizationId) return null;
	const [row] = await db<(OrganizationFields & { version: string })[]>`
		SELECT o.name, o.description, o.email, o.website,
			COALESCE((SELECT json_agg(json_build_object('number', p.number, 'description', p.description) ORDER BY p.number, p.description)
				FROM phone p WHERE p.organization_id = o.id), '[]'::json) AS phones,
			${version('o')}
		FROM organization o WHERE o.id = ${organizationId}::uuid
		${lock ? sql`FOR UPDATE` : sql``}`;
	if (!row) return null;
	const { version: v, ...fields } = row;
	return { fields, version: v };
}

async function locationSnapshot(db: Db, organizationId: string, locationId: string, lock: boolean): Promise<Snapshot | null> {
	const [row] = await db<(LocationFields & { removed: boolean; version: string })[]>`
		SELECT l.name, l.address_1 AS address, l.postal_code, l.city, ST_X(l.geom) AS lon, ST_Y(l.geom) AS lat, l.confidential${selectNotes('l')},
			l.removed_at IS NOT NULL AS removed,
			${version('l')}
		FROM location l WHERE l.id = ${locationId}::uuid AND l.organization_id = ${organizationId}::uuid
		${lock ? sql`FOR UPDATE` : sql``}`;
	if (!row) return null;
	const { version: v, ...fields } = row;
	return { fields, version: v };
}

async function serviceSnapshot(db: Db, organizationId: string, serviceId: string, lock: boolean): Promise<Snapshot | null> {
	const [row] = await db<(ServiceFields & { removed: boolean; version: string })[]>`
		SELECT s.name, s.description, s.accepting_new, s.email, s.url, s.status = 'inactive' AS removed,
			to_char(s.closed_from, 'YYYY-MM-DD') AS closed_from, to_char(s.closed_until, 'YYYY-MM-DD') AS closed_until, s.closure_note,
			ARRAY(SELECT sn.need FROM service_need sn WHERE sn.service_id = s.id ORDER BY sn.need) AS needs,
			ARRAY(SELECT sa.audience FROM service_audience sa WHERE sa.service_id = s.id ORDER BY sa.audience) AS audiences,
			${version('s')}
		FROM service s WHERE s.id = ${serviceId}::uuid AND s.organization_id = ${organizationId}::uuid
		${lock ? sql`FOR UPDATE` : sql``}`;
	if (!row) return null;
	const hours = await db<{ location_id: string; expression: string | null }[]>`
		SELECT sal.location_id::text, oh.expression
		FROM service_at_location sal
		LEFT JOIN schedule sch ON sch.service_at_location_id = sal.id
		LEFT JOIN opening_hours oh ON oh.id = sch.opening_hours_id
		WHERE sal.service_id = ${serviceId}::uuid ORDER BY sal.location_id`;
	const { version: v, ...fields } = row;
	return {
		fields: { ...fields, ...Object.fromEntries(hours.map((h) => [HOURS_PREFIX + h.location_id, h.expression])) },
		version: v
	};
}


const SNAPSHOTS: Record<Entity, (db: Db, organizationId: string, id: string, lock: boolean) => Promise<Snapshot | null>> = {
	organization: organizationSnapshot,
	location: locationSnapshot,
	service: serviceSnapshot
};

/** A record of the organisation as it is now; `lock` holds its row until the transaction ends. */
export async function snapshot(db: Db, entity: Entity, organizationId: string, entityId: string, lock: boolean): Promise<Snapshot | null> {
	return SNAPSHOTS[entity](db, organizationId, entityId, lock);
}

/* ------------------------------------------------------------------------------------------- */
/* Writes, each with the caller's transaction. `confirm` also sets verified_at to today.          */

function one(count: number, what: string): void {
	// The embedded PostGIS can fail silently: a write that touched no row is an error, and rolls back.
	if (count !== 1) throw new Error(`${what}: expected one row to be written, got ${count}`);
}

export async function updateOrganization(tx: TransactionSql, id: string, o: OrganizationFields, confirm: boolean): Promise<void> {
	const updated = await tx`
		UPDATE organization SET name = ${o.name}, description = ${o.description}, email = ${o.email}, website = ${o.website},
			updated_at = now() ${confirm ? sql`, verified_at = ${romeToday()}` : sql``}
		WHERE id = ${id}::uuid`;
	one(updated.count, 'organisation');
}

export async function replacePhones(tx: TransactionSql, organizationId: string, phones: Phone[]): Promise<void> {
	await tx`DELETE FROM phone WHERE organization_id = ${organizationId}::uuid`;
	for (const phone of phones) {
		const inserted = await tx`INSERT INTO phone (organization_id, number, description) VALUES (${organizationId}::uuid, ${phone.number}, ${phone.description})`;
		one(inserted.count, 'phone');
	}
}

/** `removed` as the snapshot has it; absent (an edit form's fields) leaves it as it is. */
const removedOf = (fields: { removed?: unknown }) => (typeof fields.removed === 'boolean' ? fields.removed : null);

export async function updateLocation(tx: TransactionSql, organizationId: string, id: string, l: LocationFields & { removed?: boolean }): Promise<void> {
	// The location_places trigger places the new point in its rione and sets the public point.
	const removed = removedOf(l);
	const updated = await tx`
		UPDATE location SET name = ${l.name}, address_1 = ${l.address}, postal_code = ${l.postal_code}, city = ${l.city},
			geom = ST_SetSRID(ST_MakePoint(${l.lon}, ${l.lat}), 4326), confidential = ${l.confidential}${setNotes((note) => l[note])},
			updated_at = now(),
			removed_at = CASE WHEN ${removed}::boolean IS NULL THEN removed_at WHEN ${removed}::boolean THEN COALESCE(removed_at, now()) END
		WHERE id = ${id}::uuid AND organization_id = ${organizationId}::uuid`;
	one(updated.count, 'location');
}

export async function updateService(
	tx: TransactionSql,
	organizationId: string,
	id: string,
	s: ServiceFields & { removed?: boolean },
	confirm: boolean
): Promise<void> {
	const removed = removedOf(s);
	const updated = await tx`
		UPDATE service SET name = ${s.name}, description = ${s.description}, accepting_new = ${s.accepting_new},
			email = ${s.email}, url = ${s.url}, closed_from = ${s.closed_from}::date, closed_until = ${s.closed_until}::date,
			closure_note = ${s.closure_note}, updated_at = now() ${confirm ? sql`, verified_at = ${romeToday()}` : sql``},
			status = CASE WHEN ${removed}::boolean IS NULL THEN status WHEN ${removed}::boolean THEN 'inactive' ELSE 'active' END
		WHERE id = ${id}::uuid AND organization_id = ${organizationId}::uuid`;
	one(updated.count, 'service');
}

/* Records added from the partner pages (no source_ref: the seed loader leaves them alone). */

/** A new location of the organisation (fields already validated, point placed); its id. */
export async function insertLocation(tx: TransactionSql, organizationId: string, l: LocationFields): Promise<string> {
	// The location_places trigger places the point in its rione and sets the public point.
	const rows = await tx<{ id: string }[]>`
		INSERT INTO location (organization_id, name, geom, confidential, address_1, postal_code, city${noteColumns()})
		VALUES (${organizationId}::uuid, ${l.name}, ST_SetSRID(ST_MakePoint(${l.lon}, ${l.lat}), 4326), ${l.confidential},
			${l.address}, ${l.postal_code}, ${l.city}${noteValues((note) => l[note])})
		RETURNING id::text`;
	one(rows.length, 'location');
	return rows[0]!.id;
}

/** A new active service of the organisation, confirmed today (its needs, audiences and places are written apart); its id. */
export async function insertService(tx: TransactionSql, organizationId: string, category: string, s: ServiceFields): Promise<string> {
	const rows = await tx<{ id: string }[]>`
		INSERT INTO service (organization_id, name, description, category, accepting_new, email, url, closed_from, closed_until, closure_note, verified_at)
		VALUES (${organizationId}::uuid, ${s.name}, ${s.description}, ${category}, ${s.accepting_new}, ${s.email}, ${s.url},
			${s.closed_from}::date, ${s.closed_until}::date, ${s.closure_note}, ${romeToday()})
		RETURNING id::text`;
	one(rows.length, 'service');
	return rows[0]!.id;
}

/** Offers a service at a location (a map pin). */
export async function addServiceLocation(tx: TransactionSql, serviceId: string, locationId: string): Promise<void> {
	const rows = await tx`INSERT INTO service_at_location (service_id, location_id) VALUES (${serviceId}::uuid, ${locationId}::uuid) RETURNING id`;
	one(rows.length, 'pin');
}

/** The organisation's places that are not removed, among `ids`, locked until the transaction ends (none removed meanwhile). */
export async function activeLocations(tx: TransactionSql, organizationId: string, ids: string[]): Promise<string[]> {
	const valid = ids.filter(isUuid);
	if (valid.length === 0) return [];
	const rows = await tx<{ id: string }[]>`
		SELECT id::text FROM location
		WHERE organization_id = ${organizationId}::uuid AND id = ANY(${valid}::uuid[]) AND removed_at IS NULL
		ORDER BY id FOR SHARE`;
	return rows.map((r) => r.id);
}

/** The names of the active services offered at a location (a place that hosts one is not removed). */
export async function activeServicesAt(db: Db, locationId: string): Promise<string[]> {
	const rows = await db<{ name: string }[]>`
		SELECT s.name FROM service_at_location sal JOIN service s ON s.id = sal.service_id
		WHERE sal.location_id = ${locationId}::uuid AND s.status = 'active' ORDER BY s.name`;
	return rows.map((r) => r.name);
}

/** The names of a service's removed places (a service is not restored at a removed place). */
export async function removedLocationsOf(tx: TransactionSql, serviceId: string): Promise<string[]> {
	const rows = await tx<{ name: string }[]>`
		SELECT l.name FROM service_at_location sal JOIN location l ON l.id = sal.location_id
		WHERE sal.service_id = ${serviceId}::uuid AND l.removed_at IS NOT NULL ORDER BY l.name
		FOR SHARE OF l`;
	return rows.map((r) => r.name);
}

export async function replaceServiceNeeds(tx: TransactionSql, serviceId: string, needs: string[]): Promise<void> {
	await tx`DELETE FROM service_need WHERE service_id = ${serviceId}::uuid`;
	if (needs.length > 0) {
		const inserted = await tx`INSERT INTO service_need ${tx(needs.map((need) => ({ service_id: serviceId, need })), 'service_id', 'need')}`;
		if (inserted.count !== needs.length) throw new Error('the needs were not all written');
	}
}

export async function replaceServiceAudiences(tx: TransactionSql, serviceId: string, audiences: string[]): Promise<void> {
	await tx`DELETE FROM service_audience WHERE service_id = ${serviceId}::uuid`;
	if (audiences.length > 0) {
		const rows = audiences.map((audience) => ({ service_id: serviceId, audience }));
		const inserted = await tx`INSERT INTO service_audience ${tx(rows, 'service_id', 'audience')}`;
		if (inserted.count !== audiences.length) throw new Error('the audiences were not all written');
	}
}

/** A service's opening hours at one of its locations (null: no hours given). */
export async function setServiceHours(tx: TransactionSql, serviceId: string, locationId: string, expression: string | null): Promise<void> {
	const [pin] = await tx<{ id: string }[]>`
		SELECT id::text FROM service_at_location WHERE service_id = ${serviceId}::uuid AND location_id = ${locationId}::uuid`;
	if (!pin) throw new Error(`the service is not offered at location ${locationId}`);
	if (expression === null) {
		await tx`DELETE FROM schedule WHERE service_at_location_id = ${pin.id}::uuid`;
	} else {
		const hoursId = await openingHours.idFor(tx, expression);
		const written = await tx`
			INSERT INTO schedule (service_at_location_id, opening_hours_id) VALUES (${pin.id}::uuid, ${hoursId})
			ON CONFLICT (service_at_location_id) DO UPDATE SET opening_hours_id = EXCLUDED.opening_hours_id`;
		one(written.count, 'schedule');
	}
}

/**
 * Sets verified_at to today on the organisation and all its services, locking them first: each
 * record with its date before and after. Empty when there is no such organisation.
 */
export async function confirmOrganization(
	tx: TransactionSql,
	organizationId: string
): Promise<{ entity: Entity; id: string; before: string; after: string }[]> {
	return tx<{ entity: Entity; id: string; before: string; after: string }[]>`
		WITH org AS (
			SELECT id, to_char(verified_at, 'YYYY-MM-DD') AS before FROM organization WHERE id = ${organizationId}::uuid FOR UPDATE
		), services AS (
			SELECT id, to_char(verified_at, 'YYYY-MM-DD') AS before FROM service
			WHERE organization_id = ${organizationId}::uuid AND status = 'active' FOR UPDATE
		), org_done AS (
			UPDATE organization o SET verified_at = ${romeToday()} FROM org WHERE o.id = org.id
			RETURNING 'organization' AS entity, o.id::text, org.before, to_char(o.verified_at, 'YYYY-MM-DD') AS after
		), services_done AS (
			UPDATE service s SET verified_at = ${romeToday()} FROM services WHERE s.id = services.id
			RETURNING 'service' AS entity, s.id::text, services.before, to_char(s.verified_at, 'YYYY-MM-DD') AS after
		)
		SELECT * FROM org_done UNION ALL SELECT * FROM services_done`;
}

/* ------------------------------------------------------------------------------------------- */
/* The change history.                                                                           */

export interface NewChange {
	actor: { id: string; email: string } | null;
	organizationId: string;
	entity: Entity;
	entityId: string;
	action: ChangeAction;
	diff: FieldDiff;
	reverts?: number;
}

/** Appends a change to the history; its id. */
export async function appendChange(tx: TransactionSql, change: NewChange): Promise<number> {
	const [row] = await tx<{ id: number }[]>`
		INSERT INTO record_change (actor_id, actor_email, organization_id, entity, entity_id, action, before, after, reverts)
		VALUES (${change.actor?.id ?? null}::uuid, ${change.actor?.email ?? null}, ${change.organizationId}::uuid, ${change.entity},
			${change.entityId}::uuid, ${change.action}, ${tx.json(change.diff.before as never)}, ${tx.json(change.diff.after as never)},
			${change.reverts ?? null})
		RETURNING id::int`;
	if (!row) throw new Error('the change was not recorded');
	return row.id;
}

export interface StoredChange {
	organization_id: string;
	entity: Entity;
	entity_id: string;
	action: ChangeAction;
	before: Fields;
	after: Fields;
}

export async function findChange(db: Db, changeId: number): Promise<StoredChange | null> {
	const [change] = await db<StoredChange[]>`
		SELECT organization_id::text, entity, entity_id::text, action, before, after FROM record_change WHERE id = ${changeId}`;
	return change ?? null;
}

/** The change that reverted this one, if any. */
export async function revertedBy(db: Db, changeId: number): Promise<number | null> {
	const [done] = await db<{ id: number }[]>`SELECT id::int FROM record_change WHERE reverts = ${changeId}`;
	return done?.id ?? null;
}

/**
 * The change that removed this record and is not reverted (a `remove`, or the revert of its
 * `create`): reverting it restores the record. Null when the record is not removed that way.
 */
export async function removalOf(db: Db, entity: Entity, entityId: string): Promise<number | null> {
	if (!isUuid(entityId)) return null;
	const [row] = await db<{ id: number }[]>`
		SELECT c.id::int FROM record_change c
		WHERE c.entity = ${entity} AND c.entity_id = ${entityId}::uuid AND c.after->>'removed' = 'true'
			AND NOT EXISTS (SELECT 1 FROM record_change rv WHERE rv.reverts = c.id)
		ORDER BY c.id DESC LIMIT 1`;
	return row?.id ?? null;
}

/** The record's edits and reverts after this change, oldest first. */
export async function laterChanges(db: Db, change: { id: number; entity: Entity; entityId: string }): Promise<{ id: number; after: Fields }[]> {
	return db<{ id: number; after: Fields }[]>`
		SELECT id::int, after FROM record_change
		WHERE entity = ${change.entity} AND entity_id = ${change.entityId}::uuid AND id > ${change.id} AND action <> 'verify'
		ORDER BY id`;
}

/* ------------------------------------------------------------------------------------------- */
/* Reads for the pages.                                                                          */

export interface OrganizationSummary {
	id: string;
	name: string;
	demo: boolean;
	verified_at: string;
	/** The organisation itself is "da verificare". */
	stale: boolean;
	services: number;
	stale_services: number;
	/** The person's role in it (null for an administrator who is not one of its staff). */
	role: 'editor' | 'viewer' | null;
}

const summaryColumns = (userId: string) => sql`
	o.id::text, o.name, o.demo, to_char(o.verified_at, 'YYYY-MM-DD') AS verified_at, ${staleSql('o.verified_at')} AS stale,
	(SELECT count(*)::int FROM service s WHERE s.organization_id = o.id AND s.status = 'active') AS services,
	(SELECT count(*)::int FROM service s WHERE s.organization_id = o.id AND s.status = 'active' AND ${staleSql('s.verified_at')}) AS stale_services,
	(SELECT m.role FROM organization_member m WHERE m.organization_id = o.id AND m.user_id = ${userId}::uuid) AS role`;

/** The organisations a person works for. */
export async function organizationsOf(userId: string): Promise<OrganizationSummary[]> {
	return sql<OrganizationSummary[]>`
		SELECT ${summaryColumns(userId)} FROM organization o
		WHERE EXISTS (SELECT 1 FROM organization_member m WHERE m.organization_id = o.id AND m.user_id = ${userId}::uuid)
		ORDER BY o.name`;
}

/** Organisations whose name contains `q` (accents and case ignored), for administrators. */
export async function searchOrganizations(userId: string, q: string, limit = 50): Promise<OrganizationSummary[]> {
	const text = escapeLike(q.trim());
	return sql<OrganizationSummary[]>`
		SELECT ${summaryColumns(userId)} FROM organization o
		WHERE fold_text(o.name) LIKE '%' || fold_text(${text}) || '%'
		ORDER BY o.name LIMIT ${limit}`;
}

export interface OrganizationPage {
	id: string;
	demo: boolean;
	verified_at: string;
	stale: boolean;
	version: string;
	fields: OrganizationFields;
	/** Its places, removed ones included (`removed`: listed apart, restorable). */
	locations: { id: string; name: string; address: string | null; confidential: boolean; removed: boolean }[];
	services: {
		id: string;
		name: string;
		category: string;
		verified_at: string;
		stale: boolean;
		accepting_new: boolean | null;
		closed_now: boolean;
		/** A public pin of the service, for a "see it on the map" link. */
		pin: string | null;
		removed: boolean;
	}[];
}

export async function organizationPage(organizationId: string): Promise<OrganizationPage | null> {
	if (!isUuid(organizationId)) return null;
	const snapshot = await organizationSnapshot(sql, organizationId, organizationId, false);
	if (!snapshot) return null;
	const [meta] = await sql<{ demo: boolean; verified_at: string; stale: boolean }[]>`
		SELECT demo, to_char(verified_at, 'YYYY-MM-DD') AS verified_at, ${staleSql('verified_at')} AS stale
		FROM organization WHERE id = ${organizationId}::uuid`;
	if (!meta) return null;
	const locations = await sql<OrganizationPage['locations']>`
		SELECT id::text, name, NULLIF(concat_ws(', ', address_1, concat_ws(' ', postal_code, city)), '') AS address, confidential,
			removed_at IS NOT NULL AS removed
		FROM location WHERE organization_id = ${organizationId}::uuid ORDER BY name, id`;
	const services = await sql<OrganizationPage['services']>`
		SELECT s.id::text, s.name, s.category, to_char(s.verified_at, 'YYYY-MM-DD') AS verified_at, ${staleSql('s.verified_at')} AS stale,
			s.accepting_new, service_closed_at(s.closed_from, s.closed_until, now()) AS closed_now,
			(SELECT r.id::text FROM public_resource r WHERE r.service_id = s.id ORDER BY r.id LIMIT 1) AS pin,
			s.status = 'inactive' AS removed
		FROM service s WHERE s.organization_id = ${organizationId}::uuid ORDER BY s.name, s.id`;
	return { id: organizationId, ...meta, version: snapshot.version, fields: snapshot.fields as OrganizationFields, locations, services };
}

export interface LocationPage {
	id: string;
	organization: { id: string; name: string };
	version: string;
	fields: LocationFields;
	/** Removed from the partner pages (restorable): shown, not editable. */
	removed: boolean;
	/** Its active services. */
	services: string[];
}

export async function locationPage(organizationId: string, locationId: string): Promise<LocationPage | null> {
	if (!isUuid(organizationId) || !isUuid(locationId)) return null;
	const snapshot = await locationSnapshot(sql, organizationId, locationId, false);
	if (!snapshot) return null;
	const services = await sql<{ name: string }[]>`
		SELECT s.name FROM service_at_location sal JOIN service s ON s.id = sal.service_id
		WHERE sal.location_id = ${locationId}::uuid AND s.status = 'active' ORDER BY s.name`;
	const organization = await organizationName(organizationId);
	if (!organization) return null;
	const { removed, ...fields } = snapshot.fields as LocationFields & { removed: boolean };
	return { id: locationId, organization, version: snapshot.version, fields, removed, services: services.map((s) => s.name) };
}

export interface ServicePage {
	id: string;
	organization: { id: string; name: string };
	category: string;
	verified_at: string;
	stale: boolean;
	version: string;
	/** The service's fields, `hours.<location id>` included (and `removed`). */
	fields: Fields;
	/** Removed from the partner pages (restorable): shown, not editable. */
	removed: boolean;
	/** Where the service is offered, each with its public pin. */
	locations: { id: string; name: string; address: string | null; pin: string | null }[];
}

export async function servicePage(organizationId: string, serviceId: string): Promise<ServicePage | null> {
	if (!isUuid(organizationId) || !isUuid(serviceId)) return null;
	const snapshot = await serviceSnapshot(sql, organizationId, serviceId, false);
	if (!snapshot) return null;
	const [meta] = await sql<{ category: string; verified_at: string; stale: boolean }[]>`
		SELECT category, to_char(verified_at, 'YYYY-MM-DD') AS verified_at, ${staleSql('verified_at')} AS stale
		FROM service WHERE id = ${serviceId}::uuid`;
	if (!meta) return null;
	const locations = await sql<ServicePage['locations']>`
		SELECT l.id::text, l.name, NULLIF(concat_ws(', ', l.address_1, concat_ws(' ', l.postal_code, l.city)), '') AS address,
			(SELECT r.id::text FROM public_resource r WHERE r.id = sal.id) AS pin
		FROM service_at_location sal JOIN location l ON l.id = sal.location_id
		WHERE sal.service_id = ${serviceId}::uuid ORDER BY l.name, l.id`;
	const organization = await organizationName(organizationId);
	if (!organization) return null;
	return { id: serviceId, organization, ...meta, version: snapshot.version, fields: snapshot.fields, removed: snapshot.fields.removed === true, locations };
}

/** The organisation's id and name (null when there is none). */
export async function organizationName(organizationId: string): Promise<{ id: string; name: string } | null> {
	const [row] = await sql<{ id: string; name: string }[]>`SELECT id::text, name FROM organization WHERE id = ${organizationId}::uuid`;
	return row ?? null;
}

/** The editable fields of a record now (tests and the history page use it). */
export async function currentFields(entity: Entity, organizationId: string, entityId: string): Promise<Fields | null> {
	if (!isUuid(organizationId) || !isUuid(entityId)) return null;
	return (await snapshot(sql, entity, organizationId, entityId, false))?.fields ?? null;
}

export interface ChangeRow {
	id: number;
	at: Date;
	actor_email: string | null;
	/** The actor's display name, else the email kept on the change (what the history pages show). */
	actor_name: string | null;
	organization_id: string;
	/** Null when the organisation no longer exists. */
	organization_name: string | null;
	entity: Entity;
	entity_id: string;
	entity_name: string | null;
	action: ChangeAction;
	before: Record<string, Json>;
	after: Record<string, Json>;
	reverts: number | null;
	reverted_by: number | null;
}

/** The change history, newest first, optionally of one organisation or one record. */
export async function changes(filter: { organizationId?: string; entityId?: string; limit?: number } = {}): Promise<ChangeRow[]> {
	const org = filter.organizationId && isUuid(filter.organizationId) ? filter.organizationId : null;
	const entity = filter.entityId && isUuid(filter.entityId) ? filter.entityId : null;
	if ((filter.organizationId && !org) || (filter.entityId && !entity)) return [];
	return sql<ChangeRow[]>`
		SELECT c.id::int, c.at, c.actor_email, COALESCE(u.name, c.actor_email) AS actor_name, c.organization_id::text, o.name AS organization_name, c.entity, c.entity_id::text,
			CASE c.entity WHEN 'organization' THEN o.name WHEN 'location' THEN l.name ELSE s.name END AS entity_name,
			c.action, c.before, c.after, c.reverts::int, rv.id::int AS reverted_by
		FROM record_change c
		LEFT JOIN organization o ON o.id = c.organization_id
		LEFT JOIN location l ON c.entity = 'location' AND l.id = c.entity_id
		LEFT JOIN service s ON c.entity = 'service' AND s.id = c.entity_id
		LEFT JOIN record_change rv ON rv.reverts = c.id
		LEFT JOIN app_user u ON u.id = c.actor_id
		WHERE (${org}::uuid IS NULL OR c.organization_id = ${org}::uuid)
			AND (${entity}::uuid IS NULL OR c.entity_id = ${entity}::uuid)
		ORDER BY c.id DESC LIMIT ${filter.limit ?? 200}`;
}

/** The organisations that have a history, for the history page's filter. */
export async function changedOrganizations(): Promise<{ id: string; name: string }[]> {
	return sql<{ id: string; name: string }[]>`
		SELECT c.organization_id::text AS id, COALESCE(o.name, c.organization_id::text) AS name
		FROM (SELECT DISTINCT organization_id FROM record_change) c LEFT JOIN organization o ON o.id = c.organization_id
		ORDER BY 2`;
}

/** Locations' names by id, to label the hours fields of services in the history. */
export async function locationNames(ids: string[]): Promise<Record<string, string>> {
	const valid = ids.filter(isUuid);
	if (valid.length === 0) return {};
	const rows = await sql<{ id: string; name: string }[]>`SELECT id::text, name FROM location WHERE id = ANY(${valid}::uuid[])`;
	return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

export interface StaleOrganization {
	id: string;
	name: string;
	demo: boolean;
	verified_at: string;
	stale: boolean;
	stale_services: { id: string; name: string; verified_at: string }[];
	staff: string[];
}

/**
 * What is "da verificare": organisations not confirmed for STALE_AFTER_MONTHS months, or with a
 * service in that state, oldest confirmation first, with the staff who can confirm them.
 */
export async function staleRecords(limit = 500): Promise<StaleOrganization[]> {
	return sql<StaleOrganization[]>`
		SELECT o.id::text, o.name, o.demo, to_char(o.verified_at, 'YYYY-MM-DD') AS verified_at, ${staleSql('o.verified_at')} AS stale,
			COALESCE((SELECT json_agg(json_build_object('id', s.id, 'name', s.name, 'verified_at', to_char(s.verified_at, 'YYYY-MM-DD'))
				ORDER BY s.verified_at, s.name) FROM service s WHERE s.organization_id = o.id AND s.status = 'active' AND ${staleSql('s.verified_at')}), '[]'::json) AS stale_services,
			ARRAY(SELECT u.email FROM organization_member m JOIN app_user u ON u.id = m.user_id
				WHERE m.organization_id = o.id AND m.role = 'editor' AND u.disabled_at IS NULL ORDER BY u.email) AS staff
		FROM organization o
		WHERE ${staleSql('o.verified_at')}
			OR EXISTS (SELECT 1 FROM service s WHERE s.organization_id = o.id AND s.status = 'active' AND ${staleSql('s.verified_at')})
		ORDER BY LEAST(o.verified_at, (SELECT min(s.verified_at) FROM service s WHERE s.organization_id = o.id AND s.status = 'active')), o.name
		LIMIT ${limit}`;
}
