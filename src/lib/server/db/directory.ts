import { checkLonLat } from '../../domain/geometry';
import { checkOpeningHours } from '../../domain/opening-hours';
import type { BundleOrganization, DirectoryBundle } from '../seed/bundle';
import { sql, type TransactionSql } from './client';
import * as openingHours from './opening-hours';

/**
 * Writes to the public directory. Every function here validates its input in TypeScript first
 * (geometry, opening hours, references) and checks the rows each statement touched, because the
 * embedded PostGIS can fail silently; every multi-row write runs in one transaction.
 */

export class DirectoryValidationError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DirectoryValidationError';
	}
}

/** Checks what SQL cannot check well (or at all on the embedded backend) before anything is written. */
export function validateOrganization(org: BundleOrganization): void {
	const where = `organisation "${org.name}" (${org.ref})`;
	const locationRefs = new Set<string>();
	for (const location of org.locations) {
		if (locationRefs.has(location.ref)) throw new DirectoryValidationError(`${where}: location ref "${location.ref}" is used twice`);
		locationRefs.add(location.ref);
		const point = checkLonLat(location.lon, location.lat);
		if (!point.ok) throw new DirectoryValidationError(`${where}, location "${location.name}": ${point.error}`);
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
			if (at.opening_hours) {
				const hours = checkOpeningHours(at.opening_hours);
				if (!hours.ok) throw new DirectoryValidationError(`${where}, service "${service.name}": ${hours.error}`);
			}
		}
	}
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

/**
 * Writes one organisation with its phones, locations, services (needs, audiences, phones) and
 * pins with their hours, inside the caller's transaction, and returns its id. Matched by
 * (source, ref): an existing record is updated in place and loses what `org` no longer has.
 * Call {@link validateOrganization} first: this assumes valid input and only checks row counts.
 */
export async function writeOrganization(tx: TransactionSql, org: BundleOrganization, provenance: Provenance): Promise<string> {
	const { id: organizationId } = one(
		await tx<{ id: string }[]>`
			INSERT INTO organization (name, kind, description, email, website, source_id, source_ref, demo, verified_at)
			VALUES (${org.name}, ${org.kind}, ${org.description}, ${org.email ?? null}, ${org.website ?? null},
				${provenance.sourceId}, ${org.ref}, ${provenance.demo}, ${provenance.verifiedAt})
			ON CONFLICT (source_id, source_ref) DO UPDATE SET
				name = EXCLUDED.name, kind = EXCLUDED.kind, description = EXCLUDED.description,
				email = EXCLUDED.email, website = EXCLUDED.website, demo = EXCLUDED.demo,
				verified_at = EXCLUDED.verified_at, updated_at = now()
			RETURNING id`,
		`organisation ${org.ref}`
	);

	await tx`DELETE FROM phone WHERE organization_id = ${organizationId}`;
	for (const phone of org.phones) {
		one(
			await tx`INSERT INTO phone (organization_id, number, description)
				VALUES (${organizationId}, ${phone.number}, ${phone.description ?? null}) RETURNING id`,
			`phone of ${org.ref}`
		);
	}

	const locationIds = new Map<string, string>();
	for (const location of org.locations) {
		const { id } = one(
			await tx<{ id: string }[]>`
				INSERT INTO location (organization_id, name, geom, confidential, address_1, postal_code, city, source_ref)
				VALUES (${organizationId}, ${location.name},
					ST_SetSRID(ST_MakePoint(${location.lon}, ${location.lat}), 4326),
					${location.confidential}, ${location.address ?? null}, ${location.postal_code ?? null},
					${location.city ?? null}, ${location.ref})
				ON CONFLICT (organization_id, source_ref) DO UPDATE SET
					name = EXCLUDED.name, geom = EXCLUDED.geom, confidential = EXCLUDED.confidential,
					address_1 = EXCLUDED.address_1, postal_code = EXCLUDED.postal_code, city = EXCLUDED.city,
					updated_at = now()
				RETURNING id`,
			`location ${org.ref}/${location.ref}`
		);
		locationIds.set(location.ref, id);
	}
	await tx`DELETE FROM location WHERE organization_id = ${organizationId}
		AND source_ref <> ALL(${org.locations.map((l) => l.ref)}::text[])`;

	for (const service of org.services) {
		const { id: serviceId } = one(
			await tx<{ id: string }[]>`
				INSERT INTO service (organization_id, name, description, category, accepting_new, email, url, source_ref, verified_at)
				VALUES (${organizationId}, ${service.name}, ${service.description}, ${service.category},
					${service.accepting_new}, ${service.email ?? null}, ${service.url ?? null}, ${service.ref}, ${provenance.verifiedAt})
				ON CONFLICT (organization_id, source_ref) DO UPDATE SET
					name = EXCLUDED.name, description = EXCLUDED.description, category = EXCLUDED.category,
					accepting_new = EXCLUDED.accepting_new, email = EXCLUDED.email, url = EXCLUDED.url,
					verified_at = EXCLUDED.verified_at, updated_at = now()
				RETURNING id`,
			`service ${org.ref}/${service.ref}`
		);
		await tx`DELETE FROM service_need WHERE service_id = ${serviceId}`;
		if (service.needs.length > 0) {
			const rows = [...new Set(service.needs)].map((need) => ({ service_id: serviceId, need }));
			const inserted = await tx`INSERT INTO service_need ${tx(rows, 'service_id', 'need')}`;
			if (inserted.count !== rows.length) throw new Error(`needs of ${org.ref}/${service.ref} were not all written`);
		}
		await tx`DELETE FROM service_audience WHERE service_id = ${serviceId}`;
		if (service.audiences.length > 0) {
			const rows = [...new Set(service.audiences)].map((audience) => ({ service_id: serviceId, audience }));
			const inserted = await tx`INSERT INTO service_audience ${tx(rows, 'service_id', 'audience')}`;
			if (inserted.count !== rows.length) throw new Error(`audiences of ${org.ref}/${service.ref} were not all written`);
		}
		await tx`DELETE FROM phone WHERE service_id = ${serviceId}`;
		for (const phone of service.phones) {
			one(
				await tx`INSERT INTO phone (service_id, number, description)
					VALUES (${serviceId}, ${phone.number}, ${phone.description ?? null}) RETURNING id`,
				`phone of ${org.ref}/${service.ref}`
			);
		}

		const keptLocations: string[] = [];
		for (const at of service.at) {
			const locationId = locationIds.get(at.location)!;
			keptLocations.push(locationId);
			const { id: salId } = one(
				await tx<{ id: string }[]>`
					INSERT INTO service_at_location (service_id, location_id) VALUES (${serviceId}, ${locationId})
					ON CONFLICT (service_id, location_id) DO UPDATE SET location_id = EXCLUDED.location_id
					RETURNING id`,
				`pin ${org.ref}/${service.ref}@${at.location}`
			);
			if (at.opening_hours) {
				const hoursId = await openingHours.idFor(tx, at.opening_hours);
				one(
					await tx`INSERT INTO schedule (service_at_location_id, opening_hours_id) VALUES (${salId}, ${hoursId})
						ON CONFLICT (service_at_location_id) DO UPDATE SET opening_hours_id = EXCLUDED.opening_hours_id
						RETURNING service_at_location_id`,
					`hours of ${org.ref}/${service.ref}@${at.location}`
				);
			} else {
				await tx`DELETE FROM schedule WHERE service_at_location_id = ${salId}`;
			}
		}
		await tx`DELETE FROM service_at_location WHERE service_id = ${serviceId} AND location_id <> ALL(${keptLocations}::uuid[])`;
	}
	await tx`DELETE FROM service WHERE organization_id = ${organizationId}
		AND source_ref <> ALL(${org.services.map((s) => s.ref)}::text[])`;
	return organizationId;
}

export interface BundleReport {
	source: string;
	organizations: number;
	removed: number;
}

/**
 * Makes the directory hold exactly what `bundle` says for its source, in one transaction:
 * adds or updates its records by their refs and removes the source's records the bundle no
 * longer has. Validates everything first, so an invalid bundle writes nothing.
 */
export async function syncBundle(bundle: DirectoryBundle): Promise<BundleReport> {
	const orgRefs = new Set<string>();
	for (const org of bundle.organizations) {
		if (orgRefs.has(org.ref)) throw new DirectoryValidationError(`organisation ref "${org.ref}" is used twice`);
		orgRefs.add(org.ref);
		validateOrganization(org);
	}
	return sql.begin(async (tx) => {
		const { source } = bundle;
		await tx`
			INSERT INTO source (id, name, licence, url, attribution)
			VALUES (${source.id}, ${source.name}, ${source.licence}, ${source.url}, ${source.attribution})
			ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, licence = EXCLUDED.licence,
				url = EXCLUDED.url, attribution = EXCLUDED.attribution`;
		const provenance = { sourceId: source.id, demo: bundle.demo, verifiedAt: bundle.verified_at };
		for (const org of bundle.organizations) await writeOrganization(tx, org, provenance);
		const removed = await tx`DELETE FROM organization WHERE source_id = ${source.id}
			AND source_ref <> ALL(${[...orgRefs]}::text[])`;
		return { source: source.id, organizations: bundle.organizations.length, removed: removed.count };
	});
}

/** Removes every fictional demo record (ATLANTE_DEMO=0). Returns how many organisations went. */
export async function removeDemo(): Promise<number> {
	const removed = await sql`DELETE FROM organization WHERE demo`;
	return removed.count;
}

export async function countOrganizations(): Promise<{ real: number; demo: number }> {
	const [row] = await sql<{ real: number; demo: number }[]>`
		SELECT count(*) FILTER (WHERE NOT demo)::int AS real, count(*) FILTER (WHERE demo)::int AS demo
		FROM organization`;
	return row ?? { real: 0, demo: 0 };
}
