import { describe, expect, it } from 'vitest';
import { metresBetween, WALKING_MODEL } from '../../src/lib/domain/walking';
import type { NetworkEdge, NetworkNode } from '../../src/lib/server/db/territory';
import { SNAP_M, WalkNetwork, type WalkPoint } from '../../src/lib/server/territory/walk-network';
import { mulberry32 } from '../../scripts/lib/stats';
import { floydWarshall } from '../setup/floyd-warshall';

// Planning's many walks at once (walksWithin, nearestWalks) against a brute force written apart:
// Floyd–Warshall between every pair of nodes and every place against every source, on a jittered
// street grid with streets missing and a separate island, with sources and places on the network,
// off it, on the island and confidential (approximate: never routed).

const random = mulberry32(2026);
const SIDE = 9;
const STEP = 0.0012;
const origin = { lon: 9.4, lat: 45.84 };
const nodes: NetworkNode[] = [];
for (let row = 0; row < SIDE; row++)
	for (let col = 0; col < SIDE; col++)
		nodes.push({ id: row * SIDE + col + 1, lon: origin.lon + (col + (random() - 0.5) * 0.3) * STEP, lat: origin.lat + (row + (random() - 0.5) * 0.3) * STEP });
const edges: NetworkEdge[] = [];
const link = (a: NetworkNode, b: NetworkNode) => edges.push({ source: Math.min(a.id, b.id), target: Math.max(a.id, b.id), length_m: metresBetween(a, b) });
for (let row = 0; row < SIDE; row++)
	for (let col = 0; col < SIDE; col++) {
		// A fifth of the streets missing: detours.
		if (col + 1 < SIDE && random() > 0.2) link(nodes[row * SIDE + col]!, nodes[row * SIDE + col + 1]!);
		if (row + 1 < SIDE && random() > 0.2) link(nodes[row * SIDE + col]!, nodes[(row + 1) * SIDE + col]!);
	}
// An island: two nodes joined to each other only, east of the grid.
const island = [
	{ id: 1001, lon: origin.lon + (SIDE + 2) * STEP, lat: origin.lat + 2 * STEP },
	{ id: 1002, lon: origin.lon + (SIDE + 2) * STEP, lat: origin.lat + 3 * STEP }
];
nodes.push(...island);
link(island[0]!, island[1]!);

const span = (SIDE + 4) * STEP;
const point = (): WalkPoint => ({ lon: origin.lon - 2 * STEP + random() * span, lat: origin.lat - 2 * STEP + random() * span });
const sources: WalkPoint[] = Array.from({ length: 25 }, (_, i) => ({ ...point(), approximate: i % 7 === 3 }));
const places = Array.from({ length: 300 }, point);

function bruteForce() {
	const { between } = floydWarshall(nodes, edges);
	const snap = (p: WalkPoint) => {
		if (p.approximate) return null;
		let best: { i: number; m: number } | null = null;
		nodes.forEach((n, i) => {
			const m = metresBetween(p, n);
			if (m <= SNAP_M && (best === null || m < best.m)) best = { i, m };
		});
		return best as { i: number; m: number } | null;
	};
	return (source: WalkPoint, place: WalkPoint): { metres: number; routed: boolean } => {
		const a = snap(source), b = snap(place);
		if (a && b && between(a.i, b.i) < Infinity) return { metres: a.m + between(a.i, b.i) + b.m, routed: true };
		return { metres: metresBetween(source, place) * WALKING_MODEL.detourFactor, routed: false };
	};
}

describe('many walks at once on the network', () => {
	const network = new WalkNetwork(nodes, edges);
	const walk = bruteForce();
	const set = network.places(places);
	const expected = sources.map((s) => places.map((p) => walk(s, p)));

	it('the cases are all there: routed, estimated off the network, and between the two pieces', () => {
		const flat = expected.flat();
		expect(flat.filter((w) => w.routed).length).toBeGreaterThan(300);
		expect(flat.filter((w) => !w.routed).length).toBeGreaterThan(300);
		// Some routed walks are longer than the estimate (a detour), some shorter.
		expect(flat.some((w, i) => w.routed && w.metres > metresBetween(sources[Math.floor(i / places.length)]!, places[i % places.length]!) * WALKING_MODEL.detourFactor)).toBe(true);
		expect(flat.some((w, i) => w.routed && w.metres < metresBetween(sources[Math.floor(i / places.length)]!, places[i % places.length]!) * WALKING_MODEL.detourFactor)).toBe(true);
	});

	it('walksWithin gives exactly the walks of at most the limit, each of the brute force’s length', () => {
		for (const limit of [400, 900, 1500]) {
			const found = network.walksWithin(sources, set, limit);
			const got = new Map(found.map((w) => [`${w.source} ${w.place}`, w.metres]));
			expect(got.size, 'no walk twice').toBe(found.length);
			expected.forEach((row, s) =>
				row.forEach((want, p) => {
					const metres = got.get(`${s} ${p}`);
					if (want.metres <= limit - 1e-6) expect(metres, `${s} → ${p}`).toBeCloseTo(want.metres, 6);
					else if (want.metres > limit + 1e-6) expect(metres, `${s} → ${p}`).toBeUndefined();
				})
			);
		}
	});

	it('nearestWalks gives each place its shortest walk from any source', () => {
		const nearest = network.nearestWalks(sources, set);
		places.forEach((_, p) => expect(nearest[p], `place ${p}`).toBeCloseTo(Math.min(...expected.map((row) => row[p]!.metres)), 6));
		expect([...network.nearestWalks([], set)].every((m) => m === Infinity)).toBe(true);
		// One source alone: its walks.
		const one = network.nearestWalks([sources[0]!], set);
		places.forEach((_, p) => expect(one[p]).toBeCloseTo(expected[0]![p]!.metres, 6));
	});
});
