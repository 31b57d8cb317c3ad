import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { LINK_VALID_MS } from '../../domain/accounts';
import type { ProblemCode } from '../../domain/problems';
import type { TransactionSql } from '../db/client';
import { sql } from '../db/client';
import * as accounts from '../db/accounts';
import * as audit from '../db/audit';
import { config } from '../startup';
import { checkNewPassword, hashPassword } from './password';
import { createSession, hashSecret, randomString, type Session } from './session';

/**
 * Single-use links that let a person set a password: an invitation to a new account, or a reset.
 * Built like session tokens (auth/session.ts): "<id>.<secret>", only the secret's SHA-256 stored,
 * compared in constant time. A link works once, until it expires, and only while it is the
 * user's newest (a new one retires the old). Setting the password ends every other session and
 * signs the person in.
 */
export type LinkPurpose = 'invitation' | 'reset';

/** The path of the page a link opens (the token is a path segment: it is no personal data). */
export const LINK_PATH = '/imposta-password';

export const linkPath = (token: string): string => `${LINK_PATH}/${token}`;

export function linkUrl(token: string): string {
	return new URL(linkPath(token), config().siteOrigin).href;
}

/** Creates a link in the caller's transaction; returns its token (never stored). */
export async function issueLink(
	tx: TransactionSql,
	userId: string,
	purpose: LinkPurpose,
	options: { createdBy: string | null; validMs?: number; now?: Date }
): Promise<string> {
	const now = options.now ?? new Date();
	const id = randomString(15);
	const secret = randomString(32);
	await accounts.insertLink(
		tx,
		{ id, secret_hash: hashSecret(secret), user_id: userId, purpose, created_by: options.createdBy, expires_at: new Date(now.getTime() + (options.validMs ?? LINK_VALID_MS)) },
		now
	);
	return `${id}.${secret}`;
}

/** What a valid link is for, or null (unknown, wrong secret, used, replaced, expired, account disabled). */
export async function checkLink(token: string, now: Date = new Date()): Promise<{ purpose: LinkPurpose; email: string } | null> {
	const link = await findValid(token, now, sql);
	return link ? { purpose: link.purpose, email: link.user.email } : null;
}

async function findValid(token: string, now: Date, db: typeof sql | TransactionSql): Promise<accounts.LinkRow | null> {
	const [id, secret, ...rest] = token.split('.');
	if (!id || !secret || rest.length > 0 || id.length > 64 || secret.length > 128) return null;
	const link = await accounts.findLink(id, db);
	if (!link || !constantTimeEqual(hashSecret(secret), link.secret_hash)) return null;
	if (link.used_at !== null || link.expires_at <= now || link.user.disabled) return null;
	return link;
}

export type UseLinkResult =
	| { ok: true; token: string; session: Session; user: accounts.User }
	| { ok: false; problem: ProblemCode; field: 'password' | 'confirm' | 'link' };

/**
 * Sets the password from a link and signs the person in: the password policy first, then in one
 * transaction the link used (once, even when two requests race), the password set, every other
 * session ended, the event audited.
 */
export async function useLink(token: string, password: string, confirm: string, address: string, now: Date = new Date()): Promise<UseLinkResult> {
	const link = await findValid(token, now, sql);
	if (!link) return { ok: false, problem: 'not_found', field: 'link' };
	const problem = checkNewPassword(password, link.user.email);
	if (problem) return { ok: false, problem: `password_${problem}` as ProblemCode, field: 'password' };
	if (password !== confirm) return { ok: false, problem: 'password_mismatch', field: 'confirm' };
	const hash = await hashPassword(password);
	const used = await sql.begin(async (tx) => {
		if (!(await accounts.consumeLink(tx, link.id, now))) return false;
		await accounts.setPasswordIn(tx, link.user.id, hash, now);
		await audit.record(
			{
				actorId: link.user.id,
				actorEmail: link.user.email,
				action: link.purpose === 'invitation' ? 'user.invitation_accepted' : 'user.password_reset',
				subjectType: 'user',
				subjectId: link.user.id,
				address
			},
			tx
		);
		return true;
	});
	if (!used) return { ok: false, problem: 'not_found', field: 'link' };
	const { token: sessionToken, session } = await createSession(link.user.id, now);
	const { password_hash: _hash, locale: _locale, ...user } = link.user;
	void _hash;
	void _locale;
	return { ok: true, token: sessionToken, session, user };
}
