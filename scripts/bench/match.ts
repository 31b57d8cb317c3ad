// `npm run bench:match [-- --counts 2000,20000,200000 --requests 300 --backends embedded,server]`
//
// Region-scale benchmark of the need-matching engine: a family's 5 needs around one place, on a
// deterministic synthetic set over Lombardy in scratch databases (never the real data), on the
// embedded default and on a PostGIS server (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
// postgres://postgres@127.0.0.1:5432/test), at each size in --counts. For each backend and size,
// in the same run (on the server, query by query in turn; PGlite takes one process at a time, so
// there the in-process half runs first):
//   1. bare SQL: `matchResources` (the one match_resources call the handler makes), timed through
//      postgres.js in this process, with the query parsed from the same URL the HTTP path gets;
//      and, to show where HTTP's time goes, both queries the handler makes (pointFacts first);
//   2. HTTP: GET /api/match on the built app (`node build`) over loopback — the served-area check,
//      match_resources and the JSON answer.
// Prints p50/p95 and the ratio HTTP p95 ÷ bare SQL p95; target: ≤ 2 on PostGIS at 200,000
// resources. Then how p95 grows with the data (largest size ÷ smallest): a nearest-neighbour
// scan should keep it roughly flat. Needs a build (`npm run build`).
import os from 'node:os';
import { NEED_CODES } from '../../src/lib/domain/taxonomy';
import { DEFAULT_REACH_M, matchQuery, type MatchAnswer } from '../../src/lib/server/api/match';
import { readConfig } from '../../src/lib/server/config';
import { matchResources, pointFacts } from '../../src/lib/server/db/match';
import { LOMBARDY_BBOX } from '../../src/lib/server/db/synthetic';
import type { AppProcess } from '../lib/app-process';
import { mulberry32, percentile, summarise, timeInterleaved } from '../lib/stats';
import { backendList, readOptions, whole, wholes, type Backend } from '../lib/args';
import { BackendUnavailable, withSyntheticScratch } from '../lib/synthetic-scratch';

process.env.LOG_LEVEL ??= 'silent';

const {
	counts,
	requests,
	warmup,
	needs: needsPerQuery,
	backends
} = readOptions({
	counts: wholes('2000,20000,200000'),
	requests: whole(300),
	warmup: whole(50, 0),
	needs: whole(5),
	backends: backendList('embedded,server')
});
const TARGET_RATIO = 2;
const TARGET_COUNT = 200_000;
const { servedMarginM } = readConfig({});

/**
 * The same query strings for every backend, size and path: a point at least the default reach
 * inside the synthetic box (which is uniform, so every 10 km disc holds the same expected number
 * of resources) and `needsPerQuery` distinct needs.
 */
function queries(n: number): string[] {
	const random = mulberry32(2024);
	const { west, south, east, north } = LOMBARDY_BBOX;
	const insetLat = DEFAULT_REACH_M / 111_320;
	// A degree of longitude is shortest at the northern edge: inset by that, the widest case.
	const insetLon = insetLat / Math.cos((north * Math.PI) / 180);
	return Array.from({ length: n }, () => {
		const lon = west + insetLon + (east - west - 2 * insetLon) * random();
		const lat = south + insetLat + (north - south - 2 * insetLat) * random();
		// A partial Fisher–Yates shuffle: distinct needs, in random order.
		const codes: string[] = [...NEED_CODES];
		for (let i = 0; i < needsPerQuery; i++) {
			const j = i + Math.floor(random() * (codes.length - i));
			[codes[i], codes[j]] = [codes[j]!, codes[i]!];
		}
		return `at=${lon.toFixed(6)},${lat.toFixed(6)}&needs=${codes.slice(0, needsPerQuery).join(',')}`;
	});
}

interface Result {
	backend: Backend;
	count: number;
	loadMs: number;
	sql: number[];
	/** pointFacts + matchResources, as the handler runs them. */
	withPlace: number[];
	http: number[];
	/** Resources returned per need, on average over every query. */
	perNeed: number;
}

async function bench(backend: Backend, count: number): Promise<Result> {
	return withSyntheticScratch(backend, count, async (scratch) => {
		const list = queries(warmup + requests);
		let sqlFound = 0;
		let httpFound = 0;
		const inProcess = {
			// Exactly what the handler sends: the URL parsed by its own parser, then matchResources.
			sql: async (q: string) => (sqlFound += (await matchResources(matchQuery(new URLSearchParams(q)))).length),
			withPlace: async (q: string) => {
				const query = matchQuery(new URLSearchParams(q));
				await pointFacts(query.at, servedMarginM);
				await matchResources(query);
			}
		};
		const overHttp = (app: AppProcess) => async (q: string) => {
			const body = await app.getJson<MatchAnswer>(`/api/match?${q}`);
			for (const { resources } of body.results) httpFound += resources.length;
		};
		let times: Pick<Result, 'sql' | 'withPlace' | 'http'>;
		if (backend === 'server') {
			// Both paths open at once: alternate them query by query, so load from elsewhere hits both.
			const app = await scratch.startApp();
			times = await timeInterleaved(list, warmup, { ...inProcess, http: overHttp(app) });
		} else {
			// PGlite takes one process at a time: all in-process queries first, then the app.
			const sqlTimes = await timeInterleaved(list, warmup, inProcess);
			const app = await scratch.startApp();
			times = { ...sqlTimes, ...(await timeInterleaved(list, warmup, { http: overHttp(app) })) };
		}
		// Same data, same queries: a different count would mean the two paths measure different work.
		if (httpFound !== sqlFound) throw new Error(`HTTP returned ${httpFound} resources, bare SQL ${sqlFound}`);
		return { backend, count, loadMs: scratch.loadMs, ...times, perNeed: sqlFound / (list.length * needsPerQuery) };
	});
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const k = (count: number) => (count >= 1000 ? `${count / 1000}k` : String(count));

// Load from other processes skews p95 most: say how busy the machine was.
const load = () => `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} CPUs`;
console.info(
	`bench:match — ${counts.map((c) => c.toLocaleString('en')).join(' / ')} synthetic resources over Lombardy, ${requests} requests (after ${warmup} warm-up), ${needsPerQuery} needs, default reach ${DEFAULT_REACH_M / 1000} km and limit; ${load()}\n`
);
const results: Result[] = [];
for (const backend of backends) {
	for (const count of counts) {
		let result: Result;
		try {
			result = await bench(backend, count);
		} catch (error) {
			if (!(error instanceof BackendUnavailable)) throw error;
			console.info(`${backend}: skipped — ${error.message}\n`);
			break;
		}
		results.push(result);
		const ratio = percentile(result.http, 95) / percentile(result.sql, 95);
		const verdict =
			backend === 'server' && count === TARGET_COUNT ? ` — target ≤ ${TARGET_RATIO} (PostGIS, 200k): ${ratio <= TARGET_RATIO ? 'met' : 'not met'}` : '';
		console.info(`${backend}, ${count.toLocaleString('en')} resources: loaded in ${(result.loadMs / 1000).toFixed(1)} s; ${result.perNeed.toFixed(2)} resources per need`);
		console.info(`  bare SQL  ${summarise(result.sql)}`);
		console.info(`  2 queries ${summarise(result.withPlace)}  (pointFacts + match, as the handler runs them)`);
		console.info(`  HTTP      ${summarise(result.http)}`);
		console.info(`  HTTP p95 / SQL p95 = ${ratio.toFixed(2)}${verdict}\n`);
	}
	const mine = results.filter((r) => r.backend === backend);
	const smallest = mine[0];
	const largest = mine.at(-1);
	if (smallest && largest && largest !== smallest) {
		// p50's ratio too: on a busy machine p95 measures the neighbours as much as the query.
		const growth = (pick: (r: Result) => number[]) =>
			`${(percentile(pick(largest), 95) / percentile(pick(smallest), 95)).toFixed(2)} (p50 ${(percentile(pick(largest), 50) / percentile(pick(smallest), 50)).toFixed(2)})`;
		console.info(
			`${backend}: flatness, p95 at ${k(largest.count)} ÷ p95 at ${k(smallest.count)} (×${largest.count / smallest.count} data): bare SQL ${growth((r) => r.sql)}, HTTP ${growth((r) => r.http)}\n`
		);
	}
}

if (results.length > 0) {
	const shown = counts.filter((count) => results.some((r) => r.count === count));
	console.info(`p50 / p95 by size:`);
	console.info(`  ${''.padEnd(14)}${shown.map((count) => k(count).padStart(22)).join('')}`);
	for (const backend of new Set(results.map((r) => r.backend))) {
		for (const [label, pick] of [
			['SQL', (r: Result) => r.sql],
			['HTTP', (r: Result) => r.http]
		] as const) {
			const cells = shown.map((count) => {
				const r = results.find((x) => x.backend === backend && x.count === count);
				return (r ? `${ms(percentile(pick(r), 50))} / ${ms(percentile(pick(r), 95))}` : '—').padStart(22);
			});
			console.info(`  ${`${backend} ${label}`.padEnd(14)}${cells.join('')}`);
		}
	}
}
console.info(`\n${load()} at the end`);
