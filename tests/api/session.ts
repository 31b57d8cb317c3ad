import { expect, inject } from 'vitest';
import { TEST_PASSWORD, TEST_USERS, type TestUser } from '../setup/test-users-list';

// Signing in to the app under test through its login form, as a browser would: one way for every
// HTTP test file.
const base = inject('baseUrl');
const origin = new URL(base).origin;

/** The login form's answer: its status, the session cookie ("name=value") if one was set, and the raw header. */
export async function signIn(email: string, password = TEST_PASSWORD): Promise<{ status: number; cookie: string | null; setCookie: string | null }> {
	const response = await fetch(`${base}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password })
	});
	await response.arrayBuffer();
	const setCookie = response.headers.get('set-cookie');
	const cookie = /(\S*atlante_session=[^;]+)/.exec(setCookie ?? '')?.[1] ?? null;
	return { status: response.status, cookie, setCookie };
}

/** The session cookie of a signed-in `email`; fails the test when signing in does not work. */
export async function sessionCookie(email: string, password = TEST_PASSWORD): Promise<string> {
	const { cookie } = await signIn(email, password);
	expect(cookie, `sign-in of ${email}`).toBeTruthy();
	return cookie!;
}

const sessions = new Map<TestUser, Promise<string>>();

/** A test account's session, signed in once per test file and reused. */
export function sessionOf(who: TestUser): Promise<string> {
	if (!sessions.has(who)) sessions.set(who, sessionCookie(TEST_USERS[who].email));
	return sessions.get(who)!;
}
