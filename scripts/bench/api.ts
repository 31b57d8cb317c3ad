// `npm run bench:api [-- --count 200000 --requests 400 --backends embedded,server]`
//
// Region-scale benchmark of the public API's proximity query (near + radius + need), on a
// deterministic synthetic set over Lombardy in a scratch database (never the real data), on the
// embedded default and on a PostGIS server (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
// postgres://postgres@127.0.0.1:5432/test). For each backend, in the same run:
//   1. bare SQL: the query `resources.list` sends, timed through postgres.js in this process;
//   2. HTTP: the same query as GET /api/resources on the built app (`node build`), over loopback.
// Prints p50/p95 of both and their ratio; target: HTTP p95 ≤ 3 × SQL p95 on PostGIS, and
// embedded p95 ≤ 4 × PostGIS p95. Needs a build (`npm run build`).
import { NEED_CODES } from '../../src/lib/domain/taxonomy';
import * as resources from '../../src/lib/server/db/resources';
import { LOMBARDY_BBOX } from '../../src/lib/server/db/synthetic';
import { mulberry32, percentile, summarise, timeEach } from '../lib/stats';
import { backendList, readOptions, whole, type Backend } from '../lib/args';
import { BackendUnavailable, withSyntheticScratch } from '../lib/synthetic-scratch';

process.env.LOG_LEVEL ??= 'silent';

const { count, requests, warmup, radius, backends } = readOptions({
	count: whole(200000),
	requests: whole(400),
	warmup: whole(50, 0),
	radius: whole(1000),
	backends: backendList('embedded,server')
});

interface Query {
	lon: number;
	lat: number;
	need: string;
}

// The same query sequence for every backend and both paths.
function queries(n: number): Query[] {
	const random = mulberry32(42);
	const { west, south, east, north } = LOMBARDY_BBOX;
	return Array.from({ length: n }, () => ({
		lon: west + (east - west) * random(),
		lat: south + (north - south) * random(),
		need: NEED_CODES[Math.floor(random() * NEED_CODES.length)]!
	}));
}

interface Result {
	backend: string;
	loadMs: number;
	sql: number[];
	http: number[];
	resultsPerQuery: number;
}

async function benchBackend(backend: Backend): Promise<Result> {
	return withSyntheticScratch(backend, count, async (scratch) => {
		const list = queries(warmup + requests);
		const filter = (q: Query) => ({ near: { lon: q.lon, lat: q.lat, radius }, needs: [q.need], limit: 200 });
		let found = 0;
		const sql = await timeEach(list, warmup, async (q) => (found += (await resources.list(filter(q))).length));
		const app = await scratch.startApp();
		const http = await timeEach(list, warmup, (q) => app.getJson(`/api/resources?near=${q.lon},${q.lat}&radius=${radius}&need=${q.need}`));
		// found counted the warm-up too: average over every query.
		return { backend, loadMs: scratch.loadMs, sql, http, resultsPerQuery: found / list.length };
	});
}

const results: Result[] = [];
console.info(`bench:api — ${count.toLocaleString('en')} synthetic resources over Lombardy, ${requests} requests (after ${warmup} warm-up), near + radius ${radius} m + one need\n`);
for (const backend of backends) {
	let result: Result;
	try {
		result = await benchBackend(backend);
	} catch (error) {
		if (!(error instanceof BackendUnavailable)) throw error;
		console.info(`${backend}: skipped — ${error.message}`);
		continue;
	}
	results.push(result);
	const ratio = percentile(result.http, 95) / percentile(result.sql, 95);
	console.info(`${backend}: loaded in ${(result.loadMs / 1000).toFixed(1)} s, ${result.resultsPerQuery.toFixed(1)} results per query`);
	console.info(`  bare SQL  ${summarise(result.sql)}`);
	console.info(`  HTTP      ${summarise(result.http)}`);
	console.info(`  HTTP p95 / SQL p95 = ${ratio.toFixed(2)}${backend === 'server' ? ' (target ≤ 3)' : ''}\n`);
}
const embedded = results.find((r) => r.backend === 'embedded');
const server = results.find((r) => r.backend === 'server');
if (embedded && server) {
	const ratio = percentile(embedded.http, 95) / percentile(server.http, 95);
	console.info(`embedded HTTP p95 / PostGIS HTTP p95 = ${ratio.toFixed(2)} (target ≤ 4)`);
}
