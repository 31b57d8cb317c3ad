import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTE_ACCESS, decide } from '../../src/lib/server/auth/guards';
import type { User } from '../../src/lib/server/db/accounts';

// Every route in src/routes, named as SvelteKit names route ids ("/admin/domande/[id]").
function routeIds(dir = 'src/routes', id = ''): string[] {
	const ids: string[] = [];
	const entries = fs.readdirSync(dir, { withFileTypes: true });
	if (entries.some((e) => e.isFile() && /^\+(page|server)(\.server)?\.(ts|svelte)$/.test(e.name))) ids.push(id || '/');
	for (const entry of entries) {
		if (entry.isDirectory()) ids.push(...routeIds(path.join(dir, entry.name), `${id}/${entry.name}`));
	}
	return ids;
}

const user = (role: User['role']): User => ({ id: '00000000-0000-0000-0000-000000000000', email: `${role}@example.it`, role, disabled: false });

describe('the route access table', () => {
	// The hook refuses a route missing from the table (deny by default): this finds it before a user does.
	it('names every route there is', () => {
		const missing = routeIds().filter((id) => !(id in ROUTE_ACCESS));
		expect(missing).toEqual([]);
	});

	it('lets anyone apply to the pact and read its signatories, the applicant alone follow the application, administrators alone review', () => {
		expect(decide('/aderisci', null)).toBe('allow');
		expect(decide('/patto', null)).toBe('allow');
		expect(decide('/aderisci/domanda', null)).toBe('sign-in');
		expect(decide('/aderisci/domanda', user('partner'))).toBe('allow');
		for (const route of ['/admin/domande', '/admin/domande/[id]']) {
			expect(decide(route, null)).toBe('sign-in');
			expect(decide(route, user('partner'))).toBe('forbidden');
			expect(decide(route, user('worker'))).toBe('forbidden');
			expect(decide(route, user('admin'))).toBe('allow');
		}
	});
});
