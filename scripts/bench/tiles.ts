// Vector tiles at region scale (issue 15, item 5): `npm run bench:tiles [-- --count 200000
//   --seconds 8 --connections 8 --frames 240 --no-browser]`
//
// On a scratch PostGIS server database holding the synthetic Lombardy set (scripts/lib/
// synthetic-scratch.ts, --count resources, uniform over Lombardy's bounding box), with the built app:
//   1. Throughput: the same list of tiles (the 3 × 3 tiles around Milan at zooms 8 to 14) asked
//      over and over by --connections workers for --seconds, first straight from the database
//      (`SELECT resource_tiles(z, x, y)`: bare ST_AsMVT, the baseline, through a pool as large as
//      the app's) then from the app's endpoint over HTTP (autocannon); alternated twice, best of
//      each. Target: endpoint ≥ 0.8 × bare ST_AsMVT.
//   2. Size: the z8 tile holding Milan and the largest tile of the list. Target: z8 ≤ 500 KB.
//   3. The map (Chromium, playwright-core, /usr/bin/chromium): the home page (tiles, as
//      ATLANTE_MAP_TILES_ABOVE is 5000) over Milan at zoom 11, panned one step per frame for
//      --frames frames, twice, alternated with the same pan with the resource layers hidden (the
//      baseline: the basemap alone, the renderer's floor, SwiftShader on a CPU here); the median
//      interval between animation frames of each, and the share of frames within one and two vsync
//      intervals (rAF intervals come in 16.7 ms steps at 60 Hz). Target: median ≤ 33 ms.
// Needs a build (`npm run build`) and a PostgreSQL + PostGIS server (BENCH_DATABASE_URL, else
// TEST_DATABASE_URL, else the local one).
import { createRequire } from 'node:module';
import postgres from 'postgres';
import { chromiumAvailable, launch, openPage } from '../../tests/e2e/browser';
import { tileOf } from '../../tests/setup/mvt-decode';
import { percentile } from '../lib/stats';
import { flag, readOptions, whole } from '../lib/args';
import { BackendUnavailable, withSyntheticScratch } from '../lib/synthetic-scratch';

const args = readOptions({ count: whole(200000), seconds: whole(8), connections: whole(8), frames: whole(240), 'no-browser': flag() });

// autocannon ships no types: the part used here, typed.
interface CannonResult {
	requests: { average: number };
	non2xx: number;
	errors: number;
}
type Cannon = (options: { url: string; connections: number; duration: number; requests: { method: 'GET'; path: string }[] }) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const TARGETS = { ratio: 0.8, z8Bytes: 500 * 1024, frameMs: 33 };
const MILAN = { lon: 9.19, lat: 45.464 };
const { count: COUNT, seconds: SECONDS, connections: CONNECTIONS, frames: FRAMES } = args;

const tiles: { z: number; x: number; y: number }[] = [];
for (let z = 8; z <= 14; z++) {
	const centre = tileOf(z, MILAN.lon, MILAN.lat);
	for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) tiles.push({ z, x: centre.x + dx, y: centre.y + dy });
}
const tilePath = (t: { z: number; x: number; y: number }) => `/api/tiles/${t.z}/${t.x}/${t.y}.mvt`;

/** Tiles per second straight from the database: CONNECTIONS workers over a pool of as many. */
async function bareRate(url: string): Promise<number> {
	const db = postgres(url, { max: CONNECTIONS, onnotice: () => {} });
	try {
		let done = 0;
		const until = performance.now() + SECONDS * 1000;
		await Promise.all(
			Array.from({ length: CONNECTIONS }, async (_, worker) => {
				for (let i = worker; performance.now() < until; i++) {
					const t = tiles[i % tiles.length]!;
					await db`SELECT resource_tiles(${t.z}, ${t.x}, ${t.y}) AS tile`;
					// Only answers within the window count, as autocannon counts them.
					if (performance.now() <= until) done++;
				}
			})
		);
		return done / SECONDS;
	} finally {
		await db.end();
	}
}

/** Tiles per second from the app's endpoint (autocannon, every connection cycling the list). */
async function endpointRate(baseUrl: string): Promise<number> {
	const result = await autocannon({
		url: baseUrl,
		connections: CONNECTIONS,
		duration: SECONDS,
		requests: tiles.map((t) => ({ method: 'GET' as const, path: tilePath(t) }))
	});
	if (result.non2xx > 0 || result.errors > 0) throw new Error(`endpoint: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
	return result.requests.average;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

interface FrameFigures {
	idle: number;
	/** Median frame interval while panning with the resources drawn, and the share of frames within one / two vsync intervals. */
	pan: number;
	panShares: [number, number];
	/** The same pan with the resource layers hidden: the basemap's own cost, the renderer's floor. */
	floor: number;
	floorShares: [number, number];
	tilesDrawn: boolean;
}

async function frames(baseUrl: string): Promise<FrameFigures> {
	const browser = await launch();
	try {
		const { page, errors } = await openPage(browser, baseUrl, { viewport: { width: 1280, height: 800 } });
		await page.goto(baseUrl + '/', { timeout: 180_000 });
		await page.waitForFunction(() => Boolean(window.__map?.getSource('atlas-resource-tiles')) && window.__map!.loaded(), null, { timeout: 180_000 });
		// A string, not a function: tsx would wrap a function's inner helpers in its own __name(),
		// which the page does not have.
		const result = (await page.evaluate(`(async (count) => {
			const map = window.__map;
			const resourceLayers = map.getStyle().layers.filter((l) => l.source === 'atlas-resource-tiles').map((l) => l.id);
			const show = (visible) => resourceLayers.forEach((id) => map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none'));
			const settle = async () => {
				map.jumpTo({ center: [9.19, 45.464], zoom: 11 });
				await new Promise((resolve) => map.once('idle', resolve));
			};
			const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
			const intervals = async (n, step) => {
				const out = [];
				let last = await frame();
				for (let i = 0; i < n; i++) {
					if (step) step(i);
					const now = await frame();
					out.push(now - last);
					last = now;
				}
				return out;
			};
			// East then back west, 12 px a frame: new tiles come in and old ones go as in a drag.
			const pan = () => intervals(count, (i) => map.panBy([i < count / 2 ? 12 : -12, i % 40 < 20 ? 4 : -4], { animate: false }));
			await settle();
			const drawn = map.queryRenderedFeatures({ layers: ['atlas-clusters'] }).length > 0;
			const idle = await intervals(60, null);
			// Alternated, twice each, so a slow stretch of the machine does not land on one side only.
			const withResources = [];
			const floor = [];
			for (let round = 0; round < 2; round++) {
				show(false);
				await settle();
				floor.push(...(await pan()));
				show(true);
				await settle();
				withResources.push(...(await pan()));
			}
			return { idle, pan: withResources, floor, drawn };
		})(${FRAMES})`)) as { idle: number[]; pan: number[]; floor: number[]; drawn: boolean };
		if (errors.length > 0) throw new Error(`the page logged errors: ${errors.join('; ')}`);
		const idle = percentile(result.idle, 50);
		// rAF intervals come in vsync steps (16.7 ms at 60 Hz): the share of frames within one and two steps.
		const shares = (samples: number[]): [number, number] => [1.5, 2.5].map((steps) => samples.filter((ms) => ms <= steps * idle).length / samples.length) as [number, number];
		return {
			idle,
			pan: percentile(result.pan, 50),
			panShares: shares(result.pan),
			floor: percentile(result.floor, 50),
			floorShares: shares(result.floor),
			tilesDrawn: result.drawn
		};
	} finally {
		await browser.close();
	}
}

try {
	await withSyntheticScratch('server', COUNT, async (scratch) => {
		console.info(`bench:tiles — ${scratch.count.toLocaleString('en')} synthetic Lombardy resources (loaded in ${(scratch.loadMs / 1000).toFixed(1)} s), server backend`);
		const app = await scratch.startApp();
		const dbUrl = (await import('../../src/lib/server/startup')).config().databaseUrl!;

		// Sizes, from the endpoint (what a client gets).
		const sizes = await Promise.all(tiles.map(async (t) => ({ t, bytes: (await (await fetch(app.baseUrl + tilePath(t))).arrayBuffer()).byteLength })));
		const z8 = sizes.find((s) => s.t.z === 8 && s.t.x === tileOf(8, MILAN.lon, MILAN.lat).x && s.t.y === tileOf(8, MILAN.lon, MILAN.lat).y)!;
		const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
		console.info(
			`  size: z8 tile ${tilePath(z8.t)} ${kb(z8.bytes)} — target ≤ ${kb(TARGETS.z8Bytes)}: ${z8.bytes <= TARGETS.z8Bytes ? 'met' : 'not met'}; ` +
				`largest of the ${tiles.length} tiles ${tilePath(largest.t)} ${kb(largest.bytes)}`
		);

		// Throughput, alternated: bare, endpoint, bare, endpoint; best of each.
		const bare: number[] = [];
		const endpoint: number[] = [];
		for (let round = 0; round < 2; round++) {
			bare.push(await bareRate(dbUrl));
			endpoint.push(await endpointRate(app.baseUrl));
		}
		const ratio = Math.max(...endpoint) / Math.max(...bare);
		console.info(
			`  throughput (${CONNECTIONS} connections, ${SECONDS} s each, ${tiles.length} tiles z8–z14 around Milan): bare ST_AsMVT ${bare.map((r) => r.toFixed(0)).join(' / ')} tiles/s, ` +
				`endpoint ${endpoint.map((r) => r.toFixed(0)).join(' / ')} tiles/s; best endpoint / best bare = ${ratio.toFixed(2)} — target ≥ ${TARGETS.ratio}: ${ratio >= TARGETS.ratio ? 'met' : 'not met'}`
		);

		if (args['no-browser']) return;
		if (!chromiumAvailable()) {
			console.info('  map: skipped — no Chromium (set CHROMIUM_PATH)');
			return;
		}
		const f = await frames(app.baseUrl);
		const pct = ([one, two]: [number, number]) => `${(one * 100).toFixed(0)} % within one vsync, ${(two * 100).toFixed(0)} % within two`;
		console.info(
			`  map (Chromium, 1280 × 800, zoom 11 over Milan, ${FRAMES} frames panned × 2 rounds; idle frame ${f.idle.toFixed(1)} ms; tiles drawn: ${f.tilesDrawn ? 'yes' : 'NO'}):\n` +
				`    with the resources    median frame ${f.pan.toFixed(1)} ms (${pct(f.panShares)})\n` +
				`    baseline, resources hidden (the basemap alone, the renderer's floor): median ${f.floor.toFixed(1)} ms (${pct(f.floorShares)}); ratio ${(f.pan / f.floor).toFixed(2)}\n` +
				`    target median ≤ ${TARGETS.frameMs} ms: ${f.pan <= TARGETS.frameMs && f.tilesDrawn ? 'met' : 'not met'}`
		);
	});
} catch (error) {
	if (error instanceof BackendUnavailable) console.info(`bench:tiles: skipped — ${error.message}`);
	else throw error;
}
