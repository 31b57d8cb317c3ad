import { defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { testClockOffset } from './tests/setup/clock.js';

/**
 * Test projects. `unit` needs nothing. `db-*` run the database modules in-process against a real
 * PostGIS, `api-*` start the built app (`node build`) and talk HTTP to it; each on the embedded
 * default and, when TEST_DATABASE_URL names a PostgreSQL server, on that server too.
 * With CI=true a missing server is an error, not a silent skip.
 */
/**
 * TEST_CLOCK runs the suite as if it started at another instant (`HH:MM` in Rome, or an ISO
 * instant): every Node process of the run — test workers, the seeding helpers, the app under test —
 * loads tests/setup/test-clock.mjs, which shifts `Date` by the same offset. The suite must pass
 * at any hour (the hour after Rome's midnight once hid a bug) and in any process time zone (TZ).
 * Only the embedded backend runs then: its PostgreSQL lives inside those processes and reads the
 * same clock, while a PostgreSQL server keeps the real one, and the times it stamps (the audit
 * trail, a session's last use) would differ from the app's by hours, as in no deployment.
 */
const clockOffset = testClockOffset(process.env.TEST_CLOCK);
const serverUrl = clockOffset === 0 ? process.env.TEST_DATABASE_URL : undefined;
if (process.env.CI === 'true' && !serverUrl) {
	throw new Error(
		clockOffset === 0
			? 'CI=true but TEST_DATABASE_URL is not set: the PostGIS server backend must be tested in CI.'
			: 'CI=true with TEST_CLOCK: a moved clock runs the embedded backend only, and CI must test the server backend too.'
	);
}
if (clockOffset !== 0) {
	process.env.TEST_CLOCK_OFFSET_MS = String(clockOffset);
	const preload = `--import=${pathToFileURL(path.resolve('tests/setup/test-clock.mjs')).href}`;
	process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' ');
}

const env = { LOG_LEVEL: 'silent' };

function dbProject(backend: 'embedded' | 'server'): TestProjectInlineConfiguration {
	return {
		test: {
			name: `db-${backend}`,
			include: ['tests/db/**/*.test.ts'],
			env: { ...env, TEST_BACKEND: backend },
			globalSetup: ['tests/setup/db-global.ts'],
			setupFiles: ['tests/setup/db-file.ts'],
			// One store per project, opened once and shared by its files, which run one after the other:
			// PGlite is a single session, and opening it costs seconds.
			isolate: false,
			fileParallelism: false,
			testTimeout: 60_000,
			hookTimeout: 180_000
		}
	};
}

function apiProject(backend: 'embedded' | 'server'): TestProjectInlineConfiguration {
	return {
		test: {
			name: `api-${backend}`,
			include: ['tests/api/**/*.test.ts'],
			env: { ...env, TEST_BACKEND: backend },
			globalSetup: ['tests/setup/api-global.ts'],
			testTimeout: 30_000,
			hookTimeout: 180_000
		}
	};
}

// End-to-end: Debian's Chromium (playwright-core) against the built app on the embedded default.
const e2eProject: TestProjectInlineConfiguration = {
	test: {
		name: 'e2e',
		include: ['tests/e2e/**/*.test.ts'],
		env: { ...env, TEST_BACKEND: 'embedded' },
		globalSetup: ['tests/setup/api-global.ts'],
		fileParallelism: false,
		testTimeout: 60_000,
		hookTimeout: 180_000
	}
};

// Faults (tests/faults): each file starts its own app, store or PostgreSQL instance, kills or ends
// parts of it and measures the recovery; one file at a time, so the figures are not each other's
// load. CI runs the shortened version; `npm run bench:faults` the full one (FAULTS_FULL=1).
const faultsProject: TestProjectInlineConfiguration = {
	test: {
		name: 'faults',
		include: ['tests/faults/**/*.test.ts'],
		env,
		fileParallelism: false,
		// Each file seeds a store and starts apps: minutes on a loaded two-core machine.
		testTimeout: 300_000,
		hookTimeout: 600_000
	}
};

export default defineConfig({
	test: {
		projects: [
			// Property tests run thousands of cases: seconds on a loaded two-core CI machine, past the default 5.
			{
				// `$lib` as SvelteKit resolves it: the map's style modules import the domain through it.
				resolve: { alias: { $lib: path.resolve('src/lib') } },
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], env, testTimeout: 30_000 }
			},
			dbProject('embedded'),
			apiProject('embedded'),
			e2eProject,
			faultsProject,
			...(serverUrl ? [dbProject('server'), apiProject('server')] : [])
		]
	}
});
