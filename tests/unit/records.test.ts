import { describe, expect, it } from 'vitest';
import { blankValues } from '../../src/lib/domain/pact-application';
import { PROBLEM_CODES } from '../../src/lib/domain/problems';
import {
	LIMITS,
	issueCode,
	locationFields,
	locationRecord,
	optionalWebsite,
	organizationFields,
	organizationRecord,
	problemsOf,
	readPoint,
	serviceFields,
	serviceRecord
} from '../../src/lib/domain/records';
import { validateOrganization } from '../../src/lib/server/db/directory';
import * as validation from '../../src/lib/server/pact/validate';
import * as edits from '../../src/lib/server/partner/edits';
import { directoryBundle } from '../../src/lib/server/seed/bundle';

/**
 * The directory's field rules, said once (domain/records.ts). The pact form and the partner form
 * drifted apart when each had its own validator: "www.x.it" was accepted by one and refused by the
 * other, and a website could have 300 characters in one, 500 in the other. Each form now builds
 * its schema from these, so both forms' inputs meet the same rule; these tests pin the rules down.
 */

// What each form sends for an organisation: the pact form (application values) and the partner
// form (its own field names, with phone rows instead of one phone).
const pactOrganization = (website: string) => ({ name: 'Associazione', kind: 'partner', description: '', email: '', website, phone: '' });
const partnerOrganization = (website: string) => ({ name: 'Associazione', description: '', email: '', website, phones: [] });

describe('one rule per field, whichever form sends it', () => {
	it.each([
		['www.esempio.it', 'https://www.esempio.it'],
		['esempio.it/chi-siamo', 'https://esempio.it/chi-siamo'],
		['  https://www.esempio.it  ', 'https://www.esempio.it'],
		['http://esempio.it', 'http://esempio.it'],
		['', null]
	])('a website typed as %j is stored as %j by the pact form, the partner form and a seed file', (typed, stored) => {
		expect(organizationFields.parse(pactOrganization(typed)).website).toBe(stored);
		expect(organizationFields.parse(partnerOrganization(typed)).website).toBe(stored);
		// A seed file leaves out what it does not have; what it has follows the same rule.
		const record = organizationRecord.shape.website.parse(typed);
		expect(record).toBe(stored);
		// A service's page is a website too.
		expect(serviceRecord.shape.url.parse(typed)).toBe(stored);
	});

	it.each(['ftp://esempio.it', 'mailto:info@esempio.it', 'not a website', 'https://', 'javascript:alert(1)'])('%j is "url" everywhere', (typed) => {
		expect(problemsOf(organizationFields, pactOrganization(typed))).toEqual({ website: 'url' });
		expect(problemsOf(organizationFields, partnerOrganization(typed))).toEqual({ website: 'url' });
		expect(problemsOf(serviceRecord.shape.url, typed)).toEqual({ '': 'url' });
	});

	it('has one length limit for a website, which the database accepts', () => {
		const host = 'https://www.esempio.it/';
		const longest = host + 'a'.repeat(LIMITS.website - host.length);
		expect(organizationFields.parse(partnerOrganization(longest)).website).toBe(longest);
		expect(organizationFields.parse(pactOrganization(longest)).website).toBe(longest);
		expect(problemsOf(organizationFields, partnerOrganization(longest + 'a'))).toEqual({ website: 'too_long' });
		expect(problemsOf(organizationFields, pactOrganization(longest + 'a'))).toEqual({ website: 'too_long' });
	});

	it('gives names, addresses and descriptions the database CHECKs\' lengths (0001_init.sql)', () => {
		expect(LIMITS).toMatchObject({ name: 300, address: 300, city: 100, description: 5000, phoneDescription: 200 });
		const location = { name: 'x'.repeat(301), address: 'y'.repeat(301), postal_code: '', city: 'z'.repeat(101), confidential: false, accessibility: '' };
		expect(problemsOf(locationFields, location)).toEqual({ name: 'too_long', address: 'too_long', city: 'too_long' });
	});

	it('reads emails, phones and postal codes alike, and says what is wrong with a code', () => {
		const organization = { name: 'A', description: '', email: ' Info@Esempio.IT ', website: '' };
		expect(organizationFields.parse(organization).email).toBe('info@esempio.it');
		expect(problemsOf(organizationFields, { ...organization, email: 'a@b' })).toEqual({ email: 'email' });
		expect(problemsOf(locationFields, { name: 'Sede', address: '', postal_code: '239', city: '', confidential: false })).toEqual({ postal_code: 'postal_code' });
		expect(problemsOf(serviceFields, { name: '', description: '', needs: ['food', 'teleport'], audiences: [], email: '' })).toEqual({
			name: 'required',
			needs: 'unknown_code'
		});
		expect(problemsOf(organizationFields, { ...organization, name: 'A\u0000' })).toEqual({ name: 'text' });
	});

	it('checks opening hours in a record with the opening_hours parser', () => {
		const service = { ref: 's', name: 'S', category: 'partner', at: [{ location: 'l', opening_hours: 'Mo-Fr 25:00-26:00' }] };
		expect(problemsOf(serviceRecord, service)).toEqual({ at: 'hours_invalid' });
		expect(serviceRecord.parse({ ...service, at: [{ location: 'l', opening_hours: 'Mo-Fr 09:00-12:00' }] }).at[0]!.opening_hours).toBe('Mo-Fr 09:00-12:00');
	});

	it('keeps a location\'s accessibility note, trimmed, up to its limit', () => {
		const base = { name: 'Sede', address: '', postal_code: '', city: '', confidential: false };
		expect(locationFields.parse({ ...base, accessibility: '  Ingresso senza gradini  ' }).accessibility).toBe('Ingresso senza gradini');
		expect(locationFields.parse({ ...base, accessibility: '' }).accessibility).toBeNull();
		expect(problemsOf(locationFields, { ...base, accessibility: 'x'.repeat(LIMITS.accessibility + 1) })).toEqual({ accessibility: 'too_long' });
		expect(locationRecord.parse({ ref: 'l', name: 'Sede', lon: 9.39, lat: 45.85, accessibility: 'Rampa' }).accessibility).toBe('Rampa');
	});

	it('reads a point as people type or paste it', () => {
		expect(readPoint('9,3935', '45.8566')).toEqual({ ok: true, point: { lon: 9.3935, lat: 45.8566 } });
		expect(readPoint('', '45.8555, 9.3905')).toEqual({ ok: true, point: { lon: 9.3905, lat: 45.8555 } });
		expect(readPoint(' ', '')).toEqual({ ok: false, code: 'point_required' });
		expect(readPoint('abc', '45.8')).toEqual({ ok: false, code: 'point_invalid' });
		expect(readPoint('9.3', '95')).toEqual({ ok: false, code: 'point_invalid' });
	});

	it('reports only codes from the one list', () => {
		expect(issueCode({ code: 'custom', message: 'url', path: [], input: '' } as never)).toBe('url');
		expect(issueCode({ code: 'invalid_type', message: 'Invalid input: expected string', path: [], input: 1 } as never)).toBe('invalid');
		expect(PROBLEM_CODES).toEqual([...new Set(PROBLEM_CODES)]);
		expect(optionalWebsite().safeParse(42).success).toBe(false);
	});
});

/*
 * The same through each way in, as each reads its input: the pact form's validation, the partner
 * forms' parsers, an approved application's record and a seed file. (Only the organisation's and
 * service's fields here: a point in the served area needs the database, tests/db/*.)
 */

const form = (fields: Record<string, string>) => {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields)) data.set(name, value);
	return data;
};

/** The pact form's problem with its organisation's website (the location left without a point: no database needed). */
async function pactWebsite(website: string) {
	const values = blankValues();
	values.organization = { ...values.organization, name: 'Associazione', kind: 'partner', website };
	const checked = await validation.validate(values, { servedMarginM: 3000 });
	if (checked.ok) throw new Error('a location without a point must be refused');
	return checked.errors['organization.website'] ?? null;
}

function partnerWebsite(website: string) {
	const parsed = edits.parseOrganizationForm(form({ name: 'Associazione', website }));
	return parsed.ok ? parsed.fields.website : parsed.errors.website;
}

function partnerServiceUrl(url: string) {
	const parsed = edits.parseServiceForm(form({ name: 'Servizio', url }), []);
	return parsed.ok ? parsed.fields.url : parsed.errors.url;
}

const seedRecord = (website: string) => ({
	ref: 'o',
	name: 'Associazione',
	kind: 'partner',
	website,
	locations: [{ ref: 'l', name: 'Sede', lon: 9.39, lat: 45.85 }],
	services: [{ ref: 's', name: 'Servizio', category: 'partner', at: [{ location: 'l' }] }]
});

function seedWebsite(website: string) {
	const parsed = directoryBundle.safeParse({
		source: { id: 'test-rules', name: 'Test', licence: 'CC0', url: null, attribution: 'Test' },
		verified_at: '2026-11-01',
		demo: false,
		organizations: [seedRecord(website)]
	});
	if (parsed.success) return parsed.data.organizations[0]!.website;
	return parsed.error.issues.find((issue) => issue.path.join('.') === 'organizations.0.website')?.message;
}

describe('each way in gives the same answer', () => {
	it.each([
		['www.esempio.it', 'https://www.esempio.it'],
		['ftp://esempio.it', 'url'],
		['https://' + 'a'.repeat(LIMITS.website) + '.it', 'too_long']
	])('a website %j: the pact form, the partner forms and a seed file all say %j', async (typed, answer) => {
		const stored = answer.startsWith('https://');
		// The pact form reports a problem, or none when it stores the value.
		expect(await pactWebsite(typed)).toBe(stored ? null : answer);
		expect(partnerWebsite(typed)).toBe(answer);
		expect(partnerServiceUrl(typed)).toBe(answer);
		expect(seedWebsite(typed)).toBe(answer);
	});

	it('the directory writes refuse a record the rules refuse, naming the field and its code', () => {
		// Written by TypeScript (an approved application), not read from a file: the same rules apply.
		expect(() => validateOrganization(seedRecord('ftp://esempio.it') as never)).toThrow(/website: url/);
		expect(() => validateOrganization(organizationRecord.parse(seedRecord('www.esempio.it')))).not.toThrow();
	});
});
