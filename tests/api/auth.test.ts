import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { ROUTE_ACCESS } from '../../src/lib/server/auth/guards';
import { ROUTE_MATRIX, WHO, type Expected, type Who } from '../setup/route-matrix';
import { TEST_PASSWORD, TEST_USERS, type TestUser } from '../setup/test-users-list';
import { sessionOf, signIn } from './session';

// Accounts, sessions and authorisation over HTTP, against the built app (accounts from tests/setup).
const base = inject('baseUrl');
const origin = new URL(base).origin;

const as = sessionOf;

async function get(path: string, cookie?: string) {
	return fetch(base + path, { redirect: 'manual', headers: cookie ? { cookie } : {} });
}

/** What an answer lacks of the headers every answer carries, and every page its CSP. */
function securityHeaderProblems(response: Response): string[] {
	const problems: string[] = [];
	const want = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'strict-origin-when-cross-origin', 'x-frame-options': 'DENY' };
	for (const [name, value] of Object.entries(want)) if (response.headers.get(name) !== value) problems.push(`${name}: ${response.headers.get(name)}`);
	if (response.headers.get('content-type')?.startsWith('text/html') && !/frame-ancestors 'none'/.test(response.headers.get('content-security-policy') ?? '')) {
		problems.push('a page without its Content-Security-Policy');
	}
	return problems;
}

describe('signing in and out', () => {
	it('sets an HttpOnly, SameSite=Lax, Path=/ cookie and /api/me answers who it is', async () => {
		const { status, setCookie, cookie } = await signIn(TEST_USERS.partnerA.email);
		expect(status).toBe(303);
		expect(setCookie).toMatch(/HttpOnly/i);
		expect(setCookie).toMatch(/SameSite=Lax/i);
		expect(setCookie).toMatch(/Path=\//i);
		const me = await get('/api/me', cookie!);
		expect(me.status).toBe(200);
		expect(me.headers.get('cache-control')).toBe('no-store');
		expect(await me.json()).toEqual({
			email: 'forno@atlante.test',
			role: 'partner',
			organizations: [{ id: expect.any(String), name: 'Panificio Il Forno del Rione (esempio)', role: 'editor' }]
		});
	});

	it('answers 401 on /api/me without a session, and refuses a wrong password with a message', async () => {
		const me = await get('/api/me');
		expect(me.status).toBe(401);
		expect((await me.json()).error).toMatch(/Sign in/);
		const wrong = await fetch(`${base}/login`, {
			method: 'POST',
			headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email: TEST_USERS.planner.email, password: 'sbagliata del tutto' })
		});
		expect(wrong.status).toBe(400);
		expect(await wrong.text()).toContain('Email o password non corrette.');
	});

	it('logout ends the session on the server, not just in the browser', async () => {
		const { cookie } = await signIn(TEST_USERS.worker.email);
		expect((await get('/api/me', cookie!)).status).toBe(200);
		const out = await fetch(`${base}/logout`, { method: 'POST', redirect: 'manual', headers: { origin, cookie: cookie! } });
		expect(out.status).toBe(303);
		expect((await get('/api/me', cookie!)).status).toBe(401);
	});

	it('an administrator can end all sessions of a user', async () => {
		const { cookie } = await signIn(TEST_USERS.planner.email);
		const me = await (await get('/api/me', cookie!)).json();
		expect(me.role).toBe('planner');
		const users = await get('/admin/utenti', await as('admin'));
		const page = await users.text();
		// The revoke form in the planner's row (the row starts with the email).
		const userId = new RegExp(`${TEST_USERS.planner.email}[^]*?name="user" value="([0-9a-f-]{36})"`).exec(page)?.[1];
		expect(userId).toBeTruthy();
		const revoke = await fetch(`${base}/admin/utenti?/revoke`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin, cookie: await as('admin'), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ user: userId! })
		});
		expect(revoke.status).toBe(200);
		expect((await get('/api/me', cookie!)).status).toBe(401);
	});
});

describe('origin checks', () => {
	it('refuses state-changing requests without this site as Origin, JSON and forms alike', async () => {
		const cookie = await as('admin');
		const noOrigin = await fetch(`${base}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie } });
		expect(noOrigin.status).toBe(403);
		expect((await noOrigin.json()).error).toMatch(/no Origin header/);
		const evil = await fetch(`${base}/api/me`, {
			method: 'POST',
			headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
			body: '{}'
		});
		expect(evil.status).toBe(403);
		expect((await evil.json()).error).toMatch(/Cross-site POST refused/);
		const form = await fetch(`${base}/login`, {
			method: 'POST',
			headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email: TEST_USERS.admin.email, password: TEST_PASSWORD })
		});
		expect(form.status).toBe(403);
		// The session survived: refusals change nothing.
		expect((await get('/api/me', cookie)).status).toBe(200);
	});
});

describe('security headers', () => {
	it('are on the answers refused before any route runs: cross-site, bad input, unknown action, unknown address', async () => {
		const answers = {
			crossSite: await fetch(`${base}/logout`, { method: 'POST', redirect: 'manual', headers: { origin: 'https://altro.example' } }),
			nul: await get('/api/resources?q=%00'),
			action: await fetch(`${base}/login?/toString`, { method: 'POST', redirect: 'manual', headers: { origin, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' }),
			notJson: await fetch(`${base}/api/admin/users`, { method: 'POST', headers: { origin, cookie: await as('admin'), 'content-type': 'text/plain' }, body: '{}' }),
			missing: await get('/non-esiste')
		};
		const problems = Object.entries(answers).flatMap(([name, response]) => securityHeaderProblems(response).map((problem) => `${name} (HTTP ${response.status}): ${problem}`));
		expect(Object.values(answers).map((response) => response.status)).toEqual([403, 400, 404, 415, 404]);
		expect(problems).toEqual([]);
	});

	it('sends a Content-Security-Policy with a script nonce and no-store on private pages', async () => {
		const home = await get('/');
		const csp = home.headers.get('content-security-policy') ?? '';
		expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
		expect(csp).toMatch(/frame-ancestors 'none'/);
		expect(csp).toMatch(/connect-src 'self'(;|$)/);
		const account = await get('/account', await as('worker'));
		expect(account.status).toBe(200);
		expect(account.headers.get('cache-control')).toBe('no-store');
		// A public page seen by a signed-in person is not cached either (it shows who is signed in).
		expect((await get('/', await as('worker'))).headers.get('cache-control')).toBe('no-store');
		// Nor its page data (in-app navigation; SvelteKit marks every one so), which names them too.
		const data = await get('/__data.json', await as('worker'));
		expect(data.status).toBe(200);
		expect(data.headers.get('cache-control')).toMatch(/no-store/);
	});
});

describe('the session cookie and caches', () => {
	const sessionCookies = (response: Response) => response.headers.getSetCookie().filter((c) => /atlante_session=/.test(c));

	it('is never sent on a public answer (the API, the basemap, their 304s), nor any other cookie', async () => {
		const { cookie } = await signIn(TEST_USERS.planner.email);
		for (const path of ['/api/resources?limit=1', '/api/resources?limit=1&lang=en', '/basemap/areas.geojson', '/api/needs']) {
			const response = await get(path, cookie!);
			expect(response.status, path).toBe(200);
			expect(response.headers.get('cache-control'), path).toMatch(/public/);
			expect(response.headers.get('set-cookie'), path).toBeNull();
			const etag = response.headers.get('etag')!;
			const again = await fetch(base + path, { headers: { cookie: cookie!, 'if-none-match': etag } });
			expect(again.status, path).toBe(304);
			expect(again.headers.get('set-cookie'), path).toBeNull();
		}
	});

	it('is re-sent only when the idle expiry slides, and pages vary by cookie', async () => {
		const { cookie } = await signIn(TEST_USERS.planner.email);
		// Just signed in: nothing to slide, no cookie.
		const account = await get('/account', cookie!);
		expect(account.status).toBe(200);
		expect(sessionCookies(account)).toEqual([]);
		expect(account.headers.get('vary')).toMatch(/Cookie/);
		expect((await get('/')).headers.get('vary')).toMatch(/Cookie/);

		// With the idle expiry near (set in the database the app runs on: server backend only, the
		// embedded one is the app's alone), a private page slides it and re-sends the cookie; a
		// public answer neither slides it nor sends it.
		const databaseUrl = inject('databaseUrl');
		if (!databaseUrl) return;
		const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
		try {
			const id = cookie!.split('=')[1]!.split('.')[0]!;
			const near = async () => {
				await client`UPDATE user_session SET expires_at = now() + interval '5 minutes' WHERE id = ${id}`;
				return (await client<{ expires_at: Date }[]>`SELECT expires_at FROM user_session WHERE id = ${id}`)[0]!.expires_at.getTime();
			};
			const before = await near();
			const api = await get('/api/resources?limit=1', cookie!);
			expect(api.headers.get('set-cookie')).toBeNull();
			expect((await client<{ expires_at: Date }[]>`SELECT expires_at FROM user_session WHERE id = ${id}`)[0]!.expires_at.getTime()).toBe(before);
			const page = await get('/account', cookie!);
			const [set] = sessionCookies(page);
			expect(set).toMatch(/HttpOnly/i);
			const expires = new Date(/Expires=([^;]+)/i.exec(set!)![1]!).getTime();
			expect(expires - Date.now()).toBeGreaterThan(25 * 60_000);
		} finally {
			await client.end();
		}
	});
});

describe('after signing in', () => {
	it('goes back only to this site: next resolved against the origin, control characters refused', async () => {
		// A next that is refused sends the person to their role's home instead (a worker: the plans).
		const cookie = await as('worker');
		const cases: [string, string][] = [
			['/%09/evil.example', '/piani'],
			['/%0a/evil.example', '/piani'],
			['%0a', '/piani'],
			['/ok%0d%0aSet-Cookie:%20x=1', '/piani'],
			['//evil.example', '/piani'],
			['/%5Cevil.example', '/piani'],
			['/..//evil.example', '/piani'],
			['https://evil.example/', '/piani'],
			[encodeURIComponent('/piani?x=1'), '/piani?x=1']
		];
		for (const [next, want] of cases) {
			const response = await get(`/login?next=${next}`, cookie);
			expect(response.status, next).toBe(303);
			expect(response.headers.get('location'), next).toBe(want);
		}
		const form = await fetch(`${base}/login?next=/%09/evil.example`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email: TEST_USERS.worker.email, password: TEST_PASSWORD })
		});
		expect(form.status).toBe(303);
		expect(form.headers.get('location')).toBe('/piani');
	});

	it('lands each role on its own home', async () => {
		const homes: [TestUser, string][] = [
			['admin', '/admin'],
			['worker', '/piani'],
			['partnerA', '/segnalazioni'],
			['planner', '/pianificazione']
		];
		for (const [who, home] of homes) {
			const response = await fetch(`${base}/login`, {
				method: 'POST',
				redirect: 'manual',
				headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ email: TEST_USERS[who].email, password: TEST_PASSWORD })
			});
			expect(response.headers.get('location'), who).toBe(home);
		}
	});
});

describe('names found on Object.prototype', () => {
	it('are no language: ?lang=constructor is not remembered and breaks no page', async () => {
		for (const lang of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
			const asked = await get(`/?lang=${lang}`);
			expect(asked.status, lang).toBe(200);
			expect(asked.headers.get('set-cookie') ?? '', lang).not.toMatch(/lang=/);
			const remembered = await fetch(`${base}/patto`, { headers: { cookie: `lang=${lang}` } });
			expect(remembered.status, lang).toBe(200);
			expect(await remembered.text()).toMatch(/<html lang="it"/);
		}
	});

	it('are no form action: 404 on every form, signed in or not, and nothing runs', async () => {
		const cookie = await as('partnerA');
		// The last is an address SvelteKit cannot decode: a hook that threw there once took the app down.
		const forms = ['/login', '/aderisci', '/account', '/partner', '/partner/%ED%B3%96/servizi/x'];
		for (const path of forms) {
			for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'default']) {
				for (const who of [undefined, cookie]) {
					const response = await fetch(`${base}${path}?/${name}`, {
						method: 'POST',
						redirect: 'manual',
						headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...(who ? { cookie: who } : {}) },
						body: new URLSearchParams({ email: 'x@example.org', password: 'x' })
					});
					await response.arrayBuffer();
					expect(response.status, `${path}?/${name}${who ? ' signed in' : ''}`).toBeOneOf([400, 404]);
				}
			}
		}
		// Still answering.
		expect((await fetch(`${base}/api/needs`)).status).toBe(200);
	});
});

describe('the route × role matrix', () => {
	/** A concrete address for each route id (its parameters filled with real or missing records). */
	function concrete(route: string, ids: { resource: string; organization: string }): string {
		return route
			.replace('[...rest]', 'no-such-endpoint')
			.replace(/\[\w+=uint\]/g, '0')
			.replace('[org=uuid]', ids.organization)
			.replace('[id=uuid]', route.startsWith('/admin') ? '00000000-0000-0000-0000-000000000000' : ids.resource)
			.replace(/\[[^\]]+\]/g, '00000000-0000-0000-0000-000000000000');
	}

	// The hand-written matrix (tests/setup/route-matrix.ts), never recomputed from the route table.
	const account: Record<Who, TestUser | null> = { anonymous: null, admin: 'admin', worker: 'worker', planner: 'planner', partner: 'partnerA' };

	it('walks every route with every role and gets what the hand-written matrix says', async () => {
		expect(Object.keys(ROUTE_MATRIX).sort()).toEqual(Object.keys(ROUTE_ACCESS).sort());
		const outcomes: string[] = [];
		const headerProblems: string[] = [];
		const ids = {
			resource: (await (await get('/api/resources?limit=1')).json()).features[0].id,
			organization: (await (await get('/api/me', await as('partnerA'))).json()).organizations[0].id
		};
		for (const [route, row] of Object.entries(ROUTE_MATRIX)) {
			const path = concrete(route, ids);
			for (const who of WHO) {
				const user = account[who];
				const response = await get(path, user ? await as(user) : undefined);
				await response.arrayBuffer();
				const location = response.headers.get('location') ?? '';
				headerProblems.push(...securityHeaderProblems(response).map((problem) => `${route} (${path}) as ${who}, HTTP ${response.status}: ${problem}`));
				const got: Expected =
					response.status === 403 || response.status === 404
						? response.status
						: response.status === 401 || (response.status === 303 && location.startsWith('/login'))
							? 'sign-in'
							: 'allow';
				const want = row[who];
				// An allowed route may still answer 404 (no such record).
				if (got === want || (want === 'allow' && got === 404)) continue;
				outcomes.push(`${route} (${path}) as ${who}: ${got} (HTTP ${response.status}), want ${want}`);
			}
		}
		expect(outcomes).toEqual([]);
		// Every route, every role, whatever the answer (a page, a redirect to sign in, a refusal).
		expect(headerProblems).toEqual([]);
	});

	it('records refused authorisations in the audit trail', async () => {
		await get('/admin/users', await as('worker'));
		const trail = await (await get('/admin/audit?action=authz.denied', await as('admin'))).text();
		expect(trail).toContain('authz.denied');
		expect(trail).toContain(TEST_USERS.worker.email);
	});
});
