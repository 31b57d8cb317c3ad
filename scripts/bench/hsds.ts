// `npm run bench:hsds [-- --count 200000 --requests 300 --backends server,embedded]`
//
// The HSDS 3.1 API at region scale: the deterministic synthetic Lombardy set (scripts/lib/
// synthetic-scratch.ts) in a scratch store, its records treated as real (the HSDS API leaves demo
// records out, and the synthetic set is marked demo), on the built app. For each backend:
//   1. bare SQL: the two queries behind `/hsds/services` (db/hsds.ts servicePage, the page, and
//      countOf, its total_items — which the app keeps until the directory changes, hsds/counts.ts),
//      through postgres.js in this process;
//   2. over HTTP, alternated request by request (so the machine's load slows all alike):
//      the baseline `GET /api/resources?limit=50` (the public API's first 50 resources in name
//      order), `GET /hsds/services?per_page=50` (target p95 ≤ 50 ms on PostGIS), a random page of
//      the first 20 (`&page=N`), and `GET /hsds/service_at_locations?per_page=50&proximity=…`.
// Prints p50/p95 of each and each p95's ratio to the baseline's. Needs a build (`npm run build`).
import os from 'node:os';
import * as hsds from '../../src/lib/server/db/hsds';
import { LOMBARDY_BBOX, treatAsReal } from '../../src/lib/server/db/synthetic';
import { mulberry32, percentile, summarise, timeEach, timeInterleaved } from '../lib/stats';
import { backendList, readOptions, whole, type Backend } from '../lib/args';
import { BackendUnavailable, withSyntheticScratch } from '../lib/synthetic-scratch';

process.env.LOG_LEVEL ??= 'silent';

const { count, requests, warmup, backends } = readOptions({
	count: whole(200000),
	requests: whole(300),
	warmup: whole(30, 0),
	backends: backendList('server,embedded')
});

interface Step {
	page: number;
	lat: number;
	lon: number;
}

function steps(n: number): Step[] {
	const random = mulberry32(15);
	const { west, south, east, north } = LOMBARDY_BBOX;
	return Array.from({ length: n }, () => ({
		page: 1 + Math.floor(random() * 20),
		lon: west + (east - west) * random(),
		lat: south + (north - south) * random()
	}));
}

const WAYS = ['baseline /api/resources?limit=50', '/hsds/services?per_page=50', '/hsds/services?per_page=50&page=N', '/hsds/service_at_locations?proximity'] as const;

async function benchBackend(backend: Backend) {
	return withSyntheticScratch(backend, count, async (scratch) => {
		await treatAsReal();
		const list = steps(warmup + requests);
		const filter = { excludeDemo: true };
		const page = { page: 1, perPage: 50 };
		const sqlPage = await timeEach(list, warmup, () => hsds.servicePage(filter, page));
		const sqlCount = await timeEach(list.slice(0, Math.min(list.length, warmup + 20)), Math.min(warmup, 5), () => hsds.countOf('service', filter));
		const [rows, total] = [await hsds.servicePage(filter, page), await hsds.countOf('service', filter)];
		if (total !== count || rows.length !== 50) throw new Error(`unexpected page: ${total} services, ${rows.length} on the page`);
		const app = await scratch.startApp();
		const http = await timeInterleaved(list, warmup, {
			[WAYS[0]]: () => app.getJson('/api/resources?limit=50'),
			[WAYS[1]]: () => app.getJson('/hsds/services?per_page=50'),
			[WAYS[2]]: (step: Step) => app.getJson(`/hsds/services?per_page=50&page=${step.page}`),
			[WAYS[3]]: (step: Step) => app.getJson(`/hsds/service_at_locations?per_page=50&proximity=${step.lat},${step.lon},5`)
		} as Record<(typeof WAYS)[number], (step: Step) => Promise<unknown>>);
		return { loadMs: scratch.loadMs, sqlPage, sqlCount, http };
	});
}

console.info(`bench:hsds — ${count.toLocaleString('en')} synthetic resources over Lombardy (treated as real), ${requests} requests per way (after ${warmup} warm-up); load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs\n`);
for (const backend of backends) {
	let result: Awaited<ReturnType<typeof benchBackend>>;
	try {
		result = await benchBackend(backend);
	} catch (error) {
		if (!(error instanceof BackendUnavailable)) throw error;
		console.info(`${backend}: skipped — ${error.message}`);
		continue;
	}
	const baseline = percentile(result.http[WAYS[0]], 95);
	console.info(`${backend}: loaded in ${(result.loadMs / 1000).toFixed(1)} s`);
	console.info(`  bare SQL: the page of /hsds/services      ${summarise(result.sqlPage)}`);
	console.info(`  bare SQL: its count (kept until the directory changes)  ${summarise(result.sqlCount)}`);
	for (const way of WAYS) {
		const p95 = percentile(result.http[way], 95);
		const target = way === WAYS[1] && backend === 'server' ? `, target p95 ≤ 50 ms: ${p95 <= 50 ? 'met' : 'NOT met'}` : '';
		console.info(`  ${way.padEnd(42)} ${summarise(result.http[way])}  p95 ratio to baseline ${(p95 / baseline).toFixed(2)}${target}`);
	}
	console.info(`  load average now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
}
