import type { OrganizationRow, PhoneRow, PinRow, ServiceLinks, ServiceRow, SourceRow } from '../db/hsds';
import { derivedId } from './ids';
import { COUNTRY, STATE_PROVINCE, TAXONOMIES, termObject, type HsdsTerm, type Taxonomy } from './profile';
import { HOLIDAYS_CLOSED, weeklyRanges } from './schedule';

/**
 * The atlas's records as HSDS 3.1 objects (the Lecco profile, docs/hsds-lecco-profile.md). Pure:
 * rows in (db/hsds.ts), objects out; the API (api.ts) and the tabular export (tables.ts) both
 * build from these, so an answer and an export never say a record two ways. HSDS fields are
 * omitted rather than null (its schemas type them as strings or numbers, not null).
 */

type Json = Record<string, unknown>;

/** Drops the null and undefined fields (HSDS types its fields without null). */
function compact<T extends Json>(object: T): T {
	return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== null && value !== undefined)) as T;
}

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

export function sourceObject(source: SourceRow | undefined) {
	return source && compact({ id: source.id, name: source.name, licence: source.licence, url: source.url, attribution: source.attribution });
}

export function phoneObject(phone: PhoneRow) {
	return compact({
		id: phone.id,
		organization_id: phone.organization_id,
		service_id: phone.service_id,
		number: phone.number,
		description: phone.description
	});
}

/** An organisation's one-to-one fields, with its phones when given. */
export function organizationObject(row: OrganizationRow, extra: { phones?: PhoneRow[]; source?: SourceRow; demo: boolean }) {
	return compact({
		id: row.id,
		name: row.name,
		description: row.description,
		email: row.email,
		website: row.website,
		phones: extra.phones?.map(phoneObject),
		x_verified_at: row.verified_at,
		x_last_modified: row.last_modified.toISOString(),
		x_source: sourceObject(extra.source),
		...(extra.demo ? { x_demo: row.demo } : {})
	});
}

export function termsOfService(service: Pick<ServiceRow, 'category'>, links: ServiceLinks | undefined): { taxonomy: Taxonomy; code: string }[] {
	const [category, need, audience] = TAXONOMIES as [Taxonomy, Taxonomy, Taxonomy];
	return [
		{ taxonomy: category, code: service.category },
		...(links?.needs ?? []).map((code) => ({ taxonomy: need, code })),
		...(links?.audiences ?? []).map((code) => ({ taxonomy: audience, code }))
	];
}

/** The service's category, needs and audiences as HSDS attributes linking it to taxonomy terms. */
export function attributeObjects(serviceId: string, terms: { taxonomy: Taxonomy; code: string }[]) {
	return terms.flatMap(({ taxonomy, code }) => {
		const term = taxonomy.terms.find((t) => t.code === code);
		if (!term) return [];
		const object: HsdsTerm = termObject(taxonomy, term);
		return [
			{
				id: derivedId('attribute', serviceId, taxonomy.code, code),
				link_id: serviceId,
				link_type: taxonomy.code,
				link_entity: 'service',
				taxonomy_term_id: object.id,
				taxonomy_term: object,
				value: code,
				label: term.label_it
			}
		];
	});
}

/** The rioni a service is meant for, as HSDS service areas. */
export function serviceAreaObjects(serviceId: string, links: ServiceLinks | undefined) {
	return (links?.areas ?? []).map((area) => ({
		id: derivedId('service_area', serviceId, area.id),
		service_id: serviceId,
		name: area.name,
		description: `Rione ${area.name}, Lecco`,
		extent_type: 'rione'
	}));
}

/** A service's stated capacity (people at once) as an HSDS service_capacity; none when unknown. */
export function capacityObjects(service: ServiceRow) {
	if (service.capacity === null) return [];
	const unit = unitObject();
	return [
		compact({
			id: derivedId('service_capacity', service.id),
			service_id: service.id,
			unit,
			unit_id: unit.id,
			// HSDS requires a number: the atlas knows only whether new people are taken.
			available: service.accepting_new === false ? 0 : service.capacity,
			maximum: service.capacity,
			description: service.accepting_new === false ? 'Non accetta nuove persone al momento' : null,
			updated: service.last_modified.toISOString()
		})
	];
}

export function unitObject() {
	return { id: derivedId('unit', 'person'), name: 'persone', scheme: 'lecco-atlas', identifier: 'person' };
}

/** A pin's opening hours as HSDS schedules (schedule.ts), each keeping the OSM expression. */
export function scheduleObjects(pin: PinRow) {
	if (!pin.opening_hours) return [];
	const expression = pin.opening_hours;
	const base = { service_id: pin.service_id, location_id: pin.location_id, service_at_location_id: pin.id };
	const ranges = weeklyRanges(expression);
	const notes = /\bPH off\b/.test(expression) ? HOLIDAYS_CLOSED : undefined;
	const common = compact({ notes, description: pin.schedule_description ?? expression, x_opening_hours: expression, x_timezone: 'Europe/Rome' });
	if (!ranges) return [{ id: derivedId('schedule', pin.id, 0), ...base, ...common }];
	return ranges.map((range, index) => ({
		id: derivedId('schedule', pin.id, index),
		...base,
		freq: 'WEEKLY',
		interval: 1,
		wkst: 'MO',
		byday: range.byday,
		opens_at: range.opens_at,
		closes_at: range.closes_at,
		...common
	}));
}

/** A place as the public may see it: a confidential one only as its rione's point, unnamed, without address. */
export function locationObject(pin: PinRow) {
	const address =
		pin.address_1 && pin.city && pin.postal_code
			? [
					{
						id: derivedId('address', pin.location_id),
						location_id: pin.location_id,
						address_1: pin.address_1,
						city: pin.city,
						state_province: STATE_PROVINCE,
						postal_code: pin.postal_code,
						country: COUNTRY,
						address_type: 'physical'
					}
				]
			: undefined;
	return compact({
		id: pin.location_id,
		location_type: 'physical',
		organization_id: pin.organization_id,
		name: pin.location_name,
		latitude: round6(pin.lat),
		longitude: round6(pin.lon),
		addresses: address,
		accessibility: pin.accessibility
			? [{ id: derivedId('accessibility', pin.location_id), location_id: pin.location_id, description: pin.accessibility.description }]
			: undefined,
		x_approximate: pin.approximate,
		x_neighbourhood: pin.neighbourhood
	});
}

export function serviceAtLocationObject(pin: PinRow, options: { schedules: boolean }) {
	return compact({
		id: pin.id,
		service_id: pin.service_id,
		location_id: pin.location_id,
		location: locationObject(pin),
		schedules: options.schedules ? scheduleObjects(pin) : undefined,
		x_distance_m: pin.distance_m
	});
}

/** A service's one-to-one fields (the lists' items). */
export function serviceSummary(row: ServiceRow, extra: { source?: SourceRow; demo: boolean }) {
	return compact({
		id: row.id,
		organization_id: row.organization_id,
		name: row.name,
		description: row.description,
		url: row.url,
		email: row.email,
		status: row.closed_now ? 'temporarily closed' : 'active',
		assured_date: row.verified_at,
		last_modified: row.last_modified.toISOString(),
		x_accepting_new: row.accepting_new,
		x_source: sourceObject(extra.source),
		...(extra.demo ? { x_demo: row.demo } : {})
	});
}

export interface ServiceParts {
	organization: OrganizationRow | undefined;
	phones: PhoneRow[];
	links: ServiceLinks | undefined;
	pins: PinRow[];
	source: SourceRow | undefined;
	demo: boolean;
}

/** A fully nested service (`/hsds/services/{id}`). */
export function serviceObject(row: ServiceRow, parts: ServiceParts) {
	const { organization, phones, links, pins, source, demo } = parts;
	return compact({
		...serviceSummary(row, { source, demo }),
		phones: phones.filter((p) => p.service_id === row.id).map(phoneObject),
		organization: organization
			? organizationObject(organization, { phones: phones.filter((p) => p.organization_id === organization.id), source, demo })
			: undefined,
		service_at_locations: pins.map((pin) => serviceAtLocationObject(pin, { schedules: true })),
		service_areas: serviceAreaObjects(row.id, links),
		capacities: capacityObjects(row),
		attributes: attributeObjects(row.id, termsOfService(row, links))
	});
}
