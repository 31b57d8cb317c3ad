import { describe, expect, it } from 'vitest';
import { delaySeconds, FREE_FAILURES, login } from '../../src/lib/server/auth/login';
import { ABSOLUTE_MS, createSession, IDLE_MS, invalidateSession, invalidateUserSessions, slideSession, validateSessionToken } from '../../src/lib/server/auth/session';
import { AccountError, createUser } from '../../src/lib/server/auth/users';
import * as accounts from '../../src/lib/server/db/accounts';
import * as audit from '../../src/lib/server/db/audit';
import { sql } from '../../src/lib/server/db/client';

const PASSWORD = 'Sette nani nel bosco 1937';
let counter = 0;
/** A fresh account per test (tests share one database). */
async function newUser(role: accounts.Role = 'worker') {
	counter += 1;
	const email = `utente${counter}-${Date.now()}@atlante.test`;
	return createUser({ email, role, password: PASSWORD });
}

describe('sessions', () => {
	it('stores only the SHA-256 of the secret, and a token with a wrong secret is refused', async () => {
		const user = await newUser();
		const { token, session } = await createSession(user.id);
		const [id, secret] = token.split('.');
		// 256-bit secret: 32 bytes in base32 are 52 characters.
		expect(secret).toHaveLength(52);
		const [row] = await sql<{ secret_hash: Uint8Array }[]>`SELECT secret_hash FROM user_session WHERE id = ${id!}`;
		expect(row!.secret_hash).toHaveLength(32);
		expect(Buffer.from(row!.secret_hash).toString('utf8')).not.toContain(secret);
		expect((await validateSessionToken(token))?.user.email).toBe(user.email);
		expect(await validateSessionToken(`${id}.${'a'.repeat(52)}`)).toBeNull();
		expect(await validateSessionToken('nonsense')).toBeNull();
		expect(session.absoluteExpiresAt.getTime() - Date.now()).toBeLessThanOrEqual(ABSOLUTE_MS);
	});

	it('ends after 30 idle minutes, slides while used, and never outlives 12 hours', async () => {
		const user = await newUser();
		const t0 = new Date();
		const { token } = await createSession(user.id, t0);
		const at = (ms: number) => new Date(t0.getTime() + ms);
		// Used after 20 minutes: still valid, and the idle limit moves on.
		expect(await validateSessionToken(token, at(20 * 60_000))).not.toBeNull();
		expect(await validateSessionToken(token, at(45 * 60_000))).not.toBeNull();
		// 31 idle minutes after the last use: gone for good.
		expect(await validateSessionToken(token, at(45 * 60_000 + IDLE_MS + 60_000))).toBeNull();
		expect(await validateSessionToken(token, at(46 * 60_000))).toBeNull();

		// Kept busy, it still ends at the absolute limit.
		const busy = await createSession(user.id, t0);
		let last = null;
		for (let minute = 20; minute < 12 * 60; minute += 20) last = await validateSessionToken(busy.token, at(minute * 60_000));
		expect(last).not.toBeNull();
		expect(await validateSessionToken(busy.token, at(ABSOLUTE_MS + 1000))).toBeNull();
	});

	it('slides only when less than half the idle window is left, and says whether it did', async () => {
		const user = await newUser();
		const t0 = new Date();
		const { token, session } = await createSession(user.id, t0);
		const at = (ms: number) => new Date(t0.getTime() + ms);
		const expiry = async () => (await sql<{ expires_at: Date }[]>`SELECT expires_at FROM user_session WHERE id = ${session.id}`)[0]!.expires_at.getTime();
		// Fresh: nothing to slide, so no new cookie is due.
		expect((await validateSessionToken(token, at(60_000)))?.slid).toBe(false);
		expect((await validateSessionToken(token, at(14 * 60_000)))?.slid).toBe(false);
		expect(await expiry()).toBe(session.expiresAt.getTime());
		// Validated without sliding: the expiry stays, even when due.
		const found = await validateSessionToken(token, at(20 * 60_000), { slide: false });
		expect(found?.slid).toBe(false);
		expect(await expiry()).toBe(session.expiresAt.getTime());
		// Due (10 of 30 minutes left): slides to 30 minutes from now.
		const slid = await validateSessionToken(token, at(20 * 60_000));
		expect(slid?.slid).toBe(true);
		expect(slid?.session.expiresAt.getTime()).toBe(at(20 * 60_000 + IDLE_MS).getTime());
		expect(await expiry()).toBe(at(20 * 60_000 + IDLE_MS).getTime());
		// A session signed out meanwhile does not slide back into existence.
		await invalidateSession(session.id);
		expect(await slideSession(found!.session, at(25 * 60_000))).toBeNull();
	});

	it('a password change and an administrator revocation end every session of the user', async () => {
		const user = await newUser();
		const a = await createSession(user.id);
		const b = await createSession(user.id);
		await accounts.setPassword(user.id, (await accounts.get(user.id))!.password_hash!);
		expect(await validateSessionToken(a.token)).toBeNull();
		expect(await validateSessionToken(b.token)).toBeNull();
		const c = await createSession(user.id);
		expect(await invalidateUserSessions(user.id)).toBe(1);
		expect(await validateSessionToken(c.token)).toBeNull();
	});

	it('a disabled account has no valid session', async () => {
		const user = await newUser();
		const { token } = await createSession(user.id);
		await sql`UPDATE app_user SET disabled_at = now() WHERE id = ${user.id}::uuid`;
		expect(await validateSessionToken(token)).toBeNull();
	});
});

describe('login', () => {
	it('signs in with the right password (any case of email), refuses a wrong one, and audits both', async () => {
		const user = await newUser();
		const address = `10.0.${counter}.1`;
		const ok = await login(user.email.toUpperCase(), PASSWORD, address);
		expect(ok.ok).toBe(true);
		const bad = await login(user.email, 'not the password at all', address);
		expect(bad).toEqual({ ok: false, reason: 'invalid' });
		const unknown = await login(`nobody-${counter}@atlante.test`, PASSWORD, address);
		expect(unknown).toEqual({ ok: false, reason: 'invalid' });
		const events = await audit.list({ action: 'login.' });
		expect(events.some((e) => e.action === 'login.success' && e.actor_email === user.email)).toBe(true);
		expect(events.some((e) => e.action === 'login.failure' && e.actor_email === user.email && e.detail.reason === 'wrong_password')).toBe(true);
		// The password never reaches the trail.
		expect(JSON.stringify(events)).not.toContain('not the password at all');
	});

	it('slows down repeated failures per account, with a growing wait, even with the right password', async () => {
		const user = await newUser();
		const address = `10.1.${counter}.1`;
		for (let i = 0; i < FREE_FAILURES.email; i++) expect((await login(user.email, 'wrong password number ' + i, address)).ok).toBe(false);
		const throttled = await login(user.email, PASSWORD, address);
		expect(throttled).toMatchObject({ ok: false, reason: 'throttled' });
		expect((throttled as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
		// Once the wait is over, the right password works again.
		const later = new Date(Date.now() + 6000);
		expect((await login(user.email, PASSWORD, address, later)).ok).toBe(true);
		expect(delaySeconds(3, 3)).toBe(5);
		expect(delaySeconds(4, 3)).toBe(10);
		expect(delaySeconds(30, 3)).toBe(900);
		expect((await audit.list({ action: 'login.throttled' })).some((e) => e.actor_email === user.email)).toBe(true);
	});

	it('slows down many failures from one address across accounts', async () => {
		const address = `10.2.${counter}.1`;
		for (let i = 0; i < FREE_FAILURES.address; i++) await login(`someone${i}-${counter}@atlante.test`, 'whatever password', address);
		const user = await newUser();
		expect(await login(user.email, PASSWORD, address)).toMatchObject({ ok: false, reason: 'throttled' });
		expect((await login(user.email, PASSWORD, `${address}0`)).ok).toBe(true);
	});
});

describe('accounts', () => {
	it('refuses a weak password, an unknown role, a duplicate and a partner without organisation, creating nothing', async () => {
		const email = `nuovo-${Date.now()}@atlante.test`;
		await expect(createUser({ email, role: 'worker', password: 'short' })).rejects.toThrow(AccountError);
		await expect(createUser({ email, role: 'worker', password: '123qweasdzxc' })).rejects.toThrow(/most common/);
		await expect(createUser({ email, role: 'boss', password: PASSWORD })).rejects.toThrow(/Unknown role "boss"/);
		await expect(createUser({ email, role: 'partner', password: PASSWORD })).rejects.toThrow(/needs its organisation/);
		await expect(createUser({ email, role: 'partner', password: PASSWORD, organization: 'No Such Org' })).rejects.toThrow(/No organisation/);
		expect(await accounts.findByEmail(email)).toBeNull();
		await createUser({ email, role: 'partner', password: PASSWORD, organization: 'Panificio Il Forno del Rione (esempio)' });
		await expect(createUser({ email: email.toUpperCase(), role: 'worker', password: PASSWORD })).rejects.toThrow(/exists already/);
		const created = await accounts.findByEmail(email);
		expect(await accounts.memberships(created!.id)).toEqual([expect.objectContaining({ name: 'Panificio Il Forno del Rione (esempio)', role: 'editor' })]);
	});
});

describe('the audit trail', () => {
	it('is append-only: the database refuses updates and deletes', async () => {
		await audit.record({ action: 'test.event', detail: { n: 1 } });
		await expect(sql`UPDATE audit_event SET action = 'test.changed' WHERE action = 'test.event'`).rejects.toThrow(/append-only/);
		await expect(sql`DELETE FROM audit_event WHERE action = 'test.event'`).rejects.toThrow(/append-only/);
		expect((await audit.list({ action: 'test.event' })).length).toBeGreaterThan(0);
	});

	it("records refused anonymous requests once per address and minute, and a signed-in person's every time", async () => {
		const address = `192.0.2.${(Date.now() % 200) + 1}-${++counter}`;
		const rows = async (where: { address?: string; actor?: string }) =>
			(await sql<{ n: number }[]>`
				SELECT count(*)::int AS n FROM audit_event
				WHERE action = 'authz.denied' AND at > now() - interval '5 minutes'
					AND ${where.address ? sql`address = ${where.address}` : sql`actor_email = ${where.actor!}`}`)[0]!.n;
		const written = [];
		for (let i = 0; i < 50; i++) written.push(await audit.recordRefusal({ subjectType: 'route', subjectId: '/api/plans', address }));
		// One row, or two when the loop crossed into the next minute.
		expect(written[0]).toBe(true);
		expect(await rows({ address })).toBeGreaterThanOrEqual(1);
		expect(await rows({ address })).toBeLessThanOrEqual(2);

		const user = await newUser();
		for (let i = 0; i < 5; i++) expect(await audit.recordRefusal({ actorId: user.id, actorEmail: user.email, subjectType: 'route', subjectId: '/admin/users', address })).toBe(true);
		expect(await rows({ actor: user.email })).toBe(5);

		// Throttled sign-ins knocking again and again: bounded the same way, a kind of their own.
		const throttled = async () =>
			(await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_event WHERE action = 'login.throttled' AND address = ${address}`)[0]!.n;
		for (let i = 0; i < 20; i++) await audit.recordRefusal({ actorEmail: 'chiunque@example.org', action: 'login.throttled', address });
		expect(await throttled()).toBeGreaterThanOrEqual(1);
		expect(await throttled()).toBeLessThanOrEqual(2);
	});

	it('lists by action, actor, subject and Rome calendar day, newest first, a page at a time', async () => {
		const user = await newUser();
		for (let i = 0; i < 5; i++) await audit.record({ actorId: user.id, actorEmail: user.email, action: 'test.paged', subjectType: 'thing', subjectId: String(i) });
		const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
		const first = await audit.list({ action: 'test.', actor: user.email.toUpperCase(), subjectType: 'thing', fromDay: day, toDay: day, limit: 3 });
		expect(first.map((e) => e.subject_id)).toEqual(['4', '3', '2']);
		const rest = await audit.list({ actor: user.email, before: first.at(-1)!.id, limit: 3 });
		expect(rest.filter((e) => e.action === 'test.paged').map((e) => e.subject_id)).toEqual(['1', '0']);
		expect(await audit.list({ actor: user.email, subjectType: 'other' })).toEqual([]);
		expect(await audit.list({ actor: user.email, toDay: '2000-01-01' })).toEqual([]);
	});
});
