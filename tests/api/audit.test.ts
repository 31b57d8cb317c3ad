import { describe, expect, inject, it } from 'vitest';
import { TEST_PASSWORD, TEST_USERS } from '../setup/test-users-list';
import { APPLICANT_PASSWORD, submitApplication, validApplication } from './application-form';
import { sessionCookie } from './session';

// The audit trail over HTTP: refusals recorded (anonymous ones bounded), and the administrators'
// page paged and filtered through its address.
const base = inject('baseUrl');

const get = (path: string, cookie?: string) => fetch(base + path, { redirect: 'manual', headers: cookie ? { cookie } : {} });

/** The event ids a page of /admin/audit lists, and its "older" link. */
async function trail(query: string, admin: string) {
	const response = await get(`/admin/audit?${query}`, admin);
	const html = await response.text();
	const ids = [...html.matchAll(/<tr id="event-(\d+)"/g)].map((m) => Number(m[1]));
	const older = /<a href="([^"]*)" rel="next"/.exec(html)?.[1]?.replaceAll('&amp;', '&') ?? null;
	return { status: response.status, html, ids, older };
}

const romeDay = (offsetDays = 0) =>
	new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + offsetDays * 86_400_000));

describe('the audit trail', () => {
	it('keeps refused anonymous requests bounded: 200 of them add a row a minute at most', async () => {
		const admin = await sessionCookie(TEST_USERS.admin.email, TEST_PASSWORD);
		const [latest] = (await trail('', admin)).ids;
		for (let i = 0; i < 200; i++) {
			const response = await get('/api/plans');
			expect(response.status).toBe(404);
			await response.arrayBuffer();
		}
		// Anonymous refusals from any test running meanwhile count too: still one per minute (the
		// first of this minute may predate the loop).
		const all = (await trail('action=authz.denied&actor=-', admin)).ids;
		expect(all.length).toBeGreaterThanOrEqual(1);
		expect(all.filter((id) => id > latest!).length).toBeLessThanOrEqual(3);
	});

	it("records every refusal of a signed-in person, and pages and filters the administrators' view", async () => {
		const email = `registro-${Date.now()}@example.it`;
		expect((await submitApplication(validApplication(email))).status).toBe(303);
		const partner = await sessionCookie(email, APPLICANT_PASSWORD);
		for (let i = 0; i < 101; i++) {
			const response = await get('/admin/users', partner);
			expect(response.status).toBe(403);
			await response.arrayBuffer();
		}
		const admin = await sessionCookie(TEST_USERS.admin.email, TEST_PASSWORD);
		const query = new URLSearchParams({ action: 'authz.denied', actor: email.toUpperCase(), subject: 'route', from: romeDay(), to: romeDay() });
		const first = await trail(String(query), admin);
		expect(first.status).toBe(200);
		expect(first.ids).toHaveLength(100);
		expect(first.older).toMatch(/before=/);
		// The filters travel with the page link.
		expect(first.older).toContain(`actor=${encodeURIComponent(email.toUpperCase())}`);
		const second = await trail(first.older!.slice(1), admin);
		expect(second.ids).toHaveLength(1);
		expect(second.ids[0]).toBeLessThan(Math.min(...first.ids));
		expect(second.older).toBeNull();
		expect(second.html).toContain('href="?action=authz.denied');

		// Other filters narrow it down to nothing.
		for (const other of [{ subject: 'organization' }, { action: 'plan.' }, { to: romeDay(-2) }, { from: romeDay(2) }] as Record<string, string>[]) {
			expect((await trail(String(new URLSearchParams({ actor: email, ...other })), admin)).ids, JSON.stringify(other)).toEqual([]);
		}
		// A date that is none is a clear 400.
		const bad = await trail('from=2026-02-30', admin);
		expect(bad.status).toBe(400);
		expect(bad.html).toMatch(/AAAA-MM-GG/);
		expect((await trail('before=abc', admin)).status).toBe(400);
	});
});
