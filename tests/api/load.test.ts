import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LOAD_ENDPOINTS, loadIds, loadOne, probe, type LoadIds } from '../../scripts/lib/load';
import { sessionOf } from './session';

/**
 * The shortened `npm run bench:load`: every endpoint of its table under 5 connections for 2 s, on
 * the app under test. Every request must be answered (no connection error, no timeout) and none
 * with a 5xx. Figures are printed, never asserted: timings belong in the benchmark.
 * A route this build lacks (404 at the probe) is skipped with a note, as the benchmark does.
 */
const base = inject('baseUrl');
const CONNECTIONS = 5;
const SECONDS = 2;

let ids: LoadIds;
let plannerCookie: string;

beforeAll(async () => {
	ids = await loadIds(base);
	plannerCookie = await sessionOf('planner');
});

describe('under load (5 connections × 2 s per endpoint)', () => {
	it.each(LOAD_ENDPOINTS.map((endpoint) => [endpoint.name, endpoint] as const))('%s answers every request, none with a 5xx', async (_name, endpoint) => {
		const probed = await probe(base, endpoint, ids, plannerCookie);
		if (!probed.run) {
			console.info(`load: ${endpoint.name} skipped — ${probed.note}`);
			return;
		}
		const figures = await loadOne(base, endpoint.name, probed.path, probed.headers, CONNECTIONS, SECONDS);
		console.info(`load: ${endpoint.name} ${figures.perSecond.toFixed(0)} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms`);
		expect(figures.requests).toBeGreaterThan(0);
		expect({ errors: figures.errors, serverErrors: figures.serverErrors, statuses: figures.statuses }).toEqual({ errors: 0, serverErrors: 0, statuses: {} });
	});
});
