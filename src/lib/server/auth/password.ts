import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Passwords: argon2id with OWASP's recommended parameters (19 MiB, 2 iterations, 1 lane), at least
 * 12 characters, not one of the ~49,000 most common passwords (the list shipped by
 * @zxcvbn-ts/language-common) nor built on the account's own name or this service's words.
 * A password is never logged, stored or returned.
 */
export const MIN_LENGTH = 12;
export const MAX_LENGTH = 256;

// @node-rs/argon2's Algorithm.Argon2id: a const enum, which isolated modules cannot read at run time.
const ARGON2ID = 2 as Algorithm;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const common = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
const serviceWords = ['atlante', 'comunita', 'comunità', 'lecco', 'patto'];

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contextual';

/** Why a new password is refused, or null when it is acceptable. */
export function checkNewPassword(password: string, email = ''): PasswordProblem | null {
	if ([...password].length < MIN_LENGTH) return 'too_short';
	if (password.length > MAX_LENGTH) return 'too_long';
	const folded = password.toLowerCase();
	// Common passwords, also with a few digits or symbols stuck on the end ("password1234!").
	if (common.has(folded) || common.has(folded.replace(/[\d\W_]+$/u, ''))) return 'common';
	const name = email.split('@')[0]?.toLowerCase() ?? '';
	const stripped = folded.replace(/[\d\W_]+/gu, '');
	if (name.length >= 4 && folded.includes(name)) return 'contextual';
	if (serviceWords.some((word) => stripped === word || stripped === word + word)) return 'contextual';
	if (/^(.)\1+$/u.test(password)) return 'common';
	return null;
}

export function hashPassword(password: string): Promise<string> {
	return hash(password.normalize('NFC'), OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password.normalize('NFC'));
	} catch {
		return false;
	}
}

// Verified against when the account does not exist, so a wrong email costs as long as a wrong
// password and timing does not reveal which accounts exist.
let decoy: Promise<string> | undefined;
export async function verifyAgainstDecoy(password: string): Promise<false> {
	decoy ??= hashPassword('decoy password that matches nothing');
	await verifyPassword(await decoy, password);
	return false;
}
