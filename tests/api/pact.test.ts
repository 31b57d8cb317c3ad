import { describe, expect, inject, it } from 'vitest';
import { APPLICANT_PASSWORD, submitApplication, validApplication } from './application-form';

// The pact's pages over HTTP, as a browser without JavaScript (or a script) meets them.
const base = inject('baseUrl');
const origin = new URL(base).origin;

function form(fields: Record<string, string>): URLSearchParams {
	return new URLSearchParams(fields);
}

/** A page's HTML without what differs between any two answers (CSP nonces, build-time ids). */
const comparable = (html: string) => html.replace(/nonce="[^"]*"/g, 'nonce=""').replace(/nonce-[A-Za-z0-9+/=_-]+/g, 'nonce-');

describe('the pact pages', () => {
	it('serve the application form and the signatories to anyone', async () => {
		for (const path of ['/aderisci', '/patto', '/patto?lang=en']) {
			const response = await fetch(base + path);
			expect(response.status, path).toBe(200);
			expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		}
		expect(await (await fetch(base + '/patto?lang=en')).text()).toMatch(/Signatories of the Community Pact/);
	});

	it("send whoever is not signed in to the login from the applicant's page and the review queue", async () => {
		for (const path of ['/aderisci/domanda', '/admin/domande', '/admin/domande/00000000-0000-0000-0000-000000000000']) {
			const response = await fetch(base + path, { redirect: 'manual' });
			expect(response.status, path).toBe(303);
			expect(response.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
		}
	});

	it('refuse a submission from another site', async () => {
		const response = await fetch(base + '/aderisci?/submit', {
			method: 'POST',
			headers: { origin: 'https://elsewhere.example', 'content-type': 'application/x-www-form-urlencoded' },
			body: form({ 'organization.name': 'X' })
		});
		expect(response.status).toBe(403);
	});

	it('answer an incomplete submission with the form again: the values kept, the problems listed, nobody signed in', async () => {
		const email = `http-${Date.now()}@example.it`;
		const response = await fetch(base + '/aderisci?/submit', {
			method: 'POST',
			redirect: 'manual',
			// As a browser posts a form (without Accept: text/html SvelteKit answers JSON for use:enhance).
			headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: form({ 'organization.name': 'Associazione <b>HTTP</b>', 'account.email': email, 'account.password': 'corta', 'locations.0.lat': '45.46', 'locations.0.lon': '9.19' })
		});
		expect(response.status).toBe(400);
		expect(response.headers.get('set-cookie')).toBeNull();
		const html = await response.text();
		// Kept, and escaped.
		expect(html).toContain('value="Associazione &lt;b>HTTP&lt;/b>"');
		expect(html).toContain(`value="${email}"`);
		expect(html).toMatch(/La password deve avere almeno 12 caratteri/);
		expect(html).toMatch(/fuori dalla zona servita/);
		// The password is never sent back.
		expect(html).not.toContain('corta');
	});

	it('answer a sign-up the same way whether its email has an account or not, creating nothing for a known one', async () => {
		const fresh = `nuovo-${Date.now()}@example.it`;
		const answers = [];
		for (const email of [fresh, 'FORNO@atlante.test']) {
			const response = await submitApplication(validApplication(email));
			expect(response.status, email).toBe(303);
			expect(response.headers.get('set-cookie'), email).toBeNull();
			const location = response.headers.get('location')!;
			const page = await fetch(new URL(location, base), { redirect: 'manual' });
			answers.push({ location, status: page.status, html: comparable(await page.text()) });
		}
		expect(answers[1]).toEqual(answers[0]);
		expect(answers[0]!.html).toMatch(/la domanda è stata ricevuta/);
		expect(answers[0]!.html).not.toMatch(/Esiste già/);
		// The new applicant follows the application once signed in; the known address got none.
		const signIn = await fetch(new URL(answers[0]!.location, base), {
			method: 'POST',
			redirect: 'manual',
			headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email: fresh, password: APPLICANT_PASSWORD })
		});
		expect(signIn.status).toBe(303);
		expect(signIn.headers.get('location')).toBe('/aderisci/domanda?sent=1');
	});
});
