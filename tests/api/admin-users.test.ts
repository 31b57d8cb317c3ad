import { describe, expect, inject, it } from 'vitest';
import { sessionOf } from './session';

/*
 * Accounts from the browser over HTTP (issue 13): the JSON API an administrator's tools call, and
 * the single-use link page a new person opens. The role × route matrix (tests/unit/guards.test.ts
 * and tests/api/auth.test.ts) proves nobody else reaches these routes.
 */
const base = inject('baseUrl');
const origin = new URL(base).origin;
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function api(method: string, path: string, body?: unknown) {
	return fetch(base + path, {
		method,
		redirect: 'manual',
		headers: { origin, cookie: await sessionOf('admin'), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
}

async function setPassword(url: string, password: string, confirm = password) {
	const path = new URL(url).pathname;
	return fetch(base + path, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ password, confirm })
	});
}

describe('/api/admin/users', () => {
	it('invites, the person sets a password from the link and lands on their home; PATCH disables; reset gives a new link', async () => {
		const email = `nuovo-${run}@staff.test`;
		const created = await api('POST', '/api/admin/users', { email, name: 'Nadia Nuova', role: 'worker', organizations: [] });
		expect(created.status).toBe(201);
		expect(created.headers.get('cache-control')).toBe('no-store');
		const { id, invitation_url } = await created.json();
		expect(id).toMatch(/^[0-9a-f-]{36}$/);
		expect(new URL(invitation_url).pathname).toMatch(/^\/imposta-password\/[a-z2-7]+\.[a-z2-7]+$/);

		// The link's page: a form, and nothing used by opening it.
		const page = await fetch(base + new URL(invitation_url).pathname);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain(email);
		expect((await setPassword(invitation_url, 'corta')).status).toBe(400);
		const done = await setPassword(invitation_url, 'Una casa sul lago di Como');
		expect(done.status).toBe(303);
		expect(done.headers.get('location')).toBe('/piani');
		const cookie = /(\S*atlante_session=[^;]+)/.exec(done.headers.get('set-cookie') ?? '')?.[1];
		const me = await fetch(`${base}/api/me`, { headers: { cookie: cookie! } });
		expect((await me.json()).email).toBe(email);
		// The header names the person by the display name, not the email.
		const home = await (await fetch(`${base}/piani`, { headers: { cookie: cookie! } })).text();
		expect(home).toContain('Nadia Nuova');
		expect(home).not.toContain(email);
		// Used: the page says so and a second use is refused.
		expect((await setPassword(invitation_url, 'Una casa sul lago di Como')).status).toBe(404);

		const patched = await api('PATCH', `/api/admin/users/${id}`, { disabled: true });
		expect(patched.status).toBe(204);
		expect((await fetch(`${base}/api/me`, { headers: { cookie: cookie! } })).status).toBe(401);
		expect((await api('POST', `/api/admin/users/${id}/reset`)).status).toBe(409);
		expect((await api('PATCH', `/api/admin/users/${id}`, { disabled: false })).status).toBe(204);
		const reset = await api('POST', `/api/admin/users/${id}/reset`);
		expect(reset.status).toBe(200);
		expect((await reset.json()).reset_url).toMatch(/\/imposta-password\//);
	});

	it('the audit views name a person by the display name given at the invitation, not by the email', async () => {
		const email = `nominata-${run}@staff.test`;
		const created = await api('POST', '/api/admin/users', { email, name: 'Nora Nominata', role: 'worker', organizations: [] });
		const { invitation_url } = await created.json();
		const done = await setPassword(invitation_url, 'Una casa sul lago di Lecco');
		const cookie = /(\S*atlante_session=[^;]+)/.exec(done.headers.get('set-cookie') ?? '')?.[1] ?? '';
		const plan = await fetch(`${base}/api/plans`, {
			method: 'POST',
			headers: { origin, cookie, 'content-type': 'application/json' },
			body: JSON.stringify({ household: { name: 'Famiglia Nominata', neighbourhood: 'Olate' }, strengths: ['Cucina per il cortile'] })
		});
		expect(plan.status).toBe(201);
		const { id } = await plan.json();
		const table = (html: string) => /<tbody[\s\S]*<\/tbody>/.exec(html)?.[0] ?? '';

		// The plan's trail, as its lead reads it…
		const trail = table(await (await fetch(`${base}/piani/${id}/registro`, { headers: { cookie } })).text());
		expect(trail).toContain('Nora Nominata');
		expect(trail).not.toContain(email);
		// …and the administrators' audit, filtered by the email it is searched with.
		const audit = await fetch(`${base}/admin/audit?actor=${encodeURIComponent(email)}`, { headers: { cookie: await sessionOf('admin') } });
		const rows = table(await audit.text());
		expect(rows).toContain('Nora Nominata');
		expect(rows).not.toContain(email);
	});

	it('answers bad input with 400 naming the field, a taken address with 409, an unknown id with 404', async () => {
		const bad = await api('POST', '/api/admin/users', { email: 'x', name: 'X', role: 'worker' });
		expect(bad.status).toBe(400);
		expect((await bad.json()).field).toBe('email');
		expect((await api('POST', '/api/admin/users', { email: 'admin@atlante.test', name: 'X', role: 'worker' })).status).toBe(409);
		expect((await api('PATCH', '/api/admin/users/00000000-0000-4000-8000-000000000000', { disabled: true })).status).toBe(404);
		expect((await api('PATCH', '/api/admin/users/00000000-0000-4000-8000-000000000000', { unknown: true })).status).toBe(400);
		const notJson = await fetch(`${base}/api/admin/users`, { method: 'POST', headers: { origin, cookie: await sessionOf('admin'), 'content-type': 'text/plain' }, body: '{}' });
		expect(notJson.status).toBe(415);
	});
});
