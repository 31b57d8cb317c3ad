import { inject } from 'vitest';

// The application form (/aderisci) as a browser without JavaScript posts it, for the HTTP tests.
const base = inject('baseUrl');
const origin = new URL(base).origin;

export const APPLICANT_PASSWORD = 'Sette nani nel bosco 1937';

let counter = 0;
/** A complete, valid application form from a new applicant with `email`, as a browser posts it. */
export function validApplication(email: string): URLSearchParams {
	const fields = new URLSearchParams({
		'organization.name': `Associazione HTTP ${Date.now()}-${++counter} (esempio)`,
		'organization.kind': 'partner',
		'organization.description': 'Associazione di volontariato.',
		'contact.name': 'Maria Rossi',
		'contact.role': 'Presidente',
		'contact.phone': '333 000 1111',
		location_count: '1',
		'locations.0.name': 'Sede',
		'locations.0.address': 'Piazza Cermenati 1',
		'locations.0.postal_code': '23900',
		'locations.0.lon': '9.38878',
		'locations.0.lat': '45.85585',
		service_count: '1',
		'services.0.name': 'Doposcuola',
		'services.0.description': 'Aiuto nei compiti.',
		'services.0.category': 'school',
		'services.0.audiences': 'teens',
		'services.0.accepting': 'yes',
		'services.0.at': '0',
		'services.0.slots.0.days': 'Mo-Fr',
		'services.0.slots.0.from': '15:00',
		'services.0.slots.0.to': '18:00',
		commitments: 'keep_information_current',
		'account.email': email,
		'account.password': APPLICANT_PASSWORD,
		'account.confirm': APPLICANT_PASSWORD,
		declaration: 'on'
	});
	fields.append('services.0.needs', 'homework');
	return fields;
}

/** Posts the application form; the answer, not followed. */
export function submitApplication(fields: URLSearchParams, cookie?: string): Promise<Response> {
	return fetch(base + '/aderisci?/submit', {
		method: 'POST',
		redirect: 'manual',
		headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
		body: fields
	});
}

