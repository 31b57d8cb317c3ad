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
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { NEED_CODES } from '../../src/lib/domain/taxonomy';
import * as resources from '../../src/lib/server/db/resources';
import { generate, LOMBARDY_BBOX } from '../../src/lib/server/db/synthetic';
import { start, stop } from '../../src/lib/server/startup';
import { startApp } from '../lib/app-process';
import { createScratchDatabase } from '../lib/scratch-database';
import { mulberry32, percentile, summarise } from '../lib/stats';

process.env.LOG_LEVEL ??= 'silent';

const { values: args } = parseArgs({
	options: {
		count: { type: 'string', default: '200000' },
		requests: { type: 'string', default: '400' },
		warmup: { type: 'string', default: '50' },
		radius: { type: 'string', default: '1000' },
		backends: { type: 'string', default: 'embedded,server' }
	}
});
const count = Number(args.count);
const requests = Number(args.requests);
const warmup = Number(args.warmup);
const radius = Number(args.radius);

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

async function time(run: () => Promise<unknown>): Promise<number> {
	const t0 = performance.now();
	await run();
	return performance.now() - t0;
}

interface Result {
	backend: string;
	loadMs: number;
	sql: number[];
	http: number[];
	resultsPerQuery: number;
}

async function scratchServerDatabase(): Promise<{ url: string; drop(): Promise<void> } | string> {
	const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
	try {
		return await createScratchDatabase('bench', baseUrl);
	} catch (error) {
		return `no PostgreSQL server at ${new URL(baseUrl).host}: ${(error as Error).message}`;
	}
}

async function benchBackend(backend: 'embedded' | 'server'): Promise<Result | string> {
	let env: Record<string, string>;
	let cleanup: () => Promise<void>;
	if (backend === 'server') {
		const scratch = await scratchServerDatabase();
		if (typeof scratch === 'string') return scratch;
		env = { DATABASE_URL: scratch.url };
		cleanup = scratch.drop;
	} else {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-bench-'));
		env = { ATLANTE_DATA_DIR: dir };
		cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
	}
	// A scratch database: migrations only, no Lecco seed, no demo set — synthetic data alone.
	Object.assign(env, { ATLANTE_SEED: '0', ATLANTE_DEMO: '0', LOG_LEVEL: 'silent' });
	try {
		await start(env);
		const loadMs = await time(() => generate(count));
		const list = queries(warmup + requests);
		const filter = (q: Query) => ({ near: { lon: q.lon, lat: q.lat, radius }, needs: [q.need], limit: 200 });
		let found = 0;
		for (const q of list.slice(0, warmup)) await resources.list(filter(q));
		const sqlTimes: number[] = [];
		for (const q of list.slice(warmup)) {
			sqlTimes.push(await time(async () => (found += (await resources.list(filter(q))).length)));
		}
		await stop();

		const app = await startApp({ ...process.env, ...env });
		const url = (q: Query) => `${app.baseUrl}/api/resources?near=${q.lon},${q.lat}&radius=${radius}&need=${q.need}`;
		try {
			for (const q of list.slice(0, warmup)) await (await fetch(url(q))).arrayBuffer();
			const httpTimes: number[] = [];
			for (const q of list.slice(warmup)) {
				httpTimes.push(
					await time(async () => {
						const response = await fetch(url(q));
						if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
						await response.json();
					})
				);
			}
			return { backend, loadMs, sql: sqlTimes, http: httpTimes, resultsPerQuery: found / requests };
		} finally {
			await app.stop();
		}
	} finally {
		await stop();
		await cleanup();
	}
}

const results: Result[] = [];
console.info(`bench:api — ${count.toLocaleString('en')} synthetic resources over Lombardy, ${requests} requests (after ${warmup} warm-up), near + radius ${radius} m + one need\n`);
for (const backend of args.backends.split(',') as ('embedded' | 'server')[]) {
	const result = await benchBackend(backend);
	if (typeof result === 'string') {
		console.info(`${backend}: skipped — ${result}`);
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
