// `npm run bench:coverage [-- --backends embedded,server|none --requests 200 --refreshes 3
//   --network none|grid --region server|embedded|none --region-count 200000 --region-cell 250
//   --region-needs food,homework]`
//
// The planners' coverage engine (issue 11), in throwaway stores (never the app's data):
//   1. Lecco, on each backend (a fresh store seeded with the real data and the demo set):
//      - the city grid for all 16 needs: refreshCoverage({ rebuildGrid: true }) — grid, settled
//        cells, residents, every need's cells and rioni at 10/15/20 minutes — timed --refreshes
//        times; then the refresh after a directory edit (a service's capacity), which keeps the grid
//        (its inputs are unchanged) and recomputes the 16 needs, timed as often. On the embedded
//        store each refresh holds the single session for its whole duration;
//      - over HTTP on the built app, signed in as a planner, alternated request by request with a
//        baseline (GET /api/needs) so the machine's load hits both alike: GET /api/planning/rioni
//        (the precomputed base view, a random need and minutes) and POST /api/planning/scenario
//        (a random need, 1–3 hypothetical points in Lecco, 0–3 hidden pins): p50/p95 and the ratio
//        to the baseline's p95.
//   2. Region scale (--region, default server): the synthetic Lombardy set (--region-count
//      resources, src/lib/server/db/synthetic.ts) with Lombardy's bounding box as the served area,
//      refreshCoverage at --region-cell metres (a region grid: only the settled cells), for all 16
//      needs or the --region-needs listed (then the 16 needs' time is extrapolated from theirs):
//      total time, the time of each phase (grid, cells' figures, rioni's figures) and peak memory — on a server on this machine the PostgreSQL backends' private memory (RssAnon,
//      sampled every 200 ms, the largest backend) and their VmHWM (which also counts the shared
//      buffers they touched); this process's peak RSS on either backend. Meant for the server
//      (the default); the embedded store can run it, slowly.
//   --network grid: the Lecco stores first get a synthetic walkable network (a street grid over the
//   city, 80 m between crossings, 6,161 nodes and 12,160 edges, written as `npm run import:osm` writes
//   one), so every figure above is computed on the route basis (true walking times, the one
//   walking function in Node); `none` (the default): the straight-line estimate.
// Targets: all 16 needs ≤ 2 s on PostGIS (embedded: aim ≤ 8 s); scenario p95 ≤ 300 ms; rioni p95
// ≤ 50 ms; region ≤ 60 s. Needs a build (`npm run build`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WITHIN_MINUTES } from '../../src/lib/domain/planning';
import { NEED_CODES } from '../../src/lib/domain/taxonomy';
import { createUser } from '../../src/lib/server/auth/users';
import { metresBetween } from '../../src/lib/domain/walking';
import { sql } from '../../src/lib/server/db/client';
import * as territory from '../../src/lib/server/db/territory';
import { LOMBARDY_BBOX } from '../../src/lib/server/db/synthetic';
import { refreshCoverage } from '../../src/lib/server/planning/coverage';
import { start, stop } from '../../src/lib/server/startup';
import { startApp, type AppProcess } from '../lib/app-process';
import { createScratchDatabase } from '../lib/scratch-database';
import { mulberry32, percentile, summarise, timeInterleaved } from '../lib/stats';
import { parseBackends, readOptions, text, whole, type Backend } from '../lib/args';
import { BackendUnavailable, withSyntheticScratch } from '../lib/synthetic-scratch';

process.env.LOG_LEVEL ??= 'silent';

// Every option is read now, the region run's too: a wrong one stops the bench before the city's run, not after.
const args = readOptions({
	backends: text('embedded,server'),
	requests: whole(200),
	warmup: whole(20, 0),
	refreshes: whole(3),
	region: text('server'),
	'region-count': whole(200000),
	'region-cell': whole(250),
	'region-needs': text('all'),
	network: text('none')
});
if (!['none', 'grid'].includes(args.network)) throw new Error(`--network: none or grid, not ${args.network}`);
const { requests, warmup, refreshes } = args;
const backends = args.backends === 'none' ? [] : parseBackends(args.backends);
const regionNeeds: readonly string[] = args['region-needs'] === 'all' ? NEED_CODES : args['region-needs'].split(',').map((need) => need.trim());
const unknownNeeds = regionNeeds.filter((need) => !(NEED_CODES as readonly string[]).includes(need));
const region = args.region === 'none' ? null : { backend: parseBackends(args.region, 'region')[0]!, count: args['region-count'], cellM: args['region-cell'], needs: regionNeeds };
if (region && (unknownNeeds.length > 0 || regionNeeds.length === 0)) throw new Error(`--region-needs: unknown needs ${unknownNeeds.join(', ')} (known: ${NEED_CODES.join(', ')})`);
const PLANNER = { email: 'bench.planner@atlante.test', password: 'Bench planner password 2026' };
const LECCO = { west: 9.36, south: 45.82, east: 9.46, north: 45.88 };
const TARGETS = { gridServer: 2000, gridEmbedded: 8000, scenario: 300, rioni: 50, region: 60_000 };

const load = () => `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} CPUs`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function openLecco(backend: Backend): Promise<{ env: Record<string, string>; remove(): Promise<void> }> {
	const base = { ATLANTE_SEED: '1', ATLANTE_DEMO: '1', LOG_LEVEL: 'silent' };
	if (backend === 'embedded') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-bench-coverage-'));
		return { env: { ...base, ATLANTE_DATA_DIR: dir }, remove: async () => fs.rmSync(dir, { recursive: true, force: true }) };
	}
	const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
	try {
		const scratch = await createScratchDatabase('bench', baseUrl);
		return { env: { ...base, DATABASE_URL: scratch.url }, remove: scratch.drop };
	} catch (error) {
		throw new BackendUnavailable(`no PostgreSQL server at ${new URL(baseUrl).host}: ${(error as Error).message}`);
	}
}

/** A street grid over Lecco, 0.001° (about 80 m) between crossings, jittered so that lengths differ. */
async function importGridNetwork(): Promise<void> {
	const random = mulberry32(7);
	const cols = Math.round((LECCO.east - LECCO.west) / 0.001) + 1;
	const rows = Math.round((LECCO.north - LECCO.south) / 0.001) + 1;
	const nodes: territory.NetworkNode[] = [];
	for (let row = 0; row < rows; row++)
		for (let col = 0; col < cols; col++)
			nodes.push({ id: row * cols + col + 1, lon: LECCO.west + (col + (random() - 0.5) * 0.4) * 0.001, lat: LECCO.south + (row + (random() - 0.5) * 0.4) * 0.001 });
	const edges: territory.NetworkEdge[] = [];
	const link = (a: territory.NetworkNode, b: territory.NetworkNode) => edges.push({ source: a.id, target: b.id, length_m: metresBetween(a, b) });
	for (let row = 0; row < rows; row++)
		for (let col = 0; col < cols; col++) {
			if (col + 1 < cols) link(nodes[row * cols + col]!, nodes[row * cols + col + 1]!);
			if (row + 1 < rows) link(nodes[row * cols + col]!, nodes[(row + 1) * cols + col]!);
		}
	await territory.replaceOsm({ nodes, edges, features: [] }, 'bench-grid', { id: null, email: null });
}

async function signIn(app: AppProcess): Promise<string> {
	const response = await fetch(`${app.baseUrl}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: app.baseUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(PLANNER)
	});
	await response.arrayBuffer();
	const cookie = /(\S*atlante_session=[^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
	if (!cookie) throw new Error(`planner sign-in failed: ${response.status}`);
	return cookie;
}

interface LeccoResult {
	backend: Backend;
	cells: number;
	refresh: number[];
	/** The same refreshes until their figures were committed (readers see them), without the VACUUM after. */
	committed: number[];
	phases: { gridMs: number; cellsMs: number; rioniMs: number }[];
	/** Refreshes after a directory edit: the grid kept, the 16 needs recomputed. */
	needsOnly: number[];
	rioni: number[];
	scenario: number[];
	baseline: number[];
	walkBasis: string;
}

async function benchLecco(backend: Backend): Promise<LeccoResult> {
	const store = await openLecco(backend);
	let app: AppProcess | null = null;
	try {
		// The first start computes the figures once (startup.ts); the timed refreshes come after.
		await start(store.env, { seed: true });
		await createUser({ email: PLANNER.email, role: 'planner', password: PLANNER.password });
		if (args.network === 'grid') await importGridNetwork();
		const refresh: number[] = [];
		const committed: number[] = [];
		const phases: LeccoResult['phases'] = [];
		const needsOnly: number[] = [];
		let cells = 0;
		let walkBasis = 'unknown';
		for (let i = 0; i < refreshes; i++) {
			const t0 = performance.now();
			const report = await refreshCoverage({ rebuildGrid: true });
			refresh.push(performance.now() - t0);
			cells = report?.cells ?? 0;
			walkBasis = report?.walkBasis ?? walkBasis;
			if (report) {
				committed.push(report.durationMs);
				phases.push(report.phases);
			}
		}
		for (let i = 0; i < refreshes; i++) {
			// A directory edit that moves the 2SFCA figures and none of the grid's inputs.
			await sql`UPDATE service SET capacity = ${10 + i} WHERE id = (SELECT id FROM service ORDER BY id LIMIT 1)`;
			const t0 = performance.now();
			const report = await refreshCoverage();
			needsOnly.push(performance.now() - t0);
			if (report?.gridBuilt !== false) throw new Error('a directory edit rebuilt the grid: coverage_grid_key reads too much');
		}
		const random = mulberry32(11);
		const pinsByNeed = new Map<string, string[]>();
		for (const need of NEED_CODES) {
			const rows = await sql<{ id: string }[]>`
				SELECT r.id::text FROM public_resource r WHERE EXISTS (SELECT 1 FROM service_need sn WHERE sn.service_id = r.service_id AND sn.need = ${need})`;
			pinsByNeed.set(need, rows.map((r) => r.id));
		}
		const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
		const items = Array.from({ length: warmup + requests }, () => {
			const need = pick(NEED_CODES);
			const add = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
				at: [LECCO.west + (LECCO.east - LECCO.west) * random(), LECCO.south + (LECCO.north - LECCO.south) * random()],
				needs: [need]
			}));
			const pins = pinsByNeed.get(need)!;
			const hide = Array.from({ length: Math.floor(random() * 4) }, () => pick(pins)).filter(Boolean);
			return { need, within: pick(WITHIN_MINUTES), scenario: { need, within: pick(WITHIN_MINUTES), add, hide: [...new Set(hide)] } };
		});
		if (backend === 'embedded') await stop();
		const env: NodeJS.ProcessEnv = { ...process.env, ...store.env, ATLANTE_SEED: '0' };
		if (backend === 'embedded') delete env.DATABASE_URL;
		app = await startApp(env);
		const cookie = await signIn(app);
		const get = async (url: string) => {
			const response = await fetch(app!.baseUrl + url, { headers: { cookie } });
			if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
			await response.arrayBuffer();
		};
		const times = await timeInterleaved(items, warmup, {
			baseline: () => get('/api/needs'),
			rioni: (item) => get(`/api/planning/rioni?need=${item.need}&within=${item.within}`),
			scenario: async (item) => {
				const response = await fetch(app!.baseUrl + '/api/planning/scenario', {
					method: 'POST',
					headers: { cookie, origin: app!.baseUrl, 'content-type': 'application/json' },
					body: JSON.stringify(item.scenario)
				});
				if (!response.ok) throw new Error(`scenario: ${response.status} ${await response.text()}`);
				await response.arrayBuffer();
			}
		});
		return { backend, cells, refresh, committed, phases, needsOnly, walkBasis, ...times };
	} finally {
		await app?.stop();
		await stop();
		await store.remove();
	}
}

/** A field (kB) of /proc/PID/status of a process on this machine; null when unreadable. */
function statusKb(pid: number, field: 'VmHWM' | 'RssAnon'): number | null {
	try {
		const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
		return Number.isFinite(kb) ? kb : null;
	} catch {
		return null;
	}
}

async function benchRegion(backend: Backend, count: number, cellM: number, needs: readonly string[]): Promise<void> {
	await withSyntheticScratch(backend, count, async (scratch) => {
		const { west, south, east, north } = LOMBARDY_BBOX;
		// The served area: Lombardy's bounding box (the synthetic set has no comuni or rioni).
		await sql`INSERT INTO administrative_area (istat_code, name, geom, served, source_id)
			VALUES ('999999', 'Synthetic Lombardy box', ST_Multi(ST_MakeEnvelope(${west}, ${south}, ${east}, ${north}, 4326)), true, 'synthetic-bench')`;
		// The backends of this scratch database (the pool's connections; the refresh runs on one).
		const backends = async () =>
			backend === 'server'
				? (await sql<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`).map((r) => r.pid)
				: [];
		let pids = await backends();
		let peakRss = process.memoryUsage().rss;
		let peakAnonKb = 0;
		const sample = () => {
			peakRss = Math.max(peakRss, process.memoryUsage().rss);
			for (const pid of pids) peakAnonKb = Math.max(peakAnonKb, statusKb(pid, 'RssAnon') ?? 0);
		};
		const sampler = setInterval(sample, 200);
		const t0 = performance.now();
		let report;
		try {
			const refreshing = refreshCoverage({ cellM, needs });
			// The pool may open a connection for the refresh: look again once it has begun.
			setTimeout(async () => (pids = await backends().catch(() => pids)), 1000);
			report = await refreshing;
		} finally {
			clearInterval(sampler);
			sample();
		}
		const elapsed = performance.now() - t0;
		pids = await backends();
		const hwm = Math.max(0, ...pids.map((pid) => statusKb(pid, 'VmHWM') ?? 0));
		const [pairs] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM coverage_cell_need`;
		console.info(
			`region (${backend}; the region run is meant for PostGIS): ${scratch.count.toLocaleString('en')} synthetic resources (loaded in ${s(scratch.loadMs)}), ${report?.cells.toLocaleString('en')} settled cells of ${cellM} m, ${pairs!.n.toLocaleString('en')} cell × need rows: refresh ${s(elapsed)}${needs.length === NEED_CODES.length ? ` — target ≤ ${s(TARGETS.region)}: ${elapsed <= TARGETS.region ? 'met' : 'not met'}` : ` for ${needs.length} of the ${NEED_CODES.length} needs`}; ${load()}`
		);
		if (report) {
			const { gridMs, cellsMs, rioniMs } = report.phases;
			const all = needs.length === NEED_CODES.length;
			// The needs' phases grow with the number of needs (each need's figures are its own work).
			const extrapolated = gridMs + ((cellsMs + rioniMs) * NEED_CODES.length) / needs.length;
			console.info(
				`  needs: ${all ? `all ${NEED_CODES.length}` : `${needs.join(', ')} (${needs.length} of ${NEED_CODES.length})`}; phases: grid ${s(gridMs)}, cells' figures ${s(cellsMs)} (${s(cellsMs / needs.length)} a need), rioni's figures ${s(rioniMs)} (${s(rioniMs / needs.length)} a need)` +
					(all ? '' : `; all ${NEED_CODES.length} needs extrapolated: ${s(extrapolated)} — target ≤ ${s(TARGETS.region)}: ${extrapolated <= TARGETS.region ? 'met' : 'not met'}`)
			);
		}
		const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
		console.info(
			`  peak memory: ${backend === 'server' ? `PostgreSQL backend ${mb(peakAnonKb)} private (RssAnon, sampled), ${mb(hwm)} VmHWM (with the shared buffers it touched); ` : ''}this process ${(peakRss / 1048576).toFixed(0)} MB (RSS)\n`
		);
	});
}

console.info(`bench:coverage — ${requests} HTTP requests per path (after ${warmup} warm-up), ${refreshes} refreshes; ${load()}\n`);
for (const backend of backends) {
	let r: LeccoResult;
	try {
		r = await benchLecco(backend);
	} catch (error) {
		if (!(error instanceof BackendUnavailable)) throw error;
		console.info(`${backend}: skipped — ${error.message}\n`);
		continue;
	}
	const gridTarget = backend === 'server' ? TARGETS.gridServer : TARGETS.gridEmbedded;
	const best = Math.min(...r.refresh);
	const median = percentile(r.refresh, 50);
	console.info(`${backend}, Lecco (${r.cells.toLocaleString('en')} cells × 16 needs), walking basis ${r.walkBasis}:`);
	// The target is the computation: the figures are committed (and read by the pages) at its end;
	// the VACUUM (ANALYZE) that follows is housekeeping outside the transaction.
	const ready = percentile(r.committed, 50);
	const phase = (key: keyof LeccoResult['phases'][number]) => s(percentile(r.phases.map((p) => p[key]), 50));
	console.info(
		`  city grid, all 16 needs, figures committed: best ${s(Math.min(...r.committed))}, median ${s(ready)} (grid ${phase('gridMs')}, cells ${phase('cellsMs')}, rioni ${phase('rioniMs')}) — target ≤ ${s(gridTarget)}: ${ready <= gridTarget ? 'met' : 'not met'}`
	);
	console.info(`  the same with the VACUUM (ANALYZE) after: best ${s(best)}, median ${s(median)}`);
	console.info(
		`  after a directory edit (grid kept, 16 needs recomputed): best ${s(Math.min(...r.needsOnly))}, median ${s(percentile(r.needsOnly, 50))}` +
			(backend === 'embedded' ? ' — the embedded store is busy for as long' : '')
	);
	const base = percentile(r.baseline, 95);
	for (const [label, samples, target] of [
		['GET /api/planning/rioni ', r.rioni, TARGETS.rioni],
		['POST /api/planning/scenario', r.scenario, TARGETS.scenario]
	] as const) {
		const p95 = percentile(samples, 95);
		console.info(`  ${label} ${summarise(samples)} — p95 ÷ baseline p95 ${(p95 / base).toFixed(1)}; target p95 ≤ ${ms(target)}: ${p95 <= target ? 'met' : 'not met'}`);
	}
	console.info(`  baseline GET /api/needs   ${summarise(r.baseline)}\n`);
}

if (region) {
	try {
		await benchRegion(region.backend, region.count, region.cellM, region.needs);
	} catch (error) {
		if (!(error instanceof BackendUnavailable)) throw error;
		console.info(`region: skipped — ${error.message}`);
	}
}
console.info(`${load()} at the end`);
