import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config, HouseholdKey } from '../config';
import { log } from '../log';

/**
 * Encryption at rest of a household's identifiers (name, phone, address, notes): AES-256-GCM with
 * a random 96-bit IV per value, stored as "<key id>:<iv>:<tag>:<ciphertext>" (base64). The key id
 * lets old values be read during a rotation (ATLANTE_HOUSEHOLD_OLD_KEYS) until `npm run admin --
 * rotate-household-key` has re-encrypted them with the current key (ATLANTE_HOUSEHOLD_KEY).
 * The embedded default, when no key is configured, keeps a generated key in its data directory.
 */
export interface Identity {
	name: string;
	phone?: string;
	address?: string;
	notes?: string;
}

interface Keyring {
	current: HouseholdKey | null;
	byId: Map<string, HouseholdKey>;
}

let keyring: Keyring = { current: null, byId: new Map() };

export class KeyNotConfiguredError extends Error {
	constructor() {
		super('Households cannot be stored: no encryption key is configured (set ATLANTE_HOUSEHOLD_KEY, see .env.example).');
	}
}

/** Sets the keys from configuration; on the embedded store without one, uses (or makes) a key file. */
export function useKeys(config: Pick<Config, 'householdKeys' | 'backend' | 'dataDir'>): void {
	let current = config.householdKeys.current;
	if (!current && config.backend === 'embedded') current = embeddedKey(config.dataDir);
	const all = [...(current ? [current] : []), ...config.householdKeys.old];
	keyring = { current, byId: new Map(all.map((key) => [key.id, key])) };
}

function embeddedKey(dataDir: string): HouseholdKey {
	// A throwaway store gets a throwaway key.
	if (dataDir.startsWith('memory://')) return { id: 'memory', key: randomBytes(32) };
	const file = path.join(dataDir, 'household.key');
	if (!fs.existsSync(file)) {
		fs.mkdirSync(dataDir, { recursive: true });
		fs.writeFileSync(file, `local:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
		log.info('generated a household encryption key for the embedded store', { file });
	}
	const [id, base64] = fs.readFileSync(file, 'utf8').trim().split(':');
	return { id: id!, key: Buffer.from(base64!, 'base64') };
}

export function currentKeyId(): string | null {
	return keyring.current?.id ?? null;
}

/** The key new values are encrypted with (for a rotation run: it becomes an old key). */
export function currentKey(): HouseholdKey | null {
	return keyring.current;
}

export function encryptIdentity(identity: Identity): { ciphertext: string; keyId: string } {
	const key = keyring.current;
	if (!key) throw new KeyNotConfiguredError();
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key.key, iv);
	const body = Buffer.concat([cipher.update(JSON.stringify(identity), 'utf8'), cipher.final()]);
	return { ciphertext: [key.id, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':'), keyId: key.id };
}

export class WrongHouseholdKeyError extends Error {
	constructor(keyId: string, problem: 'missing' | 'wrong', where: string) {
		super(
			problem === 'missing'
				? `The households in this database are encrypted with the key "${keyId}", which is not configured: set it as ATLANTE_HOUSEHOLD_KEY (or in ATLANTE_HOUSEHOLD_OLD_KEYS during a rotation).`
				: `The household key "${keyId}" configured (${where}) does not open the households in this database: it is another key with the same id. ` +
						'Use the key this database was written with (a restored backup needs the key kept apart from it); nothing was changed.'
		);
		this.name = 'WrongHouseholdKeyError';
	}
}

/**
 * Checks that the configured keys open one stored identity of each key id (`samples`), so that a
 * database restored without its key, or with another, refuses to start instead of failing on every
 * plan — and, on the embedded store, instead of writing new households with a freshly generated key
 * beside the old ones it can no longer read.
 */
export function checkKeys(samples: { key_id: string; identity_ciphertext: string }[], where: string): void {
	for (const sample of samples) {
		if (!keyring.byId.has(sample.key_id)) throw new WrongHouseholdKeyError(sample.key_id, 'missing', where);
		try {
			decryptIdentity(sample.identity_ciphertext);
		} catch {
			throw new WrongHouseholdKeyError(sample.key_id, 'wrong', where);
		}
	}
}

/** Where the current key comes from, for messages. */
export function keySource(config: Pick<Config, 'householdKeys' | 'backend' | 'dataDir'>): string {
	return config.householdKeys.current || config.backend !== 'embedded' ? 'ATLANTE_HOUSEHOLD_KEY' : path.join(config.dataDir, 'household.key');
}

export function decryptIdentity(ciphertext: string): Identity {
	const [keyId, iv, tag, body] = ciphertext.split(':');
	const key = keyring.byId.get(keyId ?? '');
	if (!key) throw new Error(`No key "${keyId}" to decrypt a household: keep it in ATLANTE_HOUSEHOLD_OLD_KEYS until the rotation is done.`);
	const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv!, 'base64'));
	decipher.setAuthTag(Buffer.from(tag!, 'base64'));
	return JSON.parse(Buffer.concat([decipher.update(Buffer.from(body!, 'base64')), decipher.final()]).toString('utf8')) as Identity;
}
