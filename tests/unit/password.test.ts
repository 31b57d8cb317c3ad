import { describe, expect, it } from 'vitest';
import { checkNewPassword, hashPassword, verifyPassword } from '../../src/lib/server/auth/password';

describe('password policy', () => {
	it('wants at least 12 characters', () => {
		expect(checkNewPassword('Corto1!')).toBe('too_short');
		expect(checkNewPassword('x'.repeat(257))).toBe('too_long');
		expect(checkNewPassword('lago di como al tramonto')).toBeNull();
	});

	it('refuses common passwords, also with digits on the end, and ones built on the name or the service', () => {
		expect(checkNewPassword('123qweasdzxc')).toBe('common');
		expect(checkNewPassword('Password12345678')).toBe('common');
		expect(checkNewPassword('aaaaaaaaaaaaaa')).toBe('common');
		expect(checkNewPassword('mario.rossi.2026', 'mario.rossi@example.org')).toBe('contextual');
		expect(checkNewPassword('Lecco2026!!!!')).toBe('contextual');
	});

	it('hashes with argon2id and verifies', async () => {
		const hash = await hashPassword('lago di como al tramonto');
		expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(await verifyPassword(hash, 'lago di como al tramonto')).toBe(true);
		expect(await verifyPassword(hash, 'lago di como al mattino')).toBe(false);
		expect(await verifyPassword('not a hash', 'anything')).toBe(false);
	});
});
