import { beforeAll, describe, expect, inject, it } from 'vitest';
import { sessionOf } from './session';

// "Segnala un errore" over HTTP as a browser without JavaScript sends it: a plain form post, a
// redirect to the thank-you, the form again with messages on bad input, the hidden field a bot
// fills, the hourly limit of an address (ATLANTE_REPORTS_PER_HOUR, 5 by default; the fuzz test
// never sends a valid report, so only this file spends 127.0.0.1's); then the report on the
// partner page of its organisation only, and on the administrators' list.
const base = inject('baseUrl');
const origin = new URL(base).origin;
// partnerC's organisation: partner.test.ts edits partnerA's, the fuzz test posts as partnerB.
const ORGANIZATION = 'Associazione Un Caffè Insieme (esempio)';
const NOTE = `Il numero di telefono non risponde (${Date.now().toString(36)})`;

let resourceId: string;
let organizationId: string;
let otherOrganizationId: string;

async function request(path: string, options: { cookie?: string; fields?: [string, string][]; language?: string } = {}) {
	const response = await fetch(base + path, {
		method: options.fields ? 'POST' : 'GET',
		headers: {
			origin,
			accept: 'text/html',
			'accept-language': options.language ?? 'it',
			...(options.fields ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
			...(options.cookie ? { cookie: options.cookie } : {})
		},
		body: options.fields ? new URLSearchParams(options.fields) : undefined,
		redirect: 'manual'
	});
	return { status: response.status, location: response.headers.get('location'), html: await response.text() };
}

const send = (fields: [string, string][], language = 'it') => request(`/risorse/${resourceId}?/report`, { fields, language });

beforeAll(async () => {
	const list = await (await fetch(`${base}/api/resources?q=${encodeURIComponent('Caffè Insieme')}&limit=50`)).json();
	for (const feature of list.features as { id: string }[]) {
		const detail = await (await fetch(`${base}/api/resources/${feature.id}`)).json();
		if (detail.properties.organization.name === ORGANIZATION) {
			resourceId = feature.id;
			organizationId = detail.properties.organization.id;
			break;
		}
	}
	expect(resourceId).toBeTruthy();
	otherOrganizationId = (await (await fetch(`${base}/api/me`, { headers: { cookie: await sessionOf('partnerB') } })).json()).organizations[0].id;
});

describe('segnala un errore', () => {
	it('the resource page has the form, with its hidden field for bots', async () => {
		const { status, html } = await request(`/risorse/${resourceId}`);
		expect(status).toBe(200);
		expect(html).toContain('Segnala un errore');
		expect(html).toMatch(/<form[^>]*action="\?\/report"/);
		expect(html).toContain('name="homepage"');
	});

	it('a report without JavaScript redirects to the thank-you', async () => {
		const sent = await send([['kind', 'contacts'], ['note', NOTE], ['reply_email', ''], ['homepage', '']]);
		expect(sent.status).toBe(303);
		expect(sent.location).toBe(`/risorse/${resourceId}?segnalato#segnala`);
		const thanks = await request(sent.location!.replace(/#.*/, ''));
		expect(thanks.html).toContain('Grazie! La segnalazione è arrivata');
		const english = await request(sent.location!.replace(/#.*/, ''), { language: 'en' });
		expect(english.html).toContain('Thank you! Your report has arrived');
	});

	it('bad input answers 400 with the form’s messages and the values typed', async () => {
		const refused = await send([['kind', 'other'], ['note', ''], ['reply_email', 'nome@'], ['homepage', '']]);
		expect(refused.status).toBe(400);
		expect(refused.html).toContain('La segnalazione non è stata inviata');
		expect(refused.html).toContain('Questo campo è obbligatorio.');
		expect(refused.html).toContain('Non sembra un indirizzo email');
		expect(refused.html).toContain('value="nome@"');
		const english = await send([['kind', 'rumour']], 'en');
		expect(english.status).toBe(400);
		expect(english.html).toContain('The report was not sent');
	});

	it('a missing resource is 404', async () => {
		expect((await request('/risorse/00000000-0000-4000-8000-000000000000?/report', { fields: [['kind', 'closed']] })).status).toBe(404);
	});

	it('the organisation’s editor sees the report and resolves it; another organisation’s editor cannot', async () => {
		// A bot's report (the hidden field filled) is thanked for and kept nowhere.
		const bot = await send([['kind', 'closed'], ['note', 'BOT-NOTE'], ['homepage', 'http://spam.example']]);
		expect(bot.status).toBe(303);

		const editor = await sessionOf('partnerC');
		const stranger = await sessionOf('partnerB');
		const own = await request(`/partner/${organizationId}`, { cookie: editor });
		expect(own.status).toBe(200);
		expect(own.html).toContain(NOTE);
		expect(own.html).not.toContain('BOT-NOTE');
		const id = new RegExp(`name="report" value="([0-9a-f-]{36})"`).exec(own.html)?.[1];
		expect(id).toBeTruthy();

		expect((await request(`/partner/${organizationId}`, { cookie: stranger })).status).toBe(404);
		expect((await request(`/partner/${otherOrganizationId}?/report`, { cookie: stranger, fields: [['report', id!], ['decision', 'resolved']] })).status).toBe(404);
		expect((await request(`/partner/${organizationId}?/report`, { cookie: stranger, fields: [['report', id!], ['decision', 'resolved']] })).status).toBe(404);

		const admin = await sessionOf('admin');
		expect((await request('/admin/errori', { cookie: admin })).html).toContain(NOTE);
		expect((await request('/admin', { cookie: admin })).html).toContain('href="/admin/errori"');

		const resolved = await request(`/partner/${organizationId}?/report`, { cookie: editor, fields: [['report', id!], ['decision', 'resolved']] });
		expect(resolved.status).toBe(303);
		expect(resolved.location).toBe(`/partner/${organizationId}?chiusa#errori`);
		expect((await request(`/partner/${organizationId}`, { cookie: editor })).html).not.toContain(NOTE);
		expect((await request('/admin/errori', { cookie: admin })).html).not.toContain(NOTE);
	});

	it('the address is told to wait after five reports in an hour', async () => {
		// Two reports were counted above (the person's and the bot's).
		for (let i = 0; i < 3; i++) expect((await send([['kind', 'hours']])).status).toBe(303);
		const refused = await send([['kind', 'hours'], ['note', 'ancora']]);
		expect(refused.status).toBe(429);
		expect(refused.html).toContain('Riprova tra');
		expect(refused.html).toContain('ancora');
	});
});
