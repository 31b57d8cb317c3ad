// `npm run bench:web [-- --runs 7]`
//
// What the public home page (`/`) costs a visitor, measured in Debian's Chromium against the built
// app on the embedded default with the demo data (a throwaway data directory; builds first when the
// build is missing or stale):
//   1. JavaScript weight: every script the page and its workers load (MapLibre's worker included),
//      gzip -9 as a precompressing server would serve it (brotli for information), split into what
//      was requested before the list was visible (critical path) and after. Target ≤ 500 KB gzip.
//      JavaScript only: stylesheets and fonts are not counted.
//   2. Timings from navigation start, in the page: the first list item painted (server-rendered:
//      max of its arrival in the DOM and first-contentful-paint), the map's server-drawn first frame
//      painted (its pins in the DOM, its outlines image loaded, first-contentful-paint) and the first
//      frame in which MapLibre has rendered resources. Cold HTTP cache each run, without and with 4×
//      CPU throttling. Targets: list ≤ 0.8 s, SVG frame ≤ 0.5 s (≤ 0.8 s at 4×), MapLibre ≤ 1.5 s. WebGL here is SwiftShader (software): the map figure
//      is pessimistic compared with a real GPU. Verdicts are on the median; the max is shown too.
// Targets are reported, not asserted: the exit code is non-zero only when measuring failed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, BrowserContextOptions, Response } from 'playwright-core';
import { CHROMIUM, chromiumAvailable, launch, openPage } from '../../tests/e2e/browser';
import { startApp, type AppProcess } from '../lib/app-process';
import { readOptions, whole } from '../lib/args';
import { percentile } from '../lib/stats';

const { runs } = readOptions({ runs: whole(7) });
if (!chromiumAvailable()) {
	console.error(`bench:web needs Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).`);
	process.exit(1);
}

const desktop: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const phone: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const TARGET = { jsKb: 500, listMs: 800, frameMs: 500, frameThrottledMs: 800, mapMs: 1500 };

// The same staleness rule as `npm start` (scripts/start.js).
function newestMtime(entry: string): number {
	const stat = fs.statSync(entry);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(stat.mtimeMs, ...fs.readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}
function ensureBuild(): void {
	const built = 'build/index.js';
	const inputs = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'];
	if (fs.existsSync(built) && Math.max(...inputs.map(newestMtime)) <= fs.statSync(built).mtimeMs) return;
	console.info('Building the app (no build, or sources changed)…');
	execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}

// Runs before any page script. A string, not a function: tsx's name helpers would not exist in the
// page. The list is server-rendered, so it is visible once it is in the DOM and something painted.
const PROBE = `(() => {
	const marks = (window.__bench = { listInDom: null, fcp: null, listVisible: null, frameInDom: null, outlinesLoaded: null, frameVisible: null, mapResourcesVisible: null });
	const settle = () => {
		if (marks.listVisible === null && marks.listInDom !== null && marks.fcp !== null) marks.listVisible = Math.max(marks.listInDom, marks.fcp);
		// The server-drawn first frame of the map: its pins painted over its loaded outlines image.
		if (marks.frameVisible === null && marks.frameInDom !== null && marks.outlinesLoaded !== null && marks.fcp !== null) {
			marks.frameVisible = Math.max(marks.frameInDom, marks.outlinesLoaded, marks.fcp);
		}
	};
	new PerformanceObserver((entries) => {
		for (const e of entries.getEntries()) {
			if (e.name !== 'first-contentful-paint') continue;
			marks.fcp = e.startTime;
			settle();
		}
	}).observe({ type: 'paint', buffered: true });
	const observer = new MutationObserver(() => {
		if (marks.listInDom === null && document.querySelector('#list-heading ~ ol > li')) marks.listInDom = performance.now();
		const outlines = document.querySelector('.map-frame img.outlines');
		if (marks.frameInDom === null && outlines && document.querySelector('.map-frame use')) {
			marks.frameInDom = performance.now();
			const loaded = () => { marks.outlinesLoaded = performance.now(); settle(); };
			if (outlines.complete) loaded(); else outlines.addEventListener('load', loaded, { once: true });
		}
		if (marks.listInDom !== null && marks.frameInDom !== null) observer.disconnect();
		settle();
	});
	observer.observe(document, { childList: true, subtree: true });
	const frame = () => {
		const map = window.__map;
		const layers = map ? ['atlas-clusters', 'atlas-pins'].filter((id) => map.getLayer(id)) : [];
		if (layers.length > 0 && map.queryRenderedFeatures({ layers }).length > 0) return (marks.mapResourcesVisible = performance.now());
		requestAnimationFrame(frame);
	};
	requestAnimationFrame(frame);
})();`;

interface Marks {
	listVisible: number | null;
	frameVisible: number | null;
	mapResourcesVisible: number | null;
}

interface Visit {
	cpuRate?: number;
	/** Wait for the list only (the phone layout shows the list, not the map). */
	listOnly?: boolean;
	/** Sees every response of the context (workers included); then the visit waits for network idle. */
	onResponse?: (response: Response) => void;
	/** Runs before the context closes, while response bodies are still readable. */
	beforeClose?: (marks: Marks, timeOrigin: number, workers: string[]) => Promise<void>;
}

/** One cold navigation to `/` in a fresh context; waits for the list and, unless `listOnly`, the map. */
async function visit(browser: Browser, app: AppProcess, options: BrowserContextOptions, { cpuRate = 1, listOnly = false, onResponse, beforeClose }: Visit = {}) {
	const { page, context, errors } = await openPage(browser, app.baseUrl, options);
	try {
		await page.addInitScript(PROBE);
		if (cpuRate !== 1) await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: cpuRate });
		const workers: string[] = [];
		page.on('worker', (worker) => workers.push(worker.url()));
		if (onResponse) context.on('response', onResponse);
		await page.goto(`${app.baseUrl}/`, { waitUntil: 'commit' });
		// Functions, not strings: the page's Content-Security-Policy forbids evaluating strings.
		await page.waitForFunction(
			(listOnly) => {
				const bench = (window as unknown as { __bench?: Marks }).__bench;
				return bench?.listVisible != null && (listOnly || (bench.frameVisible != null && bench.mapResourcesVisible != null));
			},
			listOnly,
			{ polling: 100, timeout: 60_000 }
		);
		if (onResponse) await page.waitForLoadState('networkidle');
		const marks = await page.evaluate(() => (window as unknown as { __bench: Marks }).__bench);
		const timeOrigin = await page.evaluate(() => performance.timeOrigin);
		if (errors.length > 0) console.warn(`  page errors: ${errors.join(' | ')}`);
		await beforeClose?.(marks, timeOrigin, workers);
		return marks;
	} finally {
		await context.close();
	}
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
// MapLibre's code, by content: the worker keeps its licence banner, the main chunk points at the worker.
const isMapLibre = (code: string) => code.includes('MapLibre GL JS') || code.includes('maplibre-gl-worker');

async function measureWeight(browser: Browser, app: AppProcess): Promise<void> {
	const responses = new Map<string, Response>();
	const collect = (r: Response) => {
		const url = r.url();
		const script = r.request().resourceType() === 'script' || /\.m?js$/.test(new URL(url).pathname);
		if (script && !responses.has(url)) responses.set(url, r); // a worker pool fetches one URL per worker: count it once
	};
	const rows: { file: string; raw: number; gzip: number; brotli: number; critical: boolean; maplibre: boolean }[] = [];
	let workers: string[] = [];
	const readBodies = async (marks: Marks, timeOrigin: number, seen: string[]) => {
		workers = seen;
		for (const [url, response] of responses) {
			const body = await response.body();
			rows.push({
				file: new URL(url).pathname.replace('/_app/immutable/', ''),
				raw: body.length,
				gzip: zlib.gzipSync(body, { level: 9 }).length,
				brotli: zlib.brotliCompressSync(body).length,
				critical: response.request().timing().startTime - timeOrigin < marks.listVisible!,
				maplibre: isMapLibre(body.toString('utf8'))
			});
		}
	};
	const marks = await visit(browser, app, desktop, { onResponse: collect, beforeClose: readBodies });
	// A worker whose script never showed up as a response would otherwise be missed silently.
	const missed = workers.filter((url) => !responses.has(url) && !url.startsWith('blob:') && !url.startsWith('data:'));
	if (missed.length > 0) console.warn(`  worker scripts not seen as responses (not counted): ${missed.join(', ')}`);

	rows.sort((a, b) => Number(b.critical) - Number(a.critical) || b.gzip - a.gzip);
	console.info(`JavaScript for / (desktop 1280×800, until the map shows resources; ${workers.length} worker(s): ${[...new Set(workers)].map((u) => new URL(u).pathname.split('/').pop()).join(', ') || 'none'})\n`);
	const width = Math.max(...rows.map((r) => r.file.length), 4);
	console.info(`  ${'file'.padEnd(width)}  ${'raw KB'.padStart(8)}  ${'gzip KB'.padStart(8)}  ${'br KB'.padStart(8)}  requested`);
	for (const r of rows) {
		const when = r.critical ? 'before list (critical)' : 'after list';
		console.info(`  ${r.file.padEnd(width)}  ${kb(r.raw).padStart(8)}  ${kb(r.gzip).padStart(8)}  ${kb(r.brotli).padStart(8)}  ${when}${r.maplibre ? ', MapLibre' : ''}`);
	}
	const sum = (list: typeof rows, key: 'raw' | 'gzip' | 'brotli') => list.reduce((total, r) => total + r[key], 0);
	const gzip = sum(rows, 'gzip');
	const critical = rows.filter((r) => r.critical);
	const maplibre = rows.filter((r) => r.maplibre);
	// maplibre-gl's own minified files, to separate the library from what the bundler put next to it.
	const dist = ['maplibre-gl.mjs', 'maplibre-gl-worker.mjs'].map((f) => zlib.gzipSync(fs.readFileSync(`node_modules/maplibre-gl/dist/${f}`), { level: 9 }).length);
	console.info(`\n  total: ${kb(sum(rows, 'raw'))} KB raw, ${kb(gzip)} KB gzip, ${kb(sum(rows, 'brotli'))} KB brotli (${rows.length} files)`);
	console.info(`  critical path (before the list was visible, ${(marks.listVisible! / 1000).toFixed(2)} s): ${kb(sum(critical, 'gzip'))} KB gzip in ${critical.length} files`);
	console.info(`  MapLibre chunks: ${kb(sum(maplibre, 'gzip'))} KB gzip (${((sum(maplibre, 'gzip') / gzip) * 100).toFixed(0)} %); maplibre-gl's own dist files alone: ${kb(dist[0]! + dist[1]!)} KB (main ${kb(dist[0]!)} + worker ${kb(dist[1]!)})`);
	console.info(`  target ≤ ${TARGET.jsKb} KB gzip: ${gzip / 1024 <= TARGET.jsKb ? 'met' : 'NOT MET'}\n`);
}

function report(label: string, samples: number[], targetMs: number): void {
	const median = percentile(samples, 50);
	const verdict = median <= targetMs ? 'met' : 'NOT MET';
	const all = samples.map((ms) => (ms / 1000).toFixed(2)).join(' ');
	console.info(`  ${label.padEnd(28)} median ${(median / 1000).toFixed(2)} s  max ${(Math.max(...samples) / 1000).toFixed(2)} s  (target ≤ ${targetMs / 1000} s, median: ${verdict})  [${all}]`);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-web-'));
const env: NodeJS.ProcessEnv = { ...process.env, ATLANTE_DATA_DIR: dataDir, ATLANTE_DEMO: '1', LOG_LEVEL: 'silent' };
delete env.DATABASE_URL;
let app: AppProcess | undefined;
let browser: Browser | undefined;
try {
	ensureBuild();
	app = await startApp(env);
	console.info(`bench:web — the built app on the embedded default with the demo data (ready in ${(app.readyMs / 1000).toFixed(1)} s), Chromium ${CHROMIUM}\n`);
	browser = await launch();
	await visit(browser, app, desktop); // warm-up, unmeasured: the server's first page render and queries
	await measureWeight(browser, app);

	console.info(`Timings from navigation start, ${runs} cold-cache runs each (WebGL is SwiftShader, software: the map figure is pessimistic)\n`);
	for (const cpuRate of [1, 4]) {
		const list: number[] = [];
		const frame: number[] = [];
		const map: number[] = [];
		const phoneList: number[] = [];
		for (let i = 0; i < runs; i++) {
			const marks = await visit(browser, app, desktop, { cpuRate });
			list.push(marks.listVisible!);
			frame.push(marks.frameVisible!);
			map.push(marks.mapResourcesVisible!);
			phoneList.push((await visit(browser, app, phone, { cpuRate, listOnly: true })).listVisible!);
		}
		console.info(cpuRate === 1 ? 'no throttling:' : `${cpuRate}× CPU throttling:`);
		report('list visible (desktop)', list, TARGET.listMs);
		report('map frame visible (SVG)', frame, cpuRate === 1 ? TARGET.frameMs : TARGET.frameThrottledMs);
		report('MapLibre drew resources', map, TARGET.mapMs);
		report('list visible (phone 390×844)', phoneList, TARGET.listMs);
		console.info('');
	}
} finally {
	await browser?.close();
	await app?.stop();
	fs.rmSync(dataDir, { recursive: true, force: true });
}
