import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decide, hidesItself, ROUTE_ACCESS, routeAnswer } from '../../src/lib/server/auth/guards';
import type { Role, User } from '../../src/lib/server/db/accounts';
import { ROUTE_MATRIX, WHO, type Who } from '../setup/route-matrix';

/** Every route id of the app, read from src/routes the way SvelteKit names them. */
function routeIds(dir = 'src/routes', id = ''): string[] {
	const entries = fs.readdirSync(dir, { withFileTypes: true });
	const isRoute = entries.some((e) => e.isFile() && /^\+(page(\.server)?\.(ts|svelte)|server\.ts)$/.test(e.name));
	const nested = entries.filter((e) => e.isDirectory()).flatMap((e) => routeIds(path.join(dir, e.name), `${id}/${e.name}`));
	return [...(isRoute ? [id || '/'] : []), ...nested];
}

const user = (role: Role): User => ({ id: '00000000-0000-0000-0000-000000000000', email: `${role}@atlante.test`, role, disabled: false });

describe('the route access table', () => {
	it('lists every route of the app, and only those', () => {
		expect(Object.keys(ROUTE_ACCESS).sort()).toEqual(routeIds().sort());
	});

	it('answers every route, for anonymous people and every role, as the hand-written matrix says', () => {
		// tests/setup/route-matrix.ts is written by hand, not derived from ROUTE_ACCESS nor from
		// hidesItself: a wrong entry there (or here) fails, 403 and 404 told apart.
		expect(Object.keys(ROUTE_MATRIX).sort()).toEqual(routeIds().sort());
		const people: Record<Who, User | null> = { anonymous: null, admin: user('admin'), worker: user('worker'), planner: user('planner'), partner: user('partner') };
		const wrong: string[] = [];
		for (const [route, row] of Object.entries(ROUTE_MATRIX)) {
			for (const who of WHO) {
				const got = routeAnswer(route, people[who]);
				if (got !== row[who]) wrong.push(`${route} as ${who}: ${got}, want ${row[who]}`);
			}
		}
		expect(wrong).toEqual([]);
	});

	it('denies by default a route it does not list', () => {
		expect(decide('/secret/new-page', user('admin'))).toBe('unlisted');
		expect(decide('/secret/new-page', null)).toBe('unlisted');
	});
});

describe('planning (issue 11)', () => {
	it('lets planners and administrators use the planning API and pages, and nobody else (404 to the others)', () => {
		for (const route of ['/api/planning/rioni', '/api/planning/rioni.csv', '/api/planning/cells', '/api/planning/scenario', '/pianificazione', '/pianificazione/stampa']) {
			expect(decide(route, user('planner')), route).toBe('allow');
			expect(decide(route, user('admin')), route).toBe('allow');
			expect(decide(route, user('worker')), route).toBe('forbidden');
			expect(decide(route, user('partner')), route).toBe('forbidden');
			expect(decide(route, null), route).toBe('sign-in');
			// The hook answers 404 instead of 403 or a sign-in redirect.
			expect(hidesItself(route), route).toBe(true);
		}
		expect(ROUTE_ACCESS['/pianificazione']).toEqual(['planner', 'admin']);
		expect(ROUTE_ACCESS['/pianificazione/stampa']).toEqual(['planner', 'admin']);
	});
});

describe('what the table must never say', () => {
	it('keeps administration to administrators, partner pages from other staff, and the public API public', () => {
		for (const [route, access] of Object.entries(ROUTE_ACCESS)) {
			if (route === '/admin' || route.startsWith('/admin/')) expect(access, route).toEqual(['admin']);
			if (route.startsWith('/partner')) expect(access, route).toEqual(['partner', 'admin']);
			if (route.startsWith('/api/plans')) expect(access, route).not.toBe('public');
			if (route.startsWith('/api/planning') || route.startsWith('/pianificazione')) expect(access, route).toEqual(['planner', 'admin']);
		}
		for (const route of ['/', '/risorse/[id=uuid]', '/api/resources', '/api/resources/[id=uuid]', '/api/match', '/api/needs', '/api/neighbourhoods', '/login']) {
			expect(ROUTE_ACCESS[route as keyof typeof ROUTE_ACCESS], route).toBe('public');
		}
		expect(ROUTE_ACCESS['/api/me']).toBe('signed-in');
	});

	it('keeps residents per rione, the rioni boundaries and imports to administrators', () => {
		for (const route of ['/admin/popolazione', '/admin/rioni', '/admin/import']) {
			expect(ROUTE_ACCESS[route as keyof typeof ROUTE_ACCESS], route).toEqual(['admin']);
			expect(decide(route, null)).toBe('sign-in');
			for (const role of ['planner', 'worker', 'partner'] as const) expect(decide(route, user(role)), `${route} as ${role}`).toBe('forbidden');
			expect(decide(route, user('admin'))).toBe('allow');
		}
	});

	it('lets anyone apply to the pact and read its signatories, the applicant alone follow the application, administrators alone review', () => {
		expect(decide('/aderisci', null)).toBe('allow');
		expect(decide('/patto', null)).toBe('allow');
		expect(decide('/aderisci/domanda', null)).toBe('sign-in');
		expect(decide('/aderisci/domanda', user('partner'))).toBe('allow');
		for (const route of ['/admin/domande', '/admin/domande/[id=uuid]']) {
			expect(decide(route, null)).toBe('sign-in');
			expect(decide(route, user('partner'))).toBe('forbidden');
			expect(decide(route, user('worker'))).toBe('forbidden');
			expect(decide(route, user('admin'))).toBe('allow');
		}
	});
});
