import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Cookies } from '@sveltejs/kit';
import * as accounts from '../db/accounts';

/**
 * Sessions as the Lucia guide teaches (lucia-auth.com, "Sessions"): the cookie holds
 * "<id>.<secret>", the id finds the row, and the secret's SHA-256 is compared in constant time with
 * the stored hash, so a leaked database holds no usable token. Staff sessions end after 30 minutes
 * idle and 12 hours in all; using one slides the idle limit (see slideSession).
 */
export const IDLE_MS = 30 * 60 * 1000;
export const ABSOLUTE_MS = 12 * 60 * 60 * 1000;
// Slide the idle expiry (a write, and a new cookie) only once less than half of it is left.
const SLIDE_WHEN_LEFT_MS = IDLE_MS / 2;

export interface Session {
	id: string;
	expiresAt: Date;
	absoluteExpiresAt: Date;
}

export function randomString(bytes: number): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function hashSecret(secret: string): Uint8Array {
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

/**
 * The session and user a token stands for, or null (unknown, wrong secret, expired, disabled).
 * With `slide` (the default) it also slides the idle expiry when due; `slid` then says whether it
 * did, so a caller re-sends the cookie only then. The request hook validates without sliding and
 * slides after the answer is known (see {@link slideSession}).
 */
export async function validateSessionToken(
	token: string,
	now = new Date(),
	options: { slide?: boolean } = {}
): Promise<{ session: Session; user: accounts.User; slid: boolean } | null> {
	const [id, secret, ...rest] = token.split('.');
	if (!id || !secret || rest.length > 0 || id.length > 64 || secret.length > 128) return null;
	const row = await accounts.findSession(id);
	if (!row) return null;
	if (!constantTimeEqual(hashSecret(secret), row.secret_hash)) return null;
	if (row.expires_at <= now || row.absolute_expires_at <= now || row.user.disabled) {
		await accounts.deleteSession(id);
		return null;
	}
	const session: Session = { id, expiresAt: row.expires_at, absoluteExpiresAt: row.absolute_expires_at };
	const slid = options.slide === false ? null : await slideSession(session, now);
	return { session: slid ?? session, user: row.user, slid: slid !== null };
}

/**
 * Moves the idle expiry on when less than half the idle window is left (not on every request: each
 * slide is a write, and a new cookie). Returns the session with its new expiry, or null when it was
 * not due, or the session is gone meanwhile (signed out during this request).
 */
export async function slideSession(session: Session, now = new Date()): Promise<Session | null> {
	if (session.expiresAt.getTime() - now.getTime() >= SLIDE_WHEN_LEFT_MS) return null;
	const expiresAt = new Date(Math.min(now.getTime() + IDLE_MS, session.absoluteExpiresAt.getTime()));
	if (expiresAt <= session.expiresAt) return null;
	if (!(await accounts.extendSession(session.id, expiresAt))) return null;
	return { ...session, expiresAt };
}

export const invalidateSession = (sessionId: string) => accounts.deleteSession(sessionId);
export const invalidateUserSessions = (userId: string) => accounts.deleteUserSessions(userId);

/* Cookies: HttpOnly, SameSite=Lax, Path=/; over HTTPS also Secure with the __Host- prefix, which
   the browser accepts only from a secure origin, for the whole host, with no Domain. */

export function cookieName(secure: boolean): string {
	return secure ? '__Host-atlante_session' : 'atlante_session';
}

const cookieOptions = (secure: boolean) => ({ httpOnly: true, sameSite: 'lax', path: '/', secure }) as const;

export function setSessionCookie(cookies: Cookies, token: string, session: Session, secure: boolean): void {
	cookies.set(cookieName(secure), token, { ...cookieOptions(secure), expires: session.expiresAt });
}

/**
 * The same cookie as a Set-Cookie header value, for an answer already made (the request hook
 * slides the session once it knows the answer is private, after `event.cookies` was applied).
 * The token is base32 and a dot: nothing in it needs encoding.
 */
export function sessionCookieHeader(token: string, session: Session, secure: boolean): string {
	return `${cookieName(secure)}=${token}; Path=/; Expires=${session.expiresAt.toUTCString()}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export function deleteSessionCookie(cookies: Cookies, secure: boolean): void {
	cookies.delete(cookieName(secure), cookieOptions(secure));
}

export function readSessionCookie(cookies: Cookies, secure: boolean): string | undefined {
	return cookies.get(cookieName(secure));
}
