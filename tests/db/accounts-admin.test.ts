import { describe, expect, it } from 'vitest';
import { checkLink, useLink } from '../../src/lib/server/auth/account-links';
import { forgotPassword, invite, organizationByName, resetByAdmin, updateUser, UserAdminError } from '../../src/lib/server/auth/admin-users';
import { login } from '../../src/lib/server/auth/login';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session';
import { AccountError, createUser } from '../../src/lib/server/auth/users';
import * as accounts from '../../src/lib/server/db/accounts';
import { sql } from '../../src/lib/server/db/client';
import * as notices from '../../src/lib/server/mail/notices';

/*
 * Accounts from the browser (issue 13): invitations and resets as single-use links, changes by an
 * administrator, and "forgotten password" by email. Through the services the pages and the JSON
 * API call, on a real database; times from a clock the test sets.
 */

const PASSWORD = 'Sette nani nel bosco 1937';
const NEW_PASSWORD = 'Una casa sul lago di Como';
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const email = (name: string) => `${name}-${run}@staff.test`;
const DAY = 86_400_000;

async function admin() {
	const user = await createUser({ email: email(`admin-${Math.random().toString(36).slice(2, 7)}`), role: 'admin', password: PASSWORD });
	return { user, address: '127.0.0.1' };
}
const tokenOf = (url: string) => new URL(url).pathname.split('/').at(-1)!;
const refusal = (promise: Promise<unknown>) =>
	promise.then(
		() => null,
		(error: unknown) => (error instanceof UserAdminError ? { status: error.status, field: error.field } : error)
	);
const outboxFor = (address: string) => sql<{ kind: string; body_text: string | null }[]>`SELECT kind, body_text FROM mail_outbox WHERE recipient = ${address} ORDER BY id`;

describe('invitations', () => {
	it('an invited person has no password until they use the link, once, and is then signed in', async () => {
		const actor = await admin();
		const [org] = await sql<{ id: string }[]>`SELECT id::text FROM organization ORDER BY name LIMIT 1`;
		const invited = await invite(actor, { email: email('Partner'), name: 'Paola Partner', role: 'partner', organizations: [{ id: org!.id, role: 'editor' }] });
		expect(invited).toMatchObject({ id: expect.any(String), invitation_url: expect.stringMatching(/^https:\/\/atlante\.test\/imposta-password\/[a-z2-7]+\.[a-z2-7]+$/), emailed: true });
		// Stored lower-case, with its membership, no password; the link's secret is not stored.
		const stored = await accounts.get(invited.id);
		expect(stored).toMatchObject({ email: email('partner'), role: 'partner', password_hash: null });
		expect(await accounts.memberships(invited.id)).toEqual([expect.objectContaining({ id: org!.id, role: 'editor' })]);
		const token = tokenOf(invited.invitation_url);
		const [row] = await sql<{ secret_hash: Uint8Array }[]>`SELECT secret_hash FROM account_link WHERE id = ${token.split('.')[0]!}`;
		expect(Buffer.from(row!.secret_hash).toString()).not.toContain(token.split('.')[1]!);
		// The email holds the link and nothing else of the account.
		const [mail] = await outboxFor(email('partner'));
		expect(mail).toMatchObject({ kind: 'account.invitation' });
		expect(mail!.body_text).toContain(invited.invitation_url);
		expect(mail!.body_text).not.toContain('Paola');

		// Cannot sign in before choosing a password.
		expect(await login(email('partner'), '', '10.9.9.1')).toMatchObject({ ok: false, reason: 'invalid' });
		expect(await checkLink(token)).toEqual({ purpose: 'invitation', email: email('partner') });
		expect(await useLink(token, 'short', 'short', '10.9.9.1')).toMatchObject({ ok: false, problem: 'password_too_short', field: 'password' });
		expect(await useLink(token, NEW_PASSWORD, 'another', '10.9.9.1')).toMatchObject({ ok: false, problem: 'password_mismatch', field: 'confirm' });
		const used = await useLink(token, NEW_PASSWORD, NEW_PASSWORD, '10.9.9.1');
		expect(used).toMatchObject({ ok: true, user: { id: invited.id, role: 'partner' } });
		expect(await validateSessionToken((used as { token: string }).token)).not.toBeNull();
		// Once only.
		expect(await checkLink(token)).toBeNull();
		expect(await useLink(token, NEW_PASSWORD, NEW_PASSWORD, '10.9.9.1')).toMatchObject({ ok: false, field: 'link' });
		expect(await login(email('partner'), NEW_PASSWORD, '10.9.9.1')).toMatchObject({ ok: true });
		const [accepted] = await sql`SELECT count(*)::int AS n FROM audit_event WHERE action = 'user.invitation_accepted' AND subject_id = ${invited.id}`;
		expect(accepted!.n).toBe(1);
	});

	it('a link expires after 7 days, a wrong secret finds nothing, and a newer link retires the older', async () => {
		const actor = await admin();
		const t0 = new Date();
		const invited = await invite(actor, { email: email('late'), name: 'Luca Lento', role: 'worker' }, t0);
		const token = tokenOf(invited.invitation_url);
		expect(await checkLink(token, new Date(t0.getTime() + 7 * DAY - 60_000))).not.toBeNull();
		expect(await checkLink(token, new Date(t0.getTime() + 7 * DAY + 1000))).toBeNull();
		expect(await useLink(token, NEW_PASSWORD, NEW_PASSWORD, '10.9.9.2', new Date(t0.getTime() + 7 * DAY + 1000))).toMatchObject({ ok: false, field: 'link' });
		const [id, secret] = token.split('.');
		expect(await checkLink(`${id}.${secret!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))}`, t0)).toBeNull();
		expect(await checkLink(`${id}`, t0)).toBeNull();

		const reset = await resetByAdmin(actor, invited.id, t0);
		expect(await checkLink(token, t0)).toBeNull();
		expect(await checkLink(tokenOf(reset.reset_url), t0)).toEqual({ purpose: 'reset', email: email('late') });
	});

	it('two requests racing with one link: exactly one sets the password', async () => {
		const invited = await invite(await admin(), { email: email('race'), name: 'Rita Rapida', role: 'worker' });
		const token = tokenOf(invited.invitation_url);
		const results = await Promise.all([0, 1, 2].map(() => useLink(token, NEW_PASSWORD, NEW_PASSWORD, '10.9.9.6')));
		expect(results.filter((r) => r.ok)).toHaveLength(1);
	});

	it('refuses bad input with the field at fault, and an address that has an account', async () => {
		const actor = await admin();
		expect(await refusal(invite(actor, { email: 'not-an-address', name: 'X', role: 'worker' }))).toEqual({ status: 400, field: 'email' });
		expect(await refusal(invite(actor, { email: email('x'), name: '', role: 'worker' }))).toEqual({ status: 400, field: 'name' });
		expect(await refusal(invite(actor, { email: email('x'), name: 'X', role: 'boss' }))).toEqual({ status: 400, field: 'role' });
		expect(await refusal(invite(actor, { email: email('x'), name: 'X', role: 'partner' }))).toEqual({ status: 400, field: 'organizations' });
		expect(await refusal(invite(actor, { email: email('x'), name: 'X', role: 'partner', organizations: [{ id: '00000000-0000-4000-8000-000000000000', role: 'editor' }] }))).toEqual({ status: 400, field: 'organizations' });
		expect(await refusal(invite(actor, { email: actor.user.email, name: 'X', role: 'worker' }))).toEqual({ status: 409, field: 'email' });
		expect(await accounts.findByEmail(email('x'))).toBeNull();
	});
});

describe('changes by an administrator', () => {
	it('disabling ends the sessions and the sign-in; re-enabling restores the sign-in; role and memberships change', async () => {
		const actor = await admin();
		const user = await createUser({ email: email('worker'), role: 'worker', password: PASSWORD });
		const session = await createSession(user.id);
		await updateUser(actor, user.id, { disabled: true });
		expect(await validateSessionToken(session.token)).toBeNull();
		expect(await login(email('worker'), PASSWORD, '10.9.9.3')).toMatchObject({ ok: false });
		await updateUser(actor, user.id, { disabled: false, name: 'Walter Worker', locale: 'en' });
		expect(await login(email('worker'), PASSWORD, '10.9.9.3')).toMatchObject({ ok: true });
		const [org] = await sql<{ id: string }[]>`SELECT id::text FROM organization ORDER BY name DESC LIMIT 1`;
		await updateUser(actor, user.id, { role: 'partner', organizations: [{ id: org!.id, role: 'viewer' }] });
		expect(await accounts.memberships(user.id)).toEqual([expect.objectContaining({ id: org!.id, role: 'viewer' })]);
		await updateUser(actor, user.id, { role: 'planner' });
		expect(await accounts.memberships(user.id)).toEqual([]);
		const listed = (await accounts.list()).find((u) => u.id === user.id);
		expect(listed).toMatchObject({ name: 'Walter Worker', locale: 'en', role: 'planner', disabled: false, pending: false });
		expect(await refusal(updateUser(actor, user.id, {}))).toMatchObject({ status: 400 });
		expect(await refusal(updateUser(actor, user.id, { role: 'partner', organizations: [] }))).toMatchObject({ status: 400, field: 'organizations' });
		expect(await refusal(updateUser(actor, '00000000-0000-4000-8000-000000000000', { disabled: true }))).toMatchObject({ status: 404 });
	});

	it('never leaves the site without an active administrator', async () => {
		const actor = await admin();
		const other = await admin();
		await updateUser(actor, other.user.id, { disabled: true });
		const admins = await sql<{ id: string }[]>`SELECT id::text FROM app_user WHERE role = 'admin' AND disabled_at IS NULL AND id <> ${actor.user.id}::uuid`;
		const ids = admins.map((a) => a.id);
		if (ids.length > 0) await sql`UPDATE app_user SET disabled_at = now() WHERE id IN ${sql(ids)}`;
		try {
			expect(await refusal(updateUser(actor, actor.user.id, { disabled: true }))).toEqual({ status: 409, field: 'disabled' });
			expect(await refusal(updateUser(actor, actor.user.id, { role: 'worker' }))).toEqual({ status: 409, field: 'role' });
		} finally {
			if (ids.length > 0) await sql`UPDATE app_user SET disabled_at = NULL WHERE id IN ${sql(ids)}`;
		}
	});
});

describe('forgotten password', () => {
	it('emails a one-hour link to an account in use, at most every 15 minutes, and nothing otherwise', async () => {
		const user = await createUser({ email: email('forgetful'), role: 'worker', password: PASSWORD });
		const t0 = new Date();
		await forgotPassword(email('forgetful').toUpperCase(), '10.9.9.4', t0);
		await forgotPassword(email('forgetful'), '10.9.9.4', new Date(t0.getTime() + 60_000));
		await forgotPassword(email('nobody'), '10.9.9.4', t0);
		const mails = await outboxFor(email('forgetful'));
		expect(mails.map((m) => m.kind)).toEqual(['account.reset']);
		expect(await outboxFor(email('nobody'))).toEqual([]);
		const token = /imposta-password\/([a-z2-7]+\.[a-z2-7]+)/.exec(mails[0]!.body_text!)![1]!;
		expect(await checkLink(token, new Date(t0.getTime() + 59 * 60_000))).toEqual({ purpose: 'reset', email: email('forgetful') });
		expect(await checkLink(token, new Date(t0.getTime() + 61 * 60_000))).toBeNull();
		// The old password keeps working until a new one is set; then it does not.
		expect(await login(email('forgetful'), PASSWORD, '10.9.9.4')).toMatchObject({ ok: true });
		expect(await useLink(token, NEW_PASSWORD, NEW_PASSWORD, '10.9.9.4', new Date(t0.getTime() + 120_000))).toMatchObject({ ok: true });
		expect(await login(email('forgetful'), PASSWORD, '10.9.9.5')).toMatchObject({ ok: false });
		// A disabled account gets nothing.
		await sql`UPDATE app_user SET disabled_at = now() WHERE id = ${user.id}::uuid`;
		await forgotPassword(email('forgetful'), '10.9.9.4', new Date(t0.getTime() + 3_600_000));
		expect(await outboxFor(email('forgetful'))).toHaveLength(1);
	});
});

describe('one rule each', () => {
	it('an organisation by id or exact name: the same lookup for the command line and the admin page, each refusing in its own way', async () => {
		const [org] = await sql<{ id: string; name: string }[]>`
			SELECT o.id::text, o.name FROM organization o
			WHERE (SELECT count(*) FROM organization same WHERE lower(same.name) = lower(o.name)) = 1 ORDER BY o.name LIMIT 1`;
		expect(await organizationByName(org!.name, 'organizations')).toBe(org!.id);
		expect(await organizationByName(org!.id, 'organizations')).toBe(org!.id);
		const missing = `Nessuna associazione ${run}`;
		expect(await refusal(organizationByName(missing, 'organizations'))).toEqual({ status: 400, field: 'organizations' });
		const command = await createUser({ email: email('no-org'), role: 'partner', password: PASSWORD, organization: missing }).catch((error: unknown) => error);
		expect(command).toBeInstanceOf(AccountError);
		expect((command as AccountError).code).toBe('organization');
	});

	it('the notices a person wants: the others offered to the role are muted, once, and the change audited', async () => {
		const worker = await createUser({ email: email('notices'), role: 'worker', password: PASSWORD });
		await notices.setWantedNotices({ user: worker, address: '10.9.9.9' }, new Set(['referral.message', 'pact.decision']));
		const muted = notices.NOTICES_BY_ROLE.worker!.filter((kind) => kind !== 'referral.message');
		expect(await notices.mutedNotices(worker.id)).toEqual(muted);
		const [event] = await sql<{ detail: unknown; address: string }[]>`
			SELECT detail, address FROM audit_event WHERE actor_id = ${worker.id}::uuid AND action = 'notices.changed'`;
		expect(event).toEqual({ detail: { muted }, address: '10.9.9.9' });
	});
});
