import { inject } from 'vitest';
import { hostileTimeZone } from '../../scripts/lib/scratch-database';
import { sql } from '../../src/lib/server/db/client';
import { start } from '../../src/lib/server/startup';
import { TEST_HOUSEHOLD_KEY } from './test-users-list';

// Opened once per project: files share the process (isolate: false) and start() is memoised.
const databaseUrl = inject('databaseUrl');
// Mail configured (to a port nothing listens on) so that notifications are queued; nothing sends
// them here (no dispatcher): tests/db/mail-outbox.test.ts delivers with a mailer of its own.
const mail = { SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'Atlante (test) <atlante@comune.test>', ORIGIN: 'https://atlante.test' };
await start(
	databaseUrl
		? { DATABASE_URL: databaseUrl, ATLANTE_DEMO: '1', ATLANTE_HOUSEHOLD_KEY: TEST_HOUSEHOLD_KEY, ...mail }
		: { ATLANTE_DATA_DIR: 'memory://', ATLANTE_DEMO: '1', ...mail },
	{ seed: true }
);
// The embedded store has one session: give it the hostile time zone the server scratch databases
// get (see scratch-database.ts), so date arithmetic that depends on it fails on both backends.
await sql`SELECT set_config('TimeZone', ${hostileTimeZone()}, false)`;
