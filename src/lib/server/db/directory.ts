import { checkLonLat } from '../../domain/geometry';
import { checkOpeningHours } from '../../domain/opening-hours';
import { problemList } from '../../domain/problems';
import { sameValue, type Fields, type Json } from '../../domain/record-changes';
import { LOCATION_NOTES, organizationRecord, problemsOf, type LocationNote } from '../../domain/records';
import { editedSinceSeeded, mergeSeeded, roundCoordinate, type FieldMerge } from '../../domain/seed-merge';
import type { BundleOrganization, DirectoryBundle } from '../seed/bundle';
import type postgres from 'postgres';
import { sql, type Sql, type TransactionSql } from './client';
import { noteColumns, noteValues, selectNotes, setNotesFromExcluded, writtenNotes } from './location-notes';
import * as openingHours from './opening-hours';

/**
 * Writes to the public directory. Every function here validates its input in TypeScript first
 * (the field rules of domain/records.ts — geometry and opening hours included — and references)
 * and checks the rows each statement touched, because the embedded PostGIS can fail silently;
 * every multi-row write runs in one transaction.
 */

export class DirectoryValidationError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DirectoryValidationError';
	}
}

/**
 * Checks what SQL cannot check well (or at all on the embedded backend) before anything is
 * written: every field by the directory's field rules (the same as the forms'), then references.
 */
export function validateOrganization(org: BundleOrganization): void {
	const where = `organisation "${org.name}" (${org.ref})`;
	const problems = problemList(problemsOf(organizationRecord, org));
	if (problems.length > 0) {
		throw new DirectoryValidationError(`${where}: ${problems.map((p) => `${p.field}: ${p.code}${detail(org, p.field)}`).join('; ')}`);
	}
	const locationRefs = new Set<string>();
	for (const location of org.locations) {
		if (locationRefs.has(location.ref)) throw new DirectoryValidationError(`${where}: location ref "${location.ref}" is used twice`);
		locationRefs.add(location.ref);
	}
	const serviceRefs = new Set<string>();
	for (const service of org.services) {
		if (serviceRefs.has(service.ref)) throw new DirectoryValidationError(`${where}: service ref "${service.ref}" is used twice`);
		serviceRefs.add(service.ref);
		const seenAt = new Set<string>();
		for (const at of service.at) {
			if (!locationRefs.has(at.location)) {
				throw new DirectoryValidationError(`${where}, service "${service.name}": no location with ref "${at.location}"`);
			}
			if (seenAt.has(at.location)) {
				throw new DirectoryValidationError(`${where}, service "${service.name}": location "${at.location}" is listed twice`);
			}
			seenAt.add(at.location);
		}
	}
}

/** What the checkers say about a refused point or hours, for whoever fixes a seed file: " (latitude 95 is outside -90…90)". */
function detail(org: BundleOrganization, field: string): string {
	const [list, index, name] = field.split('.');
	if (list === 'locations' && (name === 'lon' || name === 'lat')) {
		const location = org.locations[Number(index)];
		const point = location ? checkLonLat(location.lon, location.lat) : null;
		return point && !point.ok ? ` (${point.error})` : '';
	}
	if (list === 'services' && name === 'at') {
		for (const at of org.services[Number(index)]?.at ?? []) {
			const hours = at.opening_hours ? checkOpeningHours(at.opening_hours) : null;
			if (hours && !hours.ok) return ` (${hours.error})`;
		}
	}
	return '';
}

function one<T>(rows: readonly T[], what: string): T {
	if (rows.length !== 1) throw new Error(`${what}: expected one row to be written, got ${rows.length}`);
	return rows[0]!;
}

/** Where an organisation's record comes from: its source, whether it is fictional, when it was checked. */
export interface Provenance {
	sourceId: string;
	demo: boolean;
	/** ISO date, e.g. 2026-11-24: becomes the verification date of the organisation and its services. */
	verifiedAt: string;
}

/** A field the loader left alone because someone edited it since it was last loaded. */
export interface KeptEdit {
	entity: 'organization' | 'location' | 'service';
	/** `source/organisation ref`, with `/record ref` for a location or a service. */
	record: string;
	name: string;
	/** The field left alone (loader names: `point`, `hours.<location ref>`…); null: the whole record,
	 * kept although the seed file no longer has it. */
	field: string | null;
	/** `edited`: someone changed it since it was loaded; `in use`: staff, the pact or plans refer to it. */
	reason: 'edited' | 'in use';
}

type PhoneFields = { number: string; description: string | null };
type Row = Record<string, unknown>;

function phoneFields(phones: readonly { number: string; description?: string | null }[]): PhoneFields[] {
	const list = phones.map((p) => ({ number: p.number, description: p.description ?? null }));
	const key = (p: PhoneFields) => `${p.number}\u0000${p.description ?? ''}`;
	return list.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const sortedCodes = (codes: readonly string[]): string[] => [...new Set(codes)].sort();
const HOURS = 'hours.';

// The loader's view of each record: the fields a bundle sets, in one shape for the bundle's values
// and the database's, so the two compare equal when nothing changed.
function organizationFields(org: BundleOrganization): Fields {
	return {
		name: org.name,
		kind: org.kind,
		description: org.description,
		email: org.email ?? null,
		website: org.website ?? null,
		phones: phoneFields(org.phones)
	};
}

function locationFields(location: BundleOrganization['locations'][number]): Fields {
	return {
		name: location.name,
		point: [roundCoordinate(location.lon), roundCoordinate(location.lat)],
		confidential: location.confidential,
		address: location.address ?? null,
		postal_code: location.postal_code ?? null,
		city: location.city ?? null,
		// Only the notes written: snapshots written before a note existed stay equal.
		...writtenNotes(location)
	};
}

function serviceFields(service: BundleOrganization['services'][number]): Fields {
	return {
		name: service.name,
		description: service.description,
		category: service.category,
		accepting_new: service.accepting_new,
		email: service.email ?? null,
		url: service.url ?? null,
		needs: sortedCodes(service.needs),
		audiences: sortedCodes(service.audiences),
		phones: phoneFields(service.phones),
		// Only when stated: snapshots written before a file could state them stay equal.
		...statedExtent(service.capacity ?? null, service.areas ?? []),
		...Object.fromEntries(service.at.map((at) => [HOURS + at.location, at.opening_hours ?? null]))
	};
}

/**
 * The columns an organisation and a service from a source are inserted with: one list each, for
 * {@link writeOrganization} (one record, merged field by field) and {@link insertNewOrganizations}
 * (many new records at once). Their rows are typed by it ({@link RowOf}), so a column missing or
 * added in one place and not the other does not compile.
 */
const ORGANIZATION_COLUMNS = ['name', 'kind', 'description', 'email', 'website', 'source_id', 'source_ref', 'demo', 'verified_at', 'seeded'] as const;
const SERVICE_COLUMNS = ['organization_id', 'name', 'description', 'category', 'accepting_new', 'email', 'url', 'capacity', 'source_ref', 'verified_at', 'seeded'] as const;
/** A row with exactly `C`'s columns, for postgres.js's insert helper. */
type RowOf<C extends readonly string[]> = Record<C[number], postgres.ParameterOrJSON<never>>;
type ServiceRow = RowOf<typeof SERVICE_COLUMNS>;

/** A new organisation's row: every field written, and its snapshot the same fields (as mergeSeeded gives for a record not in the database). */
function newOrganizationRow(org: BundleOrganization, provenance: Provenance): RowOf<typeof ORGANIZATION_COLUMNS> {
	return {
		name: org.name,
		kind: org.kind,
		description: org.description,
		email: org.email ?? null,
		website: org.website ?? null,
		source_id: provenance.sourceId,
		source_ref: org.ref,
		demo: provenance.demo,
		verified_at: provenance.verifiedAt,
		seeded: organizationFields(org)
	};
}

/** A service's capacity and rioni (HSDS service_capacity, service_area) as loader fields, each only when there is one. */
function statedExtent(capacity: number | null, areas: readonly string[]): Fields {
	return { ...(capacity !== null ? { capacity } : {}), ...(areas.length > 0 ? { areas: sortedCodes(areas) } : {}) };
}

interface Current {
	id: string;
	ref: string | null;
	seeded: Fields | null;
	fields: Fields;
}

async function currentOrganization(tx: TransactionSql, sourceId: string, ref: string): Promise<Current | null> {
	const [row] = await tx<Row[]>`
		SELECT o.id::text, o.source_ref, o.seeded, o.name, o.kind, o.description, o.email, o.website,
			COALESCE((SELECT json_agg(json_build_object('number', p.number, 'description', p.description))
				FROM phone p WHERE p.organization_id = o.id), '[]'::json) AS phones
		FROM organization o WHERE o.source_id = ${sourceId} AND o.source_ref = ${ref}
		FOR UPDATE`;
	if (!row) return null;
	return {
		id: row.id as string,
		ref: row.source_ref as string,
		seeded: row.seeded as Fields | null,
		fields: {
			name: row.name as string,
			kind: row.kind as string,
			description: row.description as string,
			email: row.email as string | null,
			website: row.website as string | null,
			phones: phoneFields(row.phones as PhoneFields[])
		}
	};
}

async function currentLocations(tx: TransactionSql, organizationId: string): Promise<Current[]> {
	const rows = await tx<Row[]>`
		SELECT id::text, source_ref, seeded, name, ST_X(geom) AS lon, ST_Y(geom) AS lat, confidential, address_1, postal_code, city
			${selectNotes('location')}
		FROM location WHERE organization_id = ${organizationId}::uuid
		FOR UPDATE`;
	return rows.map((row) => ({
		id: row.id as string,
		ref: row.source_ref as string | null,
		seeded: row.seeded as Fields | null,
		fields: {
			name: row.name as string,
			point: [roundCoordinate(row.lon as number), roundCoordinate(row.lat as number)],
			confidential: row.confidential as boolean,
			address: row.address_1 as string | null,
			postal_code: row.postal_code as string | null,
			city: row.city as string | null,
			...writtenNotes(row as Record<LocationNote, string | null>)
		}
	}));
}

/** A location's key in a service's `hours.<…>` fields: its ref, or its id when it has none. */
const locationKey = (location: { id: string; ref: string | null }) => location.ref ?? `id:${location.id}`;

async function currentServices(
	tx: TransactionSql,
	organizationId: string,
	locations: Current[]
): Promise<{ services: Current[]; pins: Map<string, string> }> {
	const rows = await tx<Row[]>`
		SELECT s.id::text, s.source_ref, s.seeded, s.name, s.description, s.category, s.accepting_new, s.email, s.url,
			ARRAY(SELECT sn.need FROM service_need sn WHERE sn.service_id = s.id) AS needs,
			ARRAY(SELECT sa.audience FROM service_audience sa WHERE sa.service_id = s.id) AS audiences,
			COALESCE((SELECT json_agg(json_build_object('number', p.number, 'description', p.description))
				FROM phone p WHERE p.service_id = s.id), '[]'::json) AS phones,
			s.capacity,
			ARRAY(SELECT n.name FROM service_area a JOIN neighbourhood n ON n.id = a.neighbourhood_id WHERE a.service_id = s.id) AS areas
		FROM service s WHERE s.organization_id = ${organizationId}::uuid
		FOR UPDATE OF s`;
	const hours = await tx<{ id: string; service_id: string; location_id: string; expression: string | null }[]>`
		SELECT sal.id::text, sal.service_id::text, sal.location_id::text, oh.expression
		FROM service_at_location sal
		JOIN service s ON s.id = sal.service_id
		LEFT JOIN schedule sch ON sch.service_at_location_id = sal.id
		LEFT JOIN opening_hours oh ON oh.id = sch.opening_hours_id
		WHERE s.organization_id = ${organizationId}::uuid`;
	const keyOf = new Map(locations.map((l) => [l.id, locationKey(l)]));
	// Pins by `<service id> hours.<location key>`, for removing one.
	const pins = new Map<string, string>();
	const services = rows.map((row) => {
		const id = row.id as string;
		const fields: Fields = {
			name: row.name as string,
			description: row.description as string,
			category: row.category as string,
			accepting_new: row.accepting_new as boolean | null,
			email: row.email as string | null,
			url: row.url as string | null,
			needs: sortedCodes(row.needs as string[]),
			audiences: sortedCodes(row.audiences as string[]),
			phones: phoneFields(row.phones as PhoneFields[]),
			...statedExtent(row.capacity as number | null, row.areas as string[])
		};
		for (const pin of hours.filter((h) => h.service_id === id)) {
			const key = HOURS + (keyOf.get(pin.location_id) ?? `id:${pin.location_id}`);
			fields[key] = pin.expression;
			pins.set(`${id} ${key}`, pin.id);
		}
		return { id, ref: row.source_ref as string | null, seeded: row.seeded as Fields | null, fields };
	});
	return { services, pins };
}

/**
 * For records written before the loader kept snapshots: the fields their change history (partner
 * pages, administrators' reverts) says someone edited, by record id, in the loader's names.
 */
async function editedWithoutSnapshot(tx: TransactionSql, organizationId: string, locations: Current[]): Promise<Map<string, Set<string>>> {
	const rows = await tx<{ entity_id: string; key: string }[]>`
		SELECT DISTINCT c.entity_id::text, k.key
		FROM record_change c CROSS JOIN LATERAL jsonb_object_keys(c.after) AS k(key)
		WHERE c.organization_id = ${organizationId}::uuid AND c.action <> 'verify'`;
	const keyOf = new Map(locations.map((l) => [l.id, locationKey(l)]));
	const edited = new Map<string, Set<string>>();
	for (const row of rows) {
		let key = row.key;
		if (key === 'lon' || key === 'lat') key = 'point';
		else if (key.startsWith(HOURS)) key = HOURS + (keyOf.get(key.slice(HOURS.length)) ?? `id:${key.slice(HOURS.length)}`);
		if (!edited.has(row.entity_id)) edited.set(row.entity_id, new Set());
		edited.get(row.entity_id)!.add(key);
	}
	return edited;
}

const has = (merge: FieldMerge, key: string) => key in merge.write;
/** A column's value to write: the seed file's where the merge writes it, else the current one. */
const value = (merge: FieldMerge, key: string, current: Json | undefined): string | boolean | null =>
	((key in merge.write ? merge.write[key] : current) ?? null) as string | boolean | null;

async function writePhones(tx: TransactionSql, owner: { organizationId?: string; serviceId?: string }, phones: PhoneFields[], what: string) {
	if (owner.organizationId) await tx`DELETE FROM phone WHERE organization_id = ${owner.organizationId}::uuid`;
	else await tx`DELETE FROM phone WHERE service_id = ${owner.serviceId!}::uuid`;
	for (const phone of phones) {
		one(
			await tx`INSERT INTO phone (organization_id, service_id, number, description)
				VALUES (${owner.organizationId ?? null}::uuid, ${owner.serviceId ?? null}::uuid, ${phone.number}, ${phone.description}) RETURNING id`,
			`phone of ${what}`
		);
	}
}

/** A service's rioni (by name; the import checked that each exists) in place of those it had. */
async function writeAreas(tx: TransactionSql, serviceId: string, names: readonly string[], what: string) {
	await tx`DELETE FROM service_area WHERE service_id = ${serviceId}::uuid`;
	if (names.length === 0) return;
	const written = await tx`
		INSERT INTO service_area (service_id, neighbourhood_id)
		SELECT ${serviceId}::uuid, n.id FROM neighbourhood n WHERE n.name = ANY(${names as string[]}::text[])`;
	if (written.count !== names.length) throw new Error(`rioni of ${what}: ${written.count} of ${names.length} written`);
}

/**
 * Writes one organisation with its phones, locations, services (needs, audiences, phones) and
 * pins with their hours, inside the caller's transaction, and returns its id. Matched by
 * (source, ref): an existing record is updated in place, field by field, except the fields someone
 * edited since they were last loaded, which stay as they are and are added to `kept`; what `org`
 * no longer has is removed unless someone edited it. Call {@link validateOrganization} first: this
 * assumes valid input and only checks row counts.
 */
export async function writeOrganization(
	tx: TransactionSql,
	org: BundleOrganization,
	provenance: Provenance,
	kept: KeptEdit[] = []
): Promise<string> {
	const where = `${provenance.sourceId}/${org.ref}`;
	const existing = await currentOrganization(tx, provenance.sourceId, org.ref);
	const locations = existing ? await currentLocations(tx, existing.id) : [];
	const { services, pins } = existing ? await currentServices(tx, existing.id, locations) : { services: [], pins: new Map<string, string>() };
	const noSnapshot =
		existing && [existing, ...locations, ...services].some((record) => record.seeded === null)
			? await editedWithoutSnapshot(tx, existing.id, locations)
			: new Map<string, Set<string>>();
	const merge = (record: Current | undefined, next: Fields) =>
		mergeSeeded(record?.fields ?? null, record?.seeded ?? null, next, record ? noSnapshot.get(record.id) : undefined);
	const report = (entity: KeptEdit['entity'], record: string, name: string, fields: (string | null)[], reason: KeptEdit['reason'] = 'edited') => {
		for (const field of fields) kept.push({ entity, record, name, field, reason });
	};

	const orgMerge = merge(existing ?? undefined, organizationFields(org));
	report('organization', where, org.name, orgMerge.kept);
	let organizationId: string;
	if (!existing) {
		({ id: organizationId } = one(
			await tx<{ id: string }[]>`INSERT INTO organization ${tx(newOrganizationRow(org, provenance), ORGANIZATION_COLUMNS)} RETURNING id`,
			`organisation ${org.ref}`
		));
	} else {
		organizationId = existing.id;
		const f = existing.fields;
		// A confirmation by the partner (verified_at) is never moved back to an older source date.
		one(
			await tx<{ id: string }[]>`
				UPDATE organization SET
					name = ${value(orgMerge, 'name', f.name)}, kind = ${value(orgMerge, 'kind', f.kind)},
					description = ${value(orgMerge, 'description', f.description)},
					email = ${value(orgMerge, 'email', f.email)}, website = ${value(orgMerge, 'website', f.website)},
					demo = ${provenance.demo}, verified_at = GREATEST(verified_at, ${provenance.verifiedAt}::date),
					seeded = ${tx.json(orgMerge.snapshot as never)},
					updated_at = CASE WHEN ${Object.keys(orgMerge.write).length > 0} THEN now() ELSE updated_at END
				WHERE id = ${organizationId}::uuid
				RETURNING id`,
			`organisation ${org.ref}`
		);
	}
	if (has(orgMerge, 'phones')) await writePhones(tx, { organizationId }, orgMerge.write.phones as PhoneFields[], org.ref);

	const locationIds = new Map<string, string>();
	for (const location of org.locations) {
		const current = locations.find((l) => l.ref === location.ref);
		const m = merge(current, locationFields(location));
		report('location', `${where}/${location.ref}`, location.name, m.kept);
		const [lon, lat] = current && !has(m, 'point') ? (current.fields.point as [number, number]) : [location.lon, location.lat];
		const f = current?.fields;
		const { id } = one(
			await tx<{ id: string }[]>`
				INSERT INTO location (organization_id, name, geom, confidential, address_1, postal_code, city ${noteColumns()}, source_ref, seeded)
				VALUES (${organizationId}, ${value(m, 'name', f?.name)}, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326),
					${value(m, 'confidential', f?.confidential)}, ${value(m, 'address', f?.address)},
					${value(m, 'postal_code', f?.postal_code)}, ${value(m, 'city', f?.city)}
					${noteValues((note) => (m.remove.includes(note) ? null : (value(m, note, f?.[note]) as string | null)))},
					${location.ref}, ${tx.json(m.snapshot as never)})
				ON CONFLICT (organization_id, source_ref) DO UPDATE SET
					name = EXCLUDED.name, confidential = EXCLUDED.confidential, address_1 = EXCLUDED.address_1,
					postal_code = EXCLUDED.postal_code, city = EXCLUDED.city ${setNotesFromExcluded()}, seeded = EXCLUDED.seeded,
					-- Only a moved point is written: the trigger re-places the location when geom is set.
					geom = CASE WHEN ${has(m, 'point')} THEN EXCLUDED.geom ELSE location.geom END,
					updated_at = CASE WHEN ${Object.keys(m.write).length > 0} THEN now() ELSE location.updated_at END
				RETURNING id`,
			`location ${where}/${location.ref}`
		);
		locationIds.set(location.ref, id);
	}
	const locationRefs = new Set(org.locations.map((l) => l.ref));
	for (const gone of locations.filter((l) => l.ref !== null && !locationRefs.has(l.ref))) {
		if (editedSinceSeeded(gone.fields, gone.seeded, noSnapshot.get(gone.id))) {
			report('location', `${where}/${gone.ref}`, String(gone.fields.name), [null]);
		} else {
			await tx`DELETE FROM location WHERE id = ${gone.id}::uuid`;
		}
	}

	for (const service of org.services) {
		const current = services.find((s) => s.ref === service.ref);
		const m = merge(current, serviceFields(service));
		report('service', `${where}/${service.ref}`, service.name, m.kept);
		const f = current?.fields;
		const row: ServiceRow = {
			organization_id: organizationId,
			name: value(m, 'name', f?.name),
			description: value(m, 'description', f?.description),
			category: value(m, 'category', f?.category),
			accepting_new: value(m, 'accepting_new', f?.accepting_new),
			email: value(m, 'email', f?.email),
			url: value(m, 'url', f?.url),
			// A new service's capacity; an existing one's is changed (or removed) by the update below, as the merge says.
			capacity: (m.write.capacity as number | undefined) ?? (f?.capacity as number | null | undefined) ?? null,
			source_ref: service.ref,
			verified_at: provenance.verifiedAt,
			seeded: m.snapshot
		};
		const { id: serviceId } = one(
			await tx<{ id: string }[]>`
				INSERT INTO service ${tx(row, SERVICE_COLUMNS)}
				ON CONFLICT (organization_id, source_ref) DO UPDATE SET
					name = EXCLUDED.name, description = EXCLUDED.description, category = EXCLUDED.category,
					accepting_new = EXCLUDED.accepting_new, email = EXCLUDED.email, url = EXCLUDED.url, seeded = EXCLUDED.seeded,
					verified_at = GREATEST(service.verified_at, EXCLUDED.verified_at),
					updated_at = CASE WHEN ${Object.keys(m.write).length > 0} THEN now() ELSE service.updated_at END
				RETURNING id`,
			`service ${where}/${service.ref}`
		);
		if (has(m, 'needs')) {
			await tx`DELETE FROM service_need WHERE service_id = ${serviceId}`;
			const rows = (m.write.needs as string[]).map((need) => ({ service_id: serviceId, need }));
			if (rows.length > 0) {
				const inserted = await tx`INSERT INTO service_need ${tx(rows, 'service_id', 'need')}`;
				if (inserted.count !== rows.length) throw new Error(`needs of ${where}/${service.ref} were not all written`);
			}
		}
		if (has(m, 'audiences')) {
			await tx`DELETE FROM service_audience WHERE service_id = ${serviceId}`;
			const rows = (m.write.audiences as string[]).map((audience) => ({ service_id: serviceId, audience }));
			if (rows.length > 0) {
				const inserted = await tx`INSERT INTO service_audience ${tx(rows, 'service_id', 'audience')}`;
				if (inserted.count !== rows.length) throw new Error(`audiences of ${where}/${service.ref} were not all written`);
			}
		}
		if (has(m, 'phones')) await writePhones(tx, { serviceId }, m.write.phones as PhoneFields[], `${where}/${service.ref}`);
		if (has(m, 'capacity') || m.remove.includes('capacity')) {
			one(
				await tx`UPDATE service SET capacity = ${has(m, 'capacity') ? (m.write.capacity as number) : null} WHERE id = ${serviceId} RETURNING id`,
				`capacity of ${where}/${service.ref}`
			);
		}
		if (has(m, 'areas') || m.remove.includes('areas')) await writeAreas(tx, serviceId, has(m, 'areas') ? (m.write.areas as string[]) : [], `${where}/${service.ref}`);

		for (const [key, expression] of Object.entries(m.write)) {
			if (!key.startsWith(HOURS)) continue;
			const locationId = locationIds.get(key.slice(HOURS.length))!;
			const { id: salId } = one(
				await tx<{ id: string }[]>`
					INSERT INTO service_at_location (service_id, location_id) VALUES (${serviceId}, ${locationId})
					ON CONFLICT (service_id, location_id) DO UPDATE SET location_id = EXCLUDED.location_id
					RETURNING id`,
				`pin ${where}/${service.ref}@${key}`
			);
			if (expression) {
				const hoursId = await openingHours.idFor(tx, String(expression));
				one(
					await tx`INSERT INTO schedule (service_at_location_id, opening_hours_id) VALUES (${salId}, ${hoursId})
						ON CONFLICT (service_at_location_id) DO UPDATE SET opening_hours_id = EXCLUDED.opening_hours_id
						RETURNING service_at_location_id`,
					`hours of ${where}/${service.ref}@${key}`
				);
			} else {
				await tx`DELETE FROM schedule WHERE service_at_location_id = ${salId}`;
			}
		}
		for (const key of m.remove) {
			const pin = current && pins.get(`${current.id} ${key}`);
			if (pin) await tx`DELETE FROM service_at_location WHERE id = ${pin}::uuid`;
		}
	}
	const serviceRefs = new Set(org.services.map((s) => s.ref));
	for (const gone of services.filter((s) => s.ref !== null && !serviceRefs.has(s.ref))) {
		if (editedSinceSeeded(gone.fields, gone.seeded, noSnapshot.get(gone.id))) {
			report('service', `${where}/${gone.ref}`, String(gone.fields.name), [null]);
		} else {
			await tx`DELETE FROM service WHERE id = ${gone.id}::uuid`;
		}
	}
	return organizationId;
}

/**
 * Of `orgs` (the source has them all), those a file brings exactly as they were last written:
 * the organisation, its places and its services each equal to its snapshot, and no place or service
 * added or dropped. {@link writeOrganization} would write none of their fields (a field equal to its
 * snapshot is either unchanged or someone's edit, which stays), so an import skips them and only
 * moves their verification date ({@link confirmUnchanged}) — a re-import of ten thousand unchanged
 * rows is then two queries, not ten thousand merges.
 */
export async function unchangedOrganizations(tx: TransactionSql, sourceId: string, orgs: readonly BundleOrganization[]): Promise<Set<string>> {
	if (orgs.length === 0) return new Set();
	const rows = await tx<{ ref: string; seeded: Fields | null; locations: Record<string, Fields | null> | null; services: Record<string, Fields | null> | null }[]>`
		SELECT o.source_ref AS ref, o.seeded,
			(SELECT json_object_agg(COALESCE(l.source_ref, 'id:' || l.id), l.seeded) FROM location l WHERE l.organization_id = o.id) AS locations,
			(SELECT json_object_agg(COALESCE(s.source_ref, 'id:' || s.id), s.seeded) FROM service s WHERE s.organization_id = o.id) AS services
		FROM organization o
		WHERE o.source_id = ${sourceId} AND o.source_ref = ANY(${orgs.map((o) => o.ref)}::text[])`;
	const stored = new Map(rows.map((row) => [row.ref, row]));
	const same = (snapshots: Record<string, Fields | null> | null, records: { ref: string }[], fields: (record: never) => Fields) => {
		const list = Object.entries(snapshots ?? {});
		return list.length === records.length && records.every((record) => sameValue(snapshots?.[record.ref] ?? null, fields(record as never) as Json));
	};
	const unchanged = new Set<string>();
	for (const org of orgs) {
		const row = stored.get(org.ref);
		if (!row?.seeded || !sameValue(row.seeded as Json, organizationFields(org) as Json)) continue;
		if (same(row.locations, org.locations, locationFields) && same(row.services, org.services, serviceFields)) unchanged.add(org.ref);
	}
	return unchanged;
}

/** The records of `refs` confirmed by their source as of `verifiedAt` (never moved back): the organisations and their services. */
export async function confirmUnchanged(tx: TransactionSql, sourceId: string, refs: readonly string[], verifiedAt: string): Promise<string[]> {
	if (refs.length === 0) return [];
	const rows = await tx<{ id: string }[]>`
		UPDATE organization SET verified_at = GREATEST(verified_at, ${verifiedAt}::date)
		WHERE source_id = ${sourceId} AND source_ref = ANY(${refs as string[]}::text[])
		RETURNING id::text`;
	if (rows.length !== refs.length) throw new Error(`confirmed ${rows.length} of ${refs.length} organisations`);
	const ids = rows.map((r) => r.id);
	await tx`UPDATE service SET verified_at = GREATEST(verified_at, ${verifiedAt}::date) WHERE organization_id = ANY(${ids}::uuid[])`;
	return ids;
}

const BULK_CHUNK = 1000;

/**
 * Writes organisations the source does not have yet, many at once: {@link writeOrganization}'s
 * case of a record not in the database (every field written, the snapshot the same fields, as
 * mergeSeeded gives for `current` null), in a dozen multi-row statements instead of a dozen per
 * record — an import of thousands of rows would otherwise wait on that many round trips. Inside
 * the caller's transaction; call {@link validateOrganization} first, and pass only refs the source
 * lacks (a ref it has fails the unique key). Returns the new organisations' ids in `orgs`' order.
 */
export async function insertNewOrganizations(tx: TransactionSql, orgs: readonly BundleOrganization[], provenance: Provenance): Promise<string[]> {
	if (orgs.length === 0) return [];
	// A statement takes at most 65,535 parameters: a thousand records at a time stay well under.
	if (orgs.length > BULK_CHUNK) {
		const ids: string[] = [];
		for (let i = 0; i < orgs.length; i += BULK_CHUNK) ids.push(...(await insertNewOrganizations(tx, orgs.slice(i, i + BULK_CHUNK), provenance)));
		return ids;
	}
	const inserted = await tx<{ id: string; source_ref: string }[]>`
		INSERT INTO organization ${tx(orgs.map((org) => newOrganizationRow(org, provenance)), ORGANIZATION_COLUMNS)}
		RETURNING id::text, source_ref`;
	if (inserted.length !== orgs.length) throw new Error(`organisations: ${inserted.length} of ${orgs.length} written`);
	const orgId = new Map(inserted.map((row) => [row.source_ref, row.id]));
	const ids = orgs.map((org) => orgId.get(org.ref)!);
	const many = async (what: string, rows: Record<string, unknown>[], insert: (rows: Record<string, unknown>[]) => Promise<{ count: number }>) => {
		if (rows.length === 0) return;
		const result = await insert(rows);
		if (result.count !== rows.length) throw new Error(`${what}: ${result.count} of ${rows.length} written`);
	};
	const phoneRows = (owner: 'organization_id' | 'service_id', id: string, phones: readonly { number: string; description?: string | null }[]) =>
		phoneFields(phones).map((p) => ({ organization_id: null, service_id: null, [owner]: id, number: p.number, description: p.description }));
	await many('organisation phones', orgs.flatMap((org, i) => phoneRows('organization_id', ids[i]!, org.phones)), (rows) => tx`INSERT INTO phone ${tx(rows as never)}`);

	// Points as EWKT text, which the geometry column parses; the trigger places each in its rione.
	const locationRows = orgs.flatMap((org, i) =>
		org.locations.map((location) => ({
			organization_id: ids[i]!,
			name: location.name,
			geom: `SRID=4326;POINT(${location.lon} ${location.lat})`,
			confidential: location.confidential,
			address_1: location.address ?? null,
			postal_code: location.postal_code ?? null,
			city: location.city ?? null,
			...Object.fromEntries(LOCATION_NOTES.map((note) => [`${note}_description`, location[note] ?? null])),
			source_ref: location.ref,
			seeded: locationFields(location)
		}))
	);
	/** Inserts an organisation's places or services (the columns: the rows' keys); their ids by `<organisation id> <ref>`. */
	const insertOwned = async (table: 'location' | 'service', rows: Record<string, unknown>[]) => {
		const written = await tx<{ id: string; organization_id: string; source_ref: string }[]>`
			INSERT INTO ${tx(table)} ${tx(rows as never)} RETURNING id::text, organization_id::text, source_ref`;
		if (written.length !== rows.length) throw new Error(`${table}: ${written.length} of ${rows.length} written`);
		return new Map(written.map((row) => [`${row.organization_id} ${row.source_ref}`, row.id]));
	};
	const locationId = await insertOwned('location', locationRows);

	const serviceRows = orgs.flatMap((org, i) =>
		org.services.map((service): ServiceRow => ({
			organization_id: ids[i]!,
			name: service.name,
			description: service.description,
			category: service.category,
			accepting_new: service.accepting_new,
			email: service.email ?? null,
			url: service.url ?? null,
			capacity: service.capacity ?? null,
			source_ref: service.ref,
			verified_at: provenance.verifiedAt,
			seeded: serviceFields(service)
		}))
	);
	const serviceId = await insertOwned('service', serviceRows);
	const each = orgs.flatMap((org, i) => org.services.map((service) => ({ service, id: serviceId.get(`${ids[i]} ${service.ref}`)!, orgId: ids[i]! })));
	await many('needs', each.flatMap(({ service, id }) => sortedCodes(service.needs).map((need) => ({ service_id: id, need }))), (rows) => tx`INSERT INTO service_need ${tx(rows as never)}`);
	await many('audiences', each.flatMap(({ service, id }) => sortedCodes(service.audiences).map((audience) => ({ service_id: id, audience }))), (rows) => tx`INSERT INTO service_audience ${tx(rows as never)}`);
	await many('service phones', each.flatMap(({ service, id }) => phoneRows('service_id', id, service.phones)), (rows) => tx`INSERT INTO phone ${tx(rows as never)}`);
	const areaRows = each.flatMap(({ service, id }) => sortedCodes(service.areas ?? []).map((name) => ({ service_id: id, name })));
	await many(
		'rioni',
		areaRows,
		(rows) => tx`
			INSERT INTO service_area (service_id, neighbourhood_id)
			SELECT a.service_id::uuid, n.id FROM jsonb_to_recordset(${tx.json(rows as never)}) AS a(service_id text, name text)
			JOIN neighbourhood n ON n.name = a.name`
	);

	const pinRows = each.flatMap(({ service, id, orgId }) =>
		service.at.map((at) => ({ service_id: id, location_id: locationId.get(`${orgId} ${at.location}`)!, hours: at.opening_hours ?? null }))
	);
	const pins = await tx<{ id: string; service_id: string; location_id: string }[]>`
		INSERT INTO service_at_location ${tx(pinRows.map(({ service_id, location_id }) => ({ service_id, location_id })))}
		RETURNING id::text, service_id::text, location_id::text`;
	if (pins.length !== pinRows.length) throw new Error(`pins: ${pins.length} of ${pinRows.length} written`);
	const pinId = new Map(pins.map((p) => [`${p.service_id} ${p.location_id}`, p.id]));
	// The few distinct expressions each stored (and expanded) once.
	const hoursId = new Map<string, number>();
	for (const expression of new Set(pinRows.flatMap((p) => (p.hours ? [p.hours] : [])))) hoursId.set(expression, await openingHours.idFor(tx, expression));
	await many(
		'hours',
		pinRows.flatMap((p) => (p.hours ? [{ service_at_location_id: pinId.get(`${p.service_id} ${p.location_id}`)!, opening_hours_id: hoursId.get(p.hours)! }] : [])),
		(rows) => tx`INSERT INTO schedule ${tx(rows as never)}`
	);
	return ids;
}

export interface BundleReport {
	source: string;
	organizations: number;
	removed: number;
	/** What stayed as people edited it, although the bundle says otherwise. */
	kept: KeptEdit[];
}

/** Checks a bundle as a whole before anything is written; throws DirectoryValidationError. */
export function validateBundle(bundle: DirectoryBundle): void {
	const orgRefs = new Set<string>();
	for (const org of bundle.organizations) {
		if (orgRefs.has(org.ref)) throw new DirectoryValidationError(`organisation ref "${org.ref}" is used twice`);
		orgRefs.add(org.ref);
		validateOrganization(org);
	}
}

/** Adds a source of records, or brings its name, licence, address and attribution up to date. */
export async function upsertSource(tx: TransactionSql, source: DirectoryBundle['source']): Promise<void> {
	one(
		await tx`
			INSERT INTO source (id, name, licence, url, attribution)
			VALUES (${source.id}, ${source.name}, ${source.licence}, ${source.url}, ${source.attribution})
			ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, licence = EXCLUDED.licence,
				url = EXCLUDED.url, attribution = EXCLUDED.attribution
			RETURNING id`,
		`source ${source.id}`
	);
}

/**
 * Makes the directory hold what `bundle` says for its source, inside the caller's transaction:
 * adds or updates its records by their refs (leaving fields people edited since as they are) and
 * removes the source's records the bundle no longer has, except those people edited or that staff,
 * the pact or support plans refer to. Call {@link validateBundle} first.
 */
export async function applyBundle(tx: TransactionSql, bundle: DirectoryBundle): Promise<BundleReport> {
	const { source } = bundle;
	await upsertSource(tx, source);
	const provenance = { sourceId: source.id, demo: bundle.demo, verifiedAt: bundle.verified_at };
	const kept: KeptEdit[] = [];
	for (const org of bundle.organizations) await writeOrganization(tx, org, provenance, kept);
	const gone = await tx<{ id: string; source_ref: string; name: string; edited: boolean; in_use: boolean }[]>`
		SELECT o.id::text, o.source_ref, o.name,
			-- Its own fields against the snapshot (phones aside), and its records' change history.
			(o.seeded IS NOT NULL AND o.seeded - 'phones' <> jsonb_build_object(
					'name', o.name, 'kind', o.kind, 'description', o.description, 'email', o.email, 'website', o.website))
				OR EXISTS (SELECT 1 FROM record_change c WHERE c.organization_id = o.id AND c.action <> 'verify') AS edited,
			EXISTS (SELECT 1 FROM organization_member m WHERE m.organization_id = o.id)
				OR EXISTS (SELECT 1 FROM pact_membership pm WHERE pm.organization_id = o.id)
				OR EXISTS (SELECT 1 FROM plan_consent_scope cs WHERE cs.organization_id = o.id)
				OR EXISTS (SELECT 1 FROM plan_member pl WHERE pl.organization_id = o.id)
				OR EXISTS (SELECT 1 FROM plan_override po WHERE po.organization_id = o.id)
				OR EXISTS (SELECT 1 FROM plan_action pa WHERE pa.organization_id = o.id)
				OR EXISTS (SELECT 1 FROM referral r WHERE r.organization_id = o.id) AS in_use
		FROM organization o
		WHERE o.source_id = ${source.id} AND o.source_ref <> ALL(${bundle.organizations.map((o) => o.ref)}::text[])
		FOR UPDATE`;
	const removable = gone.filter((o) => !o.edited && !o.in_use).map((o) => o.id);
	for (const org of gone.filter((o) => o.edited || o.in_use)) {
		kept.push({ entity: 'organization', record: `${source.id}/${org.source_ref}`, name: org.name, field: null, reason: org.in_use ? 'in use' : 'edited' });
	}
	const removed = removable.length > 0 ? await tx`DELETE FROM organization WHERE id = ANY(${removable}::uuid[])` : { count: 0 };
	return { source: source.id, organizations: bundle.organizations.length, removed: removed.count, kept };
}

/** {@link validateBundle} and {@link applyBundle} in a transaction of its own: all or nothing. */
export async function syncBundle(bundle: DirectoryBundle): Promise<BundleReport> {
	validateBundle(bundle);
	return sql.begin((tx) => applyBundle(tx, bundle));
}

/** What removing the demo set takes with it: its records, and what staff and plans attached to them. */
export interface DemoImpact {
	organizations: number;
	services: number;
	locations: number;
	/** Staff accounts' memberships of demo organisations (the accounts stay). */
	staffMemberships: number;
	pactMemberships: number;
	/** Plans' consent scopes, memberships and overrides naming a demo organisation. */
	consentScopes: number;
	planMembers: number;
	planOverrides: number;
	/** Referrals to demo organisations, with their history. */
	referrals: number;
	/** Plan actions assigned to a demo organisation (kept, unassigned). */
	planActions: number;
}

export async function demoImpact(db: Sql | TransactionSql = sql): Promise<DemoImpact> {
	const [row] = await db<DemoImpact[]>`
		WITH demo AS (SELECT id FROM organization WHERE demo)
		SELECT
			(SELECT count(*)::int FROM demo) AS organizations,
			(SELECT count(*)::int FROM service WHERE organization_id IN (SELECT id FROM demo)) AS services,
			(SELECT count(*)::int FROM location WHERE organization_id IN (SELECT id FROM demo)) AS locations,
			(SELECT count(*)::int FROM organization_member WHERE organization_id IN (SELECT id FROM demo)) AS "staffMemberships",
			(SELECT count(*)::int FROM pact_membership WHERE organization_id IN (SELECT id FROM demo)) AS "pactMemberships",
			(SELECT count(*)::int FROM plan_consent_scope WHERE organization_id IN (SELECT id FROM demo)) AS "consentScopes",
			(SELECT count(*)::int FROM plan_member WHERE organization_id IN (SELECT id FROM demo)) AS "planMembers",
			(SELECT count(*)::int FROM plan_override WHERE organization_id IN (SELECT id FROM demo)) AS "planOverrides",
			(SELECT count(*)::int FROM referral WHERE organization_id IN (SELECT id FROM demo)) AS referrals,
			(SELECT count(*)::int FROM plan_action WHERE organization_id IN (SELECT id FROM demo)) AS "planActions"`;
	return row!;
}

/** Removes every fictional demo record, inside the caller's transaction. Returns how many organisations went. */
export async function removeDemo(tx: TransactionSql): Promise<number> {
	const removed = await tx`DELETE FROM organization WHERE demo`;
	return removed.count;
}
