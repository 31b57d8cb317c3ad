import { inject } from 'vitest';
import { start } from '../../src/lib/server/startup';

// Opened once per project: files share the process (isolate: false) and start() is memoised.
const databaseUrl = inject('databaseUrl');
await start(
	databaseUrl
		? { DATABASE_URL: databaseUrl, ATLANTE_DEMO: '1' }
		: { ATLANTE_DATA_DIR: 'memory://', ATLANTE_DEMO: '1' }
);
