import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Cookies } from '@sveltejs/kit';
import * as accounts from '../db/accounts';

/**
 * Sessions as the Lucia guide teaches (lucia-auth.com, "Sessions"): the cookie holds
 * "<id>.<secret>", the id finds the row, and the secret's SHA-256 is compared in constant time with
 * the stored hash, so a leaked database holds no usable token. Staff sessions end after 30 minutes
 * idle and 12 hours in all; each request that finds one active slides the idle limit.
 */
export const IDLE_MS = 30 * 60 * 1000;
export const ABSOLUTE_MS = 12 * 60 * 60 * 1000;
// Write the new idle expiry at most once a minute, not on every request.
const SLIDE_AFTER_MS = 60 * 1000;

export interface Session {
	id: string;
	expiresAt: Date;
	absoluteExpiresAt: Date;
}

function randomString(bytes: number): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}

function hashSecret(secret: string): Uint8Array {
	return sha256(new TextEncoder().encode(secret));
}

/** Creates a session for the user; returns the token for the cookie (never stored). */
export async function createSession(userId: string, now = new Date()): Promise<{ token: string; session: Session }> {
	// 15 bytes of id (120 bits, for lookup) and 32 bytes of secret (256 bits, the credential).
	const id = randomString(15);
	const secret = randomString(32);
	const session: Session = {
		id,
		expiresAt: new Date(now.getTime() + IDLE_MS),
		absoluteExpiresAt: new Date(now.getTime() + ABSOLUTE_MS)
	};
	await accounts.insertSession({
		id,
		secret_hash: hashSecret(secret),
		user_id: userId,
		expires_at: session.expiresAt,
		absolute_expires_at: session.absoluteExpiresAt
	});
	return { token: `${id}.${secret}`, session };
}

/** The session and user a token stands for, or null (unknown, wrong secret, expired, disabled). */
export async function validateSessionToken(token: string, now = new Date()): Promise<{ session: Session; user: accounts.User } | null> {
	const [id, secret, ...rest] = token.split('.');
	if (!id || !secret || rest.length > 0 || id.length > 64 || secret.length > 128) return null;
	const row = await accounts.findSession(id);
	if (!row) return null;
	if (!constantTimeEqual(hashSecret(secret), row.secret_hash)) return null;
	if (row.expires_at <= now || row.absolute_expires_at <= now || row.user.disabled) {
		await accounts.deleteSession(id);
		return null;
	}
	let expiresAt = row.expires_at;
	if (expiresAt.getTime() - now.getTime() < IDLE_MS - SLIDE_AFTER_MS) {
		const next = new Date(Math.min(now.getTime() + IDLE_MS, row.absolute_expires_at.getTime()));
		await accounts.extendSession(id, next);
		expiresAt = next;
	}
	return { session: { id, expiresAt, absoluteExpiresAt: row.absolute_expires_at }, user: row.user };
}

export const invalidateSession = (sessionId: string) => accounts.deleteSession(sessionId);
export const invalidateUserSessions = (userId: string) => accounts.deleteUserSessions(userId);

/* Cookies: HttpOnly, SameSite=Lax, Path=/; over HTTPS also Secure with the __Host- prefix, which
   the browser accepts only from a secure origin, for the whole host, with no Domain. */

export function cookieName(secure: boolean): string {
	return secure ? '__Host-atlante_session' : 'atlante_session';
}

export function setSessionCookie(cookies: Cookies, token: string, session: Session, secure: boolean): void {
	cookies.set(cookieName(secure), token, {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure,
		expires: session.expiresAt
	});
}

export function deleteSessionCookie(cookies: Cookies, secure: boolean): void {
	cookies.delete(cookieName(secure), { httpOnly: true, sameSite: 'lax', path: '/', secure });
}

export function readSessionCookie(cookies: Cookies, secure: boolean): string | undefined {
	return cookies.get(cookieName(secure));
}
