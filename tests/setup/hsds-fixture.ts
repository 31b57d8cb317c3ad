import { strToU8, zipSync } from 'fflate';
import { derivedId } from '../../src/lib/server/hsds/ids';
import { taxonomyId, termId } from '../../src/lib/server/hsds/profile';

// A small HSDS data package by hand (tests/db/hsds-import.test.ts, tests/api/imports.test.ts): one
// organisation (id `org-<run>`, named `Associazione Due Sedi <run>`), two services at two places in
// Lecco, weekly schedule rows for one (converted to OSM hours) and the profile's x_opening_hours for
// the other (preferred to its rows), a term of another taxonomy (to be reported), a rione, a capacity.

const csv = (rows: (string | number)[][]) => strToU8(rows.map((r) => r.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : c)).join(',')).join('\r\n'));

/** A small package by hand: one organisation, two services at two places, a schedule, an unknown term. */
export function hsdsFixture(run: string, options: { hours?: string } = {}) {
	const ORG = `org-${run}`;
	return zipSync({
		'datapackage.json': strToU8(
			JSON.stringify({
				name: 'due-sedi',
				licenses: [{ name: 'CC-BY-4.0' }],
				sources: [{ title: 'Associazione Due Sedi', attribution: 'Associazione Due Sedi, Lecco', license: 'CC BY 4.0' }]
			})
		),
		'organizations.csv': csv([
			['id', 'name', 'description', 'email', 'website'],
			[ORG, `Associazione Due Sedi ${run}`, 'Aiuto e ascolto', 'info@duesedi.example.org', 'www.duesedi.example.org']
		]),
		'locations.csv': csv([
			['id', 'organization_id', 'name', 'latitude', 'longitude', 'location_type'],
			['l1', ORG, 'Sede centrale', '45.8560', '9.3930', 'physical'],
			['l2', ORG, 'Sportello di quartiere', '45.845', '9.385', 'physical']
		]),
		'addresses.csv': csv([
			['id', 'location_id', 'address_1', 'city', 'postal_code', 'state_province', 'country', 'address_type'],
			['a1', 'l1', 'Via Roma 1', 'Lecco', '23900', 'Lombardia', 'IT', 'physical']
		]),
		'accessibility.csv': csv([
			['id', 'location_id', 'description'],
			['ac1', 'l2', 'Ingresso senza gradini']
		]),
		'services.csv': csv([
			['id', 'organization_id', 'name', 'description', 'status', 'x_accepting_new'],
			['s1', ORG, 'Spesa solidale', 'Pacchi alimentari', 'active', 'true'],
			['s2', ORG, 'Ascolto anziani', 'Ascolto telefonico', 'active', '']
		]),
		'service_at_location.csv': csv([
			['id', 'service_id', 'location_id'],
			['p1', 's1', 'l1'],
			['p2', 's2', 'l2']
		]),
		// s1 at l1: weekly rows only (converted); s2 at l2: the profile's extension, preferred to its rows.
		'schedules.csv': csv([
			['id', 'service_id', 'location_id', 'service_at_location_id', 'freq', 'interval', 'byday', 'opens_at', 'closes_at', 'x_opening_hours'],
			['h1', 's1', 'l1', 'p1', 'WEEKLY', '1', 'MO,WE,FR', '09:00', '12:00', ''],
			['h2', 's1', 'l1', 'p1', 'WEEKLY', '1', 'MO', options.hours ?? '15:00', '17:00', ''],
			['h3', 's2', 'l2', 'p2', 'WEEKLY', '1', 'TU', '10:00', '12:00', 'Tu 10:00-12:00; We[1,3] 17:00-19:00']
		]),
		'phones.csv': csv([
			['id', 'organization_id', 'service_id', 'number', 'description'],
			['ph1', ORG, '', '0341 123456', 'Segreteria'],
			['ph2', '', 's2', '0341 654321', '']
		]),
		'taxonomies.csv': csv([
			['id', 'name', 'description'],
			['tx-oe', 'Open Eligibility', 'Another taxonomy']
		]),
		'taxonomy_terms.csv': csv([
			['id', 'code', 'name', 'taxonomy', 'taxonomy_id'],
			[termId('category', 'partner'), 'partner', 'Associazioni', 'category', taxonomyId('category')],
			[termId('need', 'food'), 'food', 'Cibo', 'need', taxonomyId('need')],
			['x-seniors', 'seniors', 'Seniors', '', 'tx-oe']
		]),
		'attributes.csv': csv([
			['id', 'link_id', 'link_type', 'link_entity', 'taxonomy_term_id', 'value'],
			['at1', 's1', 'category', 'service', termId('category', 'partner'), 'partner'],
			['at2', 's1', 'need', 'service', termId('need', 'food'), 'food'],
			['at3', 's2', '', 'service', 'x-seniors', 'seniors']
		]),
		'service_areas.csv': csv([
			['id', 'service_id', 'name', 'extent_type'],
			['sa1', 's1', 'Centro', 'rione']
		]),
		'service_capacity.csv': csv([
			['id', 'service_id', 'unit_id', 'available', 'maximum'],
			['c1', 's1', derivedId('unit', 'person'), '20', '20']
		])
	});
}
