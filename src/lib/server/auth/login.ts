import * as accounts from '../db/accounts';
import * as audit from '../db/audit';
import { verifyAgainstDecoy, verifyPassword } from './password';
import { createSession, type Session } from './session';

/**
 * Signing in, with throttling per account and per address: after a few failures each further try
 * must wait longer (5 s, 10 s, 20 s, … up to 15 minutes), and the person is told how long. The
 * counts live in the database (login_attempt), so every app instance applies the same limits.
 * Every outcome is written to the audit trail.
 */
const WINDOW_MINUTES = 60;
const MAX_DELAY_S = 15 * 60;
/** Failures allowed before delays start: per account, and per address (an office shares one). */
export const FREE_FAILURES = { email: 3, address: 10 } as const;

export function delaySeconds(failures: number, free: number): number {
	if (failures < free) return 0;
	return Math.min(MAX_DELAY_S, 5 * 2 ** (failures - free));
}

export type LoginResult =
	| { ok: true; token: string; session: Session; user: accounts.User }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number };

export async function login(emailInput: string, password: string, address: string, now = new Date()): Promise<LoginResult> {
	const email = emailInput.trim().toLowerCase().slice(0, 254);
	const recent = await accounts.recentFailures(email, address, WINDOW_MINUTES, now);
	const waitUntil = Math.max(
		(recent.email.last?.getTime() ?? 0) + delaySeconds(recent.email.failures, FREE_FAILURES.email) * 1000,
		(recent.address.last?.getTime() ?? 0) + delaySeconds(recent.address.failures, FREE_FAILURES.address) * 1000
	);
	if (waitUntil > now.getTime()) {
		const retryAfterSeconds = Math.ceil((waitUntil - now.getTime()) / 1000);
		// Bounded: anyone can keep a throttled sign-in knocking (see audit.recordRefusal).
		await audit.recordRefusal({ actorEmail: email, action: 'login.throttled', address, detail: { retry_after_s: retryAfterSeconds } });
		return { ok: false, reason: 'throttled', retryAfterSeconds };
	}

	const user = await accounts.findByEmail(email);
	// An invited account has no password yet: it is checked against the decoy, as an unknown one is.
	const valid = user?.password_hash ? await verifyPassword(user.password_hash, password) : await verifyAgainstDecoy(password);
	const reason = !user ? 'unknown_account' : !user.password_hash ? 'no_password' : !valid ? 'wrong_password' : user.disabled ? 'disabled' : null;
	await accounts.recordLoginAttempt(email, address, reason === null, now);
	if (reason !== null || !user) {
		await audit.record({ actorId: user?.id, actorEmail: email, action: 'login.failure', address, detail: { reason } });
		return { ok: false, reason: 'invalid' };
	}
	const { token, session } = await createSession(user.id, now);
	await audit.record({ actorId: user.id, actorEmail: user.email, action: 'login.success', address });
	// Housekeeping on a quiet path: sign-ins are rare.
	await accounts.deleteExpiredSessions(now);
	await accounts.pruneLoginAttempts(now);
	const { password_hash: _hash, ...plain } = user;
	void _hash;
	return { ok: true, token, session, user: plain };
}
