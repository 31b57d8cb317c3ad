import { isUuid } from '../../domain/ids';
import { sql, type Sql, type TransactionSql } from './client';

/**
 * Staff accounts, their sessions and their organisations. Passwords arrive here already hashed
 * (auth/password.ts) and session secrets already hashed (auth/session.ts): no secret is stored.
 */

export type Role = 'admin' | 'worker' | 'planner' | 'partner';
export type OrganizationRole = 'editor' | 'viewer';

export interface User {
	id: string;
	email: string;
	role: Role;
	disabled: boolean;
	/** The display name, where a query read it (the session's user has it; null: none set). */
	name?: string | null;
}

export interface UserWithPassword extends User {
	/** null: invited, no password set yet (cannot sign in). */
	password_hash: string | null;
}

export interface Membership {
	id: string;
	name: string;
	role: OrganizationRole;
}

const userColumns = () => sql`u.id::text, u.email, u.role, u.disabled_at IS NOT NULL AS disabled`;

export async function findByEmail(email: string, db: Sql | TransactionSql = sql): Promise<UserWithPassword | null> {
	const [user] = await db<UserWithPassword[]>`
		SELECT ${userColumns()}, u.password_hash FROM app_user u WHERE u.email = ${email.trim().toLowerCase()}`;
	return user ?? null;
}

export async function get(id: string, db: Sql | TransactionSql = sql): Promise<UserWithPassword | null> {
	const [user] = await db<UserWithPassword[]>`
		SELECT ${userColumns()}, u.password_hash FROM app_user u WHERE u.id = ${id}::uuid`;
	return user ?? null;
}

export interface ListedUser extends User {
	name: string | null;
	locale: string;
	/** Invited, no password set yet. */
	pending: boolean;
	organizations: Membership[];
	sessions: number;
}

export async function list(now: Date = new Date()): Promise<ListedUser[]> {
	return sql`
		SELECT ${userColumns()}, u.name, u.locale, u.password_hash IS NULL AS pending,
			COALESCE((SELECT json_agg(json_build_object('id', o.id, 'name', o.name, 'role', m.role) ORDER BY o.name)
				FROM organization_member m JOIN organization o ON o.id = m.organization_id WHERE m.user_id = u.id), '[]'::json) AS organizations,
			(SELECT count(*)::int FROM user_session s WHERE s.user_id = u.id AND s.expires_at > ${now}) AS sessions
		FROM app_user u ORDER BY u.email`;
}

/** The unique key on an account's email: a second insert of the same address violates it. */
export const EMAIL_KEY = 'app_user_email_key';

export async function create(
	user: { email: string; role: Role; passwordHash: string; name?: string | null },
	organizations: { id: string; role: OrganizationRole }[] = [],
	db: Sql | TransactionSql = sql
): Promise<User> {
	const run = async (tx: TransactionSql) => {
		const [created] = await tx<User[]>`
			INSERT INTO app_user (email, role, password_hash, name)
			VALUES (${user.email.trim().toLowerCase()}, ${user.role}, ${user.passwordHash}, ${user.name ?? null})
			RETURNING id::text, email, role, false AS disabled`;
		for (const org of organizations) {
			await tx`INSERT INTO organization_member (user_id, organization_id, role) VALUES (${created!.id}::uuid, ${org.id}::uuid, ${org.role})`;
		}
		return created!;
	};
	// Inside a caller's transaction, or in one of its own: the user and its memberships together.
	return 'savepoint' in db ? run(db as TransactionSql) : sql.begin(run);
}

export async function memberships(userId: string): Promise<Membership[]> {
	return sql<Membership[]>`
		SELECT o.id::text, o.name, m.role FROM organization_member m JOIN organization o ON o.id = m.organization_id
		WHERE m.user_id = ${userId}::uuid ORDER BY o.name`;
}

/** The organisation's role for the user, or null when the user is not one of its staff. */
export async function organizationRole(userId: string, organizationId: string): Promise<OrganizationRole | null> {
	const [row] = await sql<{ role: OrganizationRole }[]>`
		SELECT role FROM organization_member WHERE user_id = ${userId}::uuid AND organization_id = ${organizationId}::uuid`;
	return row?.role ?? null;
}

/** Sets a new password hash and ends every session of the user, in one transaction. */
export async function setPassword(userId: string, passwordHash: string): Promise<void> {
	await sql.begin(async (tx) => {
		const updated = await tx`UPDATE app_user SET password_hash = ${passwordHash}, password_changed_at = now() WHERE id = ${userId}::uuid`;
		if (updated.count !== 1) throw new Error('No such user');
		await tx`DELETE FROM user_session WHERE user_id = ${userId}::uuid`;
	});
}

/* Sessions. */

export interface SessionRow {
	id: string;
	secret_hash: Uint8Array;
	user_id: string;
	expires_at: Date;
	absolute_expires_at: Date;
}

export async function insertSession(session: Omit<SessionRow, 'user_id'> & { user_id: string }): Promise<void> {
	await sql`
		INSERT INTO user_session (id, secret_hash, user_id, expires_at, absolute_expires_at)
		VALUES (${session.id}, ${Buffer.from(session.secret_hash)}, ${session.user_id}::uuid, ${session.expires_at}, ${session.absolute_expires_at})`;
}

export async function findSession(id: string): Promise<(SessionRow & { user: User }) | null> {
	const [row] = await sql<(SessionRow & { email: string; name: string | null; role: Role; disabled: boolean })[]>`
		SELECT s.id, s.secret_hash, s.user_id::text, s.expires_at, s.absolute_expires_at,
			u.email, u.name, u.role, u.disabled_at IS NOT NULL AS disabled
		FROM user_session s JOIN app_user u ON u.id = s.user_id WHERE s.id = ${id}`;
	if (!row) return null;
	return {
		id: row.id,
		secret_hash: new Uint8Array(row.secret_hash),
		user_id: row.user_id,
		expires_at: row.expires_at,
		absolute_expires_at: row.absolute_expires_at,
		user: { id: row.user_id, email: row.email, name: row.name, role: row.role, disabled: row.disabled }
	};
}

/** Moves a session's idle expiry on; false when the session is gone. */
export async function extendSession(id: string, expiresAt: Date): Promise<boolean> {
	const updated = await sql`UPDATE user_session SET expires_at = LEAST(${expiresAt}, absolute_expires_at) WHERE id = ${id}`;
	return updated.count > 0;
}

export async function deleteSession(id: string): Promise<void> {
	await sql`DELETE FROM user_session WHERE id = ${id}`;
}

/** Ends every session of a user (logout everywhere, revocation by an administrator). */
export async function deleteUserSessions(userId: string): Promise<number> {
	const deleted = await sql`DELETE FROM user_session WHERE user_id = ${userId}::uuid`;
	return deleted.count;
}

/** Sessions expire by the app's clock, which set their expiry (see validateSessionToken). */
export async function deleteExpiredSessions(now: Date): Promise<void> {
	await sql`DELETE FROM user_session WHERE expires_at <= ${now}`;
}

/*
 * Login throttling. Attempts are stamped and windows measured with the app's clock (`at`, `now`),
 * the same clock that then compares the wait with the present: a database whose clock differs
 * from the app's (another host) must not open or stretch the wait.
 */

export async function recordLoginAttempt(email: string, address: string, success: boolean, at: Date): Promise<void> {
	await sql`INSERT INTO login_attempt (email, address, success, at) VALUES (${email.slice(0, 254)}, ${address.slice(0, 64)}, ${success}, ${at})`;
}

export interface FailureCount {
	failures: number;
	last: Date | null;
}

/** Failed attempts since the last success (within `windowMinutes`), for an email and for an address. */
export async function recentFailures(email: string, address: string, windowMinutes: number, now: Date): Promise<{ email: FailureCount; address: FailureCount }> {
	const [row] = await sql<{ email_failures: number; email_last: Date | null; address_failures: number; address_last: Date | null }[]>`
		WITH by_email AS (
			SELECT count(*)::int AS failures, max(at) AS last FROM login_attempt a
			WHERE a.email = ${email} AND NOT a.success AND a.at > ${now}::timestamptz - make_interval(mins => ${windowMinutes})
				AND a.at > COALESCE((SELECT max(at) FROM login_attempt WHERE email = ${email} AND success), '-infinity')
		), by_address AS (
			SELECT count(*)::int AS failures, max(at) AS last FROM login_attempt a
			WHERE a.address = ${address} AND NOT a.success AND a.at > ${now}::timestamptz - make_interval(mins => ${windowMinutes})
		)
		SELECT by_email.failures AS email_failures, by_email.last AS email_last,
			by_address.failures AS address_failures, by_address.last AS address_last
		FROM by_email, by_address`;
	return {
		email: { failures: row!.email_failures, last: row!.email_last },
		address: { failures: row!.address_failures, last: row!.address_last }
	};
}

export async function pruneLoginAttempts(now: Date, olderThanHours = 24): Promise<void> {
	await sql`DELETE FROM login_attempt WHERE at < ${now}::timestamptz - make_interval(hours => ${olderThanHours})`;
}

/** Organisations whose id is `idOrName`, or whose name is exactly it (case-insensitive). */
export async function findOrganizations(idOrName: string): Promise<{ id: string; name: string }[]> {
	const isId = isUuid(idOrName);
	return sql<{ id: string; name: string }[]>`
		SELECT id::text, name FROM organization
		WHERE ${isId ? sql`id = ${idOrName}::uuid` : sql`lower(name) = lower(${idOrName.trim()})`}
		ORDER BY name LIMIT 5`;
}

/* Who is told of what (mail/notices.ts): accounts in use that did not turn the kind off. */

export interface Recipient {
	email: string;
	locale: string;
}

const wants = (kind: string) => sql`u.disabled_at IS NULL AND NOT (${kind} = ANY (u.muted_notices))`;

/** An organisation's editors, and its name. */
export async function organizationEditors(db: Sql | TransactionSql, organizationId: string, kind: string): Promise<(Recipient & { organization_name: string })[]> {
	return db<(Recipient & { organization_name: string })[]>`
		SELECT u.email, u.locale, o.name AS organization_name
		FROM organization_member m
		JOIN app_user u ON u.id = m.user_id AND ${wants(kind)}
		JOIN organization o ON o.id = m.organization_id
		WHERE m.organization_id = ${organizationId}::uuid AND m.role = 'editor'
		ORDER BY u.email`;
}

/** A referral's lead worker, the plan's id and code and the receiving organisation's name (`kind` null: whether or not the lead wants it). */
export async function referralLead(db: Sql | TransactionSql, referralId: string, kind: string | null): Promise<(Recipient & { plan_id: string; code: string; organization_name: string }) | null> {
	const [row] = await db<(Recipient & { plan_id: string; code: string; organization_name: string })[]>`
		SELECT u.email, u.locale, p.id::text AS plan_id, h.code, o.name AS organization_name
		FROM referral r
		JOIN support_plan p ON p.id = r.plan_id
		JOIN household h ON h.id = p.household_id
		JOIN organization o ON o.id = r.organization_id
		JOIN app_user u ON u.id = p.lead_user_id AND ${kind === null ? sql`true` : wants(kind)}
		WHERE r.id = ${referralId}::uuid`;
	return row ?? null;
}

/** Administrators in service. */
export async function administrators(db: Sql | TransactionSql, kind: string): Promise<Recipient[]> {
	return db<Recipient[]>`SELECT u.email, u.locale FROM app_user u WHERE u.role = 'admin' AND ${wants(kind)} ORDER BY u.email`;
}

/** A pact application's applicant. */
export async function applicant(db: Sql | TransactionSql, applicationId: string, kind: string): Promise<Recipient | null> {
	const [row] = await db<Recipient[]>`
		SELECT u.email, u.locale FROM pact_application a JOIN app_user u ON u.id = a.applicant_id AND ${wants(kind)}
		WHERE a.id = ${applicationId}::uuid`;
	return row ?? null;
}

/**
 * Referrals sent before `before` and still unanswered, not told yet: marked told (in the caller's
 * transaction) and returned, one row each, with their lead worker when they want to be told.
 */
export async function takeStaleReferrals(tx: TransactionSql, before: Date, now: Date): Promise<{ referral_id: string }[]> {
	return tx<{ referral_id: string }[]>`
		UPDATE referral SET stale_notified_at = ${now}
		WHERE id IN (SELECT id FROM referral WHERE status = 'sent' AND stale_notified_at IS NULL AND created_at < ${before} ORDER BY created_at LIMIT 500 FOR UPDATE SKIP LOCKED)
		RETURNING id::text AS referral_id`;
}

export async function mutedNotices(userId: string): Promise<string[]> {
	const [row] = await sql<{ muted_notices: string[] }[]>`SELECT muted_notices FROM app_user WHERE id = ${userId}::uuid`;
	return row?.muted_notices ?? [];
}

export async function setMutedNotices(userId: string, muted: string[]): Promise<void> {
	await sql`UPDATE app_user SET muted_notices = ${muted}::text[] WHERE id = ${userId}::uuid`;
}

/* Accounts managed from the browser (auth/admin-users.ts, auth/account-links.ts). */

/** An invited account: no password until the person sets one from the link. */
export async function createInvited(
	tx: TransactionSql,
	user: { email: string; name: string; role: Role; locale: string },
	organizations: { id: string; role: OrganizationRole }[]
): Promise<User> {
	const [created] = await tx<User[]>`
		INSERT INTO app_user (email, name, role, locale, password_hash)
		VALUES (${user.email}, ${user.name}, ${user.role}, ${user.locale}, NULL)
		RETURNING id::text, email, role, false AS disabled`;
	await replaceMemberships(tx, created!.id, organizations);
	return created!;
}

export async function replaceMemberships(tx: TransactionSql, userId: string, organizations: { id: string; role: OrganizationRole }[]): Promise<void> {
	await tx`DELETE FROM organization_member WHERE user_id = ${userId}::uuid`;
	for (const org of organizations) {
		await tx`INSERT INTO organization_member (user_id, organization_id, role) VALUES (${userId}::uuid, ${org.id}::uuid, ${org.role})`;
	}
}

/** Locks the account's row for a change; null when there is none. */
export async function lockForUpdate(tx: TransactionSql, id: string): Promise<(User & { name: string | null; locale: string }) | null> {
	const [user] = await tx<(User & { name: string | null; locale: string })[]>`
		SELECT ${userColumns()}, u.name, u.locale FROM app_user u WHERE u.id = ${id}::uuid FOR UPDATE`;
	return user ?? null;
}

export async function update(
	tx: TransactionSql,
	id: string,
	change: { name?: string; role?: Role; locale?: string; disabled?: boolean },
	now: Date
): Promise<void> {
	await tx`
		UPDATE app_user SET
			name = COALESCE(${change.name ?? null}, name),
			role = COALESCE(${change.role ?? null}, role),
			locale = COALESCE(${change.locale ?? null}, locale),
			disabled_at = CASE WHEN ${change.disabled ?? null}::boolean IS NULL THEN disabled_at
				WHEN ${change.disabled ?? null}::boolean THEN COALESCE(disabled_at, ${now}) ELSE NULL END
		WHERE id = ${id}::uuid`;
}

/** Administrators whose accounts are in use (the last one may not be disabled or demoted). */
export async function activeAdminCount(tx: TransactionSql): Promise<number> {
	const [row] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM app_user WHERE role = 'admin' AND disabled_at IS NULL`;
	return row!.n;
}

export async function organizationsExist(tx: TransactionSql, ids: string[]): Promise<string[]> {
	if (ids.length === 0) return [];
	const rows = await tx<{ id: string }[]>`SELECT id::text FROM organization WHERE id IN ${tx(ids)}`;
	return rows.map((r) => r.id);
}

export interface LinkRow {
	id: string;
	secret_hash: Uint8Array;
	purpose: 'invitation' | 'reset';
	expires_at: Date;
	used_at: Date | null;
	user: User & { password_hash: string | null; locale: string };
}

/** A new single-use link; every older unused link of the user stops working (only the newest does). */
export async function insertLink(
	tx: TransactionSql,
	link: { id: string; secret_hash: Uint8Array; user_id: string; purpose: 'invitation' | 'reset'; created_by: string | null; expires_at: Date },
	now: Date
): Promise<void> {
	await tx`UPDATE account_link SET used_at = ${now} WHERE user_id = ${link.user_id}::uuid AND used_at IS NULL`;
	await tx`
		INSERT INTO account_link (id, secret_hash, user_id, purpose, created_by, created_at, expires_at)
		VALUES (${link.id}, ${link.secret_hash}, ${link.user_id}::uuid, ${link.purpose}, ${link.created_by}::uuid, ${now}, ${link.expires_at})`;
}

export async function findLink(id: string, db: Sql | TransactionSql = sql): Promise<LinkRow | null> {
	const [row] = await db<(Omit<LinkRow, 'user'> & { user_id: string; email: string; role: Role; disabled: boolean; password_hash: string | null; locale: string })[]>`
		SELECT l.id, l.secret_hash, l.purpose, l.expires_at, l.used_at, u.id::text AS user_id, u.email, u.role,
			u.disabled_at IS NOT NULL AS disabled, u.password_hash, u.locale
		FROM account_link l JOIN app_user u ON u.id = l.user_id WHERE l.id = ${id}`;
	if (!row) return null;
	const { user_id, email, role, disabled, password_hash, locale, ...link } = row;
	return { ...link, user: { id: user_id, email, role, disabled, password_hash, locale } };
}

/** Uses the link once: true only for the one caller that marked it used. */
export async function consumeLink(tx: TransactionSql, id: string, now: Date): Promise<boolean> {
	const used = await tx`UPDATE account_link SET used_at = ${now} WHERE id = ${id} AND used_at IS NULL AND expires_at > ${now}`;
	return used.count === 1;
}

export async function endSessions(tx: TransactionSql, userId: string): Promise<void> {
	await tx`DELETE FROM user_session WHERE user_id = ${userId}::uuid`;
}

/** Sets the password from a link: in the caller's transaction, every session of the user ends. */
export async function setPasswordIn(tx: TransactionSql, userId: string, passwordHash: string, now: Date): Promise<void> {
	await tx`UPDATE app_user SET password_hash = ${passwordHash}, password_changed_at = ${now} WHERE id = ${userId}::uuid`;
	await tx`DELETE FROM user_session WHERE user_id = ${userId}::uuid`;
}

/** Whether a reset was asked for by email recently (one email per account and quarter of an hour). */
export async function recentSelfReset(userId: string, since: Date): Promise<boolean> {
	const [row] = await sql<{ n: number }[]>`
		SELECT count(*)::int AS n FROM account_link WHERE user_id = ${userId}::uuid AND purpose = 'reset' AND created_by IS NULL AND created_at > ${since}`;
	return row!.n > 0;
}

/** Every organisation's id and name, for choosing memberships. */
export async function organizationChoices(): Promise<{ id: string; name: string }[]> {
	return sql<{ id: string; name: string }[]>`SELECT id::text, name FROM organization ORDER BY name, id`;
}
