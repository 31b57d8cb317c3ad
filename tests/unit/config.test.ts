import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/lib/server/config';

describe('configuration', () => {
	it('defaults to the embedded store with the demo set', () => {
		const config = readConfig({});
		expect(config).toMatchObject({ backend: 'embedded', databaseUrl: null, dataDir: path.resolve('.data'), demo: null, demoDefault: true });
	});
	it('uses a server when DATABASE_URL is set, without the demo set unless asked', () => {
		expect(readConfig({ DATABASE_URL: 'postgres://u@h/db' })).toMatchObject({ backend: 'server', demo: null, demoDefault: false });
		expect(readConfig({ DATABASE_URL: 'postgres://u@h/db', ATLANTE_DEMO: '1' }).demo).toBe(true);
		expect(readConfig({ ATLANTE_DEMO: '0' }).demo).toBe(false);
	});
	it('fails fast naming every bad variable', () => {
		const attempt = () => readConfig({ DATABASE_URL: 'mysql://x', ATLANTE_DEMO: 'maybe', DATABASE_POOL_MAX: '0' });
		expect(attempt).toThrow(/DATABASE_URL must start with postgres:\/\//);
		expect(attempt).toThrow(/ATLANTE_DEMO must be 1 or 0/);
		expect(attempt).toThrow(/DATABASE_POOL_MAX Too small/);
	});
	it('sends email only with both SMTP_URL and MAIL_FROM, and links to ORIGIN', () => {
		expect(readConfig({}).mail).toBeNull();
		expect(readConfig({}).siteOrigin).toBe('http://localhost:3000');
		const configured = readConfig({ SMTP_URL: 'smtp://mail.example.org:587', MAIL_FROM: 'Atlante <atlante@comune.lecco.it>', ORIGIN: 'https://atlante.comune.lecco.it' });
		expect(configured).toMatchObject({ mail: { url: 'smtp://mail.example.org:587', from: 'Atlante <atlante@comune.lecco.it>' }, siteOrigin: 'https://atlante.comune.lecco.it' });
		expect(() => readConfig({ SMTP_URL: 'smtp://mail.example.org' })).toThrow(/SMTP_URL and MAIL_FROM go together/);
		expect(() => readConfig({ SMTP_URL: 'http://mail.example.org', MAIL_FROM: 'a@b.it' })).toThrow(/SMTP_URL must be smtp:\/\//);
		expect(() => readConfig({ SMTP_URL: 'smtp://h', MAIL_FROM: 'not an address' })).toThrow(/MAIL_FROM must be an address/);
		expect(() => readConfig({ ORIGIN: 'https://x.it/path' })).toThrow(/ORIGIN must be the site address/);
	});
});

describe('the configuration start() validated', () => {
	it('is refused, with a message, before start()', async () => {
		const { config } = await import('../../src/lib/server/startup');
		expect(() => config()).toThrow(/before start\(\)/);
	});
});
