import { describe, expect, inject, it } from 'vitest';
import { sortRows, type SortColumn } from '../../src/lib/domain/planning-view';
import type { RioneCoverage } from '../../src/lib/domain/planning';
import { type TestUser } from '../setup/test-users-list';
import { sessionOf } from './session';

/**
 * The planning pages over HTTP (issue 11): only planners and administrators see them (404 for
 * everyone else, anonymous included); the rioni table is complete in the server's HTML (no
 * JavaScript needed) and sorted as the address says; saved scenarios are stored, reopened by id,
 * audited, and refused clearly when malformed.
 */
const base = inject('baseUrl');
const origin = new URL(base).origin;

async function page(who: TestUser | null, path: string) {
	const response = await fetch(base + path, { redirect: 'manual', headers: who ? { cookie: await sessionOf(who) } : {} });
	return { status: response.status, html: await response.text(), location: response.headers.get('location') };
}

async function post(who: TestUser, path: string, fields: Record<string, string>) {
	const response = await fetch(base + path, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin, cookie: await sessionOf(who), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(fields)
	});
	return { status: response.status, html: await response.text(), location: response.headers.get('location') };
}

/** Rione names of the table rows, in order, as the server wrote them. */
const tableRows = (html: string) => [...html.matchAll(/<tr data-rione="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&#39;', "'").replaceAll('&amp;', '&'));

async function rioni(need: string): Promise<RioneCoverage[]> {
	const response = await fetch(`${base}/api/planning/rioni?need=${need}`, { headers: { cookie: await sessionOf('planner') } });
	expect(response.status).toBe(200);
	return ((await response.json()) as { features: { properties: RioneCoverage }[] }).features.map((f) => f.properties);
}

/** What the view's minutes were computed on, as the API says. */
async function basis(need: string): Promise<string> {
	const response = await fetch(`${base}/api/planning/rioni?need=${need}`, { headers: { cookie: await sessionOf('planner') } });
	return ((await response.json()) as { walk_basis: string }).walk_basis;
}

describe('the planning pages', () => {
	it('answer 404 to workers, partners and anonymous people, and open for planners and administrators', async () => {
		for (const path of ['/pianificazione', '/pianificazione?need=food', '/pianificazione/stampa?need=homework']) {
			for (const who of [null, 'worker', 'partnerA'] as const) {
				const answer = await page(who, path);
				expect(answer.status, `${path} as ${who ?? 'anonymous'}`).toBe(404);
				expect(answer.html).not.toContain('data-rione');
			}
			for (const who of ['planner', 'admin'] as const) expect((await page(who, path)).status, `${path} as ${who}`).toBe(200);
		}
		// A form action is refused the same way.
		const refused = await fetch(`${base}/pianificazione?/save`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin, cookie: await sessionOf('worker'), 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ name: 'x', body: '{}' })
		});
		expect(refused.status).toBe(404);
	});

	it('writes every rione of the API answer into the table, without JavaScript, in the order asked', async () => {
		const expected = await rioni('homework');
		expect(expected.length).toBeGreaterThan(0);
		const byRank = await page('planner', '/pianificazione?need=homework');
		expect(byRank.status).toBe(200);
		// No walkable network in the test store: the minutes are the estimate, and the page says "circa".
		expect(byRank.html).toContain('entro circa 15 minuti a piedi');
		// The grid legend's classes too, from the same answer's basis.
		expect(await basis('homework')).toBe('estimate');
		for (const minutes of [10, 15, 20]) expect(byRank.html).toContain(`fino a circa ${minutes} min a piedi`);
		expect(byRank.html).toMatch(/si stima il cammino fino all(?:'|&#39;)aiuto più vicino: distanza in linea d(?:'|&#39;)aria × 1,3/);
		expect(tableRows(byRank.html)).toEqual(sortRows(expected, 'gap_rank', 'asc').map((r) => r.name));
		// Rank 1 first: the worst-served rione heads the default view.
		const first = expected.find((r) => r.gap_rank === 1);
		if (first) expect(tableRows(byRank.html)[0]).toBe(first.name);
		for (const [sort, dir] of [
			['name', 'desc'],
			['residents', 'desc'],
			['share_within', 'asc']
		] as [SortColumn, 'asc' | 'desc'][]) {
			const sorted = await page('planner', `/pianificazione?need=homework&sort=${sort}&dir=${dir}`);
			expect(tableRows(sorted.html), `${sort} ${dir}`).toEqual(sortRows(expected, sort, dir).map((r) => r.name));
		}
		// The printed report holds the same rows, and a picture of each rione with a boundary.
		const report = await page('planner', '/pianificazione/stampa?need=homework');
		expect(tableRows(report.html)).toEqual(sortRows(expected, 'gap_rank', 'asc').map((r) => r.name));
		expect(report.html).toMatch(/<svg[^>]*class="rioni-svg/);
	});

	it('answers 400 to a view it cannot show, never 500', async () => {
		for (const query of ['need=pizza', 'metric=constructor', 'sort=__proto__', 'dir=sideways', 'within=7', 'scenario=123', 'when=night']) {
			expect((await page('planner', `/pianificazione?${query}`)).status, query).toBe(400);
			expect((await page('planner', `/pianificazione/stampa?${query}`)).status, query).toBe(400);
		}
		// A well-formed id that is no scenario: not found.
		expect((await page('planner', '/pianificazione?scenario=00000000-0000-0000-0000-000000000000')).status).toBe(404);
	});

	it('saves a scenario, reopens it by its id alone for a colleague, and audits both', async () => {
		const features = await fetch(`${base}/api/resources?need=homework&limit=1`).then((r) => r.json());
		const hide = [features.features[0].id as string];
		const body = { need: 'homework', within: 15, add: [{ at: [9.39, 45.85], needs: ['homework'], hours: 'Lu-Ve 14:30-18:30' }], hide };
		const saved = await post('planner', '/pianificazione?/save', { name: 'Doposcuola di prova', body: JSON.stringify(body) });
		expect(saved.status).toBe(303);
		const id = /scenario=([0-9a-f-]{36})/.exec(saved.location ?? '')?.[1];
		expect(id).toBeTruthy();
		// The address carries the view and the id, nothing else.
		expect(new URL(saved.location!, base).searchParams.get('name')).toBeNull();
		const reopened = await page('admin', `/pianificazione?need=homework&scenario=${id}`);
		expect(reopened.status).toBe(200);
		expect(reopened.html).toContain('Doposcuola di prova');
		expect(reopened.html).toContain('Lu-Ve 14:30-18:30');
		// The effect is worked out on the server too: a result table, one row per rione.
		expect(reopened.html).toMatch(/class="scenario-result/);
		// Its city line says the basis of the scenario's own answer: the estimate here, "circa".
		const answer = await fetch(`${base}/api/planning/scenario`, {
			method: 'POST',
			headers: { origin, cookie: await sessionOf('planner'), 'content-type': 'application/json' },
			body: JSON.stringify(body)
		}).then((r) => r.json() as Promise<{ walk_basis: string }>);
		expect(answer.walk_basis).toBe('estimate');
		expect(reopened.html).toMatch(/residenti entro circa 15 minuti a piedi \(/);
		// Listed for every planner.
		expect((await page('planner', '/pianificazione')).html).toContain(`scenario=${id}`);
		const audit = (await page('admin', '/admin/audit?subject=planning_scenario')).html;
		const events = audit.split('<tr id="event-').slice(1).map((row) => row.slice(0, row.indexOf('</tr>')));
		expect(events.some((row) => row.includes('planning_scenario.create') && row.includes(id!))).toBe(true);
		expect(events.some((row) => row.includes('planning_scenario.read') && row.includes(id!))).toBe(true);
		// Saving again updates the same scenario.
		const again = await post('planner', `/pianificazione?/save`, { id: id!, name: 'Doposcuola, seconda versione', body: JSON.stringify(body) });
		expect(again.status).toBe(303);
		expect(again.location).toContain(`scenario=${id}`);
		expect((await page('planner', `/pianificazione?scenario=${id}`)).html).toContain('Doposcuola, seconda versione');
		// Deleted, it is gone for everyone.
		expect((await post('admin', '/pianificazione?/delete', { id: id! })).status).toBe(303);
		expect((await page('planner', `/pianificazione?scenario=${id}`)).status).toBe(404);
	});

	it('refuses a malformed scenario with a message, storing nothing', async () => {
		const before = (await page('planner', '/pianificazione')).html.match(/scenario=[0-9a-f-]{36}/g)?.length ?? 0;
		const cases: Record<string, string>[] = [
			{ name: '', body: JSON.stringify({ need: 'homework', add: [], hide: [] }) },
			{ name: 'x'.repeat(121), body: JSON.stringify({ need: 'homework' }) },
			{ name: 'Rotto', body: '{' },
			{ name: 'Rotto', body: JSON.stringify({ need: 'pizza' }) },
			{ name: 'Rotto', body: JSON.stringify({ need: 'homework', add: [{ at: [999, 45], needs: ['homework'] }] }) },
			{ name: 'Rotto', body: JSON.stringify({ need: 'homework', hide: ['not-an-id'] }) }
		];
		for (const fields of cases) {
			const answer = await post('planner', '/pianificazione?/save', fields);
			expect(answer.status, JSON.stringify(fields).slice(0, 80)).toBe(400);
			expect(answer.html).toContain('role="alert"');
		}
		// An update of a scenario that is not there is not found.
		const missing = await post('planner', '/pianificazione?/save', { id: '00000000-0000-0000-0000-000000000000', name: 'x', body: JSON.stringify({ need: 'homework' }) });
		expect(missing.status).toBe(404);
		const after = (await page('planner', '/pianificazione')).html.match(/scenario=[0-9a-f-]{36}/g)?.length ?? 0;
		expect(after).toBe(before);
	});
});
