// `npm run bench:walk [-- --side 72 --targets 1000 --queries 200]`
//
// True walking times (server/territory/walk-network.ts) on a synthetic street grid over Lecco:
// side × (side − 1) streets each way (72 → 10,152 edges, every node jittered so that lengths
// differ), and `targets` resource points scattered over it. One query is what a match or a
// resource page asks: from one point to all the resources, routed on the network (snap the
// point, one Dijkstra from it — graphology-shortest-path — and the resources' nodes read off).
// Baseline in the same run: the straight-line estimate of domain/walking.ts for the same points.
// Prints p50/p95 of each and the ratio; target: a one-to-many query ≤ 20 ms (p95) at 10,000 edges.
// The resources' snaps to the network are kept between queries (they are the same points each
// time, as in the app); the origin is snapped on every query.
// The network is built in memory from the rows the database would give (the app loads it once
// per import, so loading is reported apart); no database is needed.
import os from 'node:os';
import { estimatedWalk, metresBetween } from '../../src/lib/domain/walking';
import type { NetworkEdge, NetworkNode } from '../../src/lib/server/db/territory';
import { WalkNetwork } from '../../src/lib/server/territory/walk-network';
import { readOptions, whole } from '../lib/args';
import { mulberry32, percentile, summarise } from '../lib/stats';

const {
	side,
	targets: targetCount,
	queries: queryCount,
	warmup
} = readOptions({ side: whole(72, 2), targets: whole(1000), queries: whole(200), warmup: whole(20, 0) });
const random = mulberry32(42);
// About 80 m between crossings, the size of Lecco's blocks.
const STEP_DEG = 0.001;
const origin = { lon: 9.36, lat: 45.82 };

const nodes: NetworkNode[] = [];
for (let row = 0; row < side; row++) {
	for (let col = 0; col < side; col++) {
		nodes.push({ id: row * side + col + 1, lon: origin.lon + (col + (random() - 0.5) * 0.4) * STEP_DEG, lat: origin.lat + (row + (random() - 0.5) * 0.4) * STEP_DEG });
	}
}
const edges: NetworkEdge[] = [];
const link = (a: NetworkNode, b: NetworkNode) => edges.push({ source: a.id, target: b.id, length_m: metresBetween(a, b) });
for (let row = 0; row < side; row++) {
	for (let col = 0; col < side; col++) {
		const here = nodes[row * side + col]!;
		if (col + 1 < side) link(here, nodes[row * side + col + 1]!);
		if (row + 1 < side) link(here, nodes[(row + 1) * side + col]!);
	}
}
const span = (side - 1) * STEP_DEG;
const point = () => ({ lon: origin.lon + random() * span, lat: origin.lat + random() * span });
const targets = Array.from({ length: targetCount }, point);
const froms = Array.from({ length: queryCount + warmup }, point);

const t0 = performance.now();
const network = new WalkNetwork(nodes, edges);
network.routes(froms[0]!, targets.slice(0, 1));
const loadMs = performance.now() - t0;

/** Wall-clock and CPU milliseconds of each query (CPU time: what the query costs, whatever the neighbours do). */
function timed(run: (from: { lon: number; lat: number }) => unknown): { wall: number[]; cpu: number[] } {
	const wall: number[] = [];
	const cpu: number[] = [];
	froms.forEach((from, i) => {
		const start = performance.now();
		const cpuStart = process.cpuUsage();
		run(from);
		const used = process.cpuUsage(cpuStart);
		if (i >= warmup) {
			wall.push(performance.now() - start);
			cpu.push((used.user + used.system) / 1000);
		}
	});
	return { wall, cpu };
}

let routed = 0;
let asked = 0;
const routeTimes = timed((from) => {
	routed += network.routes(from, targets).filter((w) => w !== null).length;
	asked += targets.length;
});
const estimateTimes = timed((from) => targets.map((t) => estimatedWalk(metresBetween(from, t))));

const p95 = percentile(routeTimes.wall, 95);
const cpuP95 = percentile(routeTimes.cpu, 95);
console.info(`Load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs: p95 on a busy machine mostly measures the neighbours.`);
console.info(`Walking network: ${network.size.nodes} nodes, ${network.size.edges} edges; ${targets.length} resources; built and first query in ${loadMs.toFixed(1)} ms`);
console.info(`  routed on the network (one-to-many), wall: ${summarise(routeTimes.wall)}  — ${((routed / asked) * 100).toFixed(1)}% of walks routed`);
console.info(`                                        CPU:  ${summarise(routeTimes.cpu)}`);
console.info(`  baseline, straight-line estimate,    wall: ${summarise(estimateTimes.wall)}`);
console.info(`                                        CPU:  ${summarise(estimateTimes.cpu)}`);
console.info(`  ratio p95 routed ÷ estimate: wall ${(p95 / percentile(estimateTimes.wall, 95)).toFixed(1)}×, CPU ${(cpuP95 / Math.max(0.001, percentile(estimateTimes.cpu, 95))).toFixed(1)}×`);
const verdict = (ms: number) => (ms <= 20 && network.size.edges >= 10_000 ? 'met' : 'NOT met');
console.info(`  target: one-to-many p95 ≤ 20 ms at ≥ 10,000 edges → wall ${verdict(p95)} (${p95.toFixed(2)} ms), CPU ${verdict(cpuP95)} (${cpuP95.toFixed(2)} ms)`);
