import Graph from 'graphology';
import { createDijkstraIndexedBrandes } from 'graphology-shortest-path/indexed-brandes';
import { estimatedWalk, metresBetween, routeWalk, type Walk } from '../../domain/walking';
import * as territory from '../db/territory';

/**
 * True walking times on the network imported from OpenStreetMap (`npm run import:osm`). The
 * network lives in SQL (walk_node, walk_edge) and is loaded once into a graphology graph in this
 * process, again only after a new import (the import's stamp is read on every call); routes are
 * found in Node with graphology-shortest-path's Dijkstra, so both backends answer alike.
 *
 * A point is on the network when a node lies within {@link SNAP_M}; a walk then is: straight to
 * that node, along the shortest route, straight from the target's node. When the network is
 * missing, or a point is off it, or no route joins the two, the walk is the straight-line estimate
 * (domain/walking.ts), and says so.
 */

/** How far a point may be from the nearest network node (a door from its street). */
export const SNAP_M = 150;
const METRES_PER_DEGREE_LAT = 110_540;
const METRES_PER_DEGREE_LON_AT_EQUATOR = 111_320;
/** Targets' snaps kept (a deployment's resources and stops are a few thousand points). */
const TARGET_SNAPS_KEPT = 50_000;

type LonLat = { lon: number; lat: number };

/**
 * The indexed search and the neighbourhood index it runs on (compact arrays of each node's
 * neighbours and edge weights). The library sets `index` on the search function at run time; its
 * type declarations put it on the factory instead, hence this type.
 */
type IndexedSearch = ReturnType<typeof createDijkstraIndexedBrandes> & {
	index: { nodes: string[]; neighborhood: ArrayLike<number>; weights: ArrayLike<number>; starts: ArrayLike<number> };
};

export class WalkNetwork {
	private readonly graph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
	private readonly search: IndexedSearch;
	/** Node coordinates by the search index's node position. */
	private readonly lons: Float64Array;
	private readonly lats: Float64Array;
	/** Snapping index: grid cells at least SNAP_M wide, so a 3 × 3 block holds every node in reach. */
	private readonly grid = new Map<number, number[]>();
	private readonly cellLon: number;
	private readonly cellLat = SNAP_M / METRES_PER_DEGREE_LAT;
	/** Snaps of the targets asked for: resources and stops, the same points query after query. */
	private readonly targetSnaps = new Map<string, { node: number; metres: number } | null>();

	constructor(nodes: territory.NetworkNode[], edges: territory.NetworkEdge[]) {
		for (const n of nodes) this.graph.addNode(String(n.id), { lon: n.lon, lat: n.lat });
		for (const e of edges) this.graph.mergeEdge(String(e.source), String(e.target), { length: e.length_m });
		this.search = createDijkstraIndexedBrandes(this.graph, 'length') as IndexedSearch;
		const keys = this.search.index.nodes;
		this.lons = new Float64Array(keys.length);
		this.lats = new Float64Array(keys.length);
		const maxLat = nodes.reduce((m, n) => Math.max(m, Math.abs(n.lat)), 0);
		this.cellLon = SNAP_M / (METRES_PER_DEGREE_LON_AT_EQUATOR * Math.max(0.05, Math.cos((Math.min(maxLat, 89) * Math.PI) / 180)));
		keys.forEach((key, i) => {
			const { lon, lat } = this.graph.getNodeAttributes(key) as LonLat;
			this.lons[i] = lon;
			this.lats[i] = lat;
			const cell = this.cellOf(lon, lat);
			const list = this.grid.get(cell);
			if (list) list.push(i);
			else this.grid.set(cell, [i]);
		});
	}

	get size(): { nodes: number; edges: number } {
		return { nodes: this.graph.order, edges: this.graph.size };
	}

	private cellOf(lon: number, lat: number, dx = 0, dy = 0): number {
		// Two cell numbers in one key: far apart enough for any cell on Earth at this size.
		return (Math.floor(lon / this.cellLon) + dx) * 1e7 + Math.floor(lat / this.cellLat) + dy;
	}

	/** The nearest node within SNAP_M (its index) and how far it is, or null. */
	snap(p: LonLat): { node: number; metres: number } | null {
		// Candidates compared on a local flat projection (cheap), the winner measured exactly.
		const kx = Math.cos((p.lat * Math.PI) / 180);
		let best = -1;
		let bestSq = Infinity;
		for (let dx = -1; dx <= 1; dx++) {
			for (let dy = -1; dy <= 1; dy++) {
				for (const i of this.grid.get(this.cellOf(p.lon, p.lat, dx, dy)) ?? []) {
					const x = (this.lons[i]! - p.lon) * kx, y = this.lats[i]! - p.lat;
					const sq = x * x + y * y;
					// Ties go to the lower index (the node order of the load), not to the scan order.
					if (sq < bestSq || (sq === bestSq && i < best)) {
						best = i;
						bestSq = sq;
					}
				}
			}
		}
		if (best < 0) return null;
		const metres = metresBetween(p, { lon: this.lons[best]!, lat: this.lats[best]! });
		return metres <= SNAP_M ? { node: best, metres } : null;
	}

	private snapTarget(p: LonLat): { node: number; metres: number } | null {
		const key = `${p.lon},${p.lat}`;
		let found = this.targetSnaps.get(key);
		if (found === undefined) {
			if (this.targetSnaps.size >= TARGET_SNAPS_KEPT) this.targetSnaps.clear();
			found = this.snap(p);
			this.targetSnaps.set(key, found);
		}
		return found;
	}

	/**
	 * Route lengths in metres from `source` to every node it reaches, by node index. The Dijkstra is
	 * graphology-shortest-path's indexed Brandes: it gives the reached nodes in order of distance
	 * with their predecessors on a shortest path, so a node's length is its first predecessor's plus
	 * the edge between them (read from the same neighbourhood index the search used).
	 */
	lengthsFrom(from: number): Float64Array {
		const { neighborhood, weights, starts } = this.search.index;
		const lengths = new Float64Array(this.graph.order).fill(Infinity);
		const [order, predecessors] = this.search(from);
		lengths[from] = 0;
		for (let i = 0; i < order.size; i++) {
			// FixedStack's items in push order: nearest first.
			const node = (order as unknown as { items: ArrayLike<number> }).items[i]!;
			if (node === from) continue;
			const before = predecessors[node]![0]!;
			let edge = Infinity;
			for (let j = starts[before]!; j < starts[before + 1]!; j++) if (neighborhood[j] === node) edge = Math.min(edge, weights[j]!);
			lengths[node] = lengths[before]! + edge;
		}
		// The search keeps its stack between calls: empty it for the next one.
		order.clear();
		return lengths;
	}

	/** From `from` to each target: the route walk, or null where the network does not join them. */
	routes(from: LonLat, targets: LonLat[]): (Walk | null)[] {
		const start = this.snap(from);
		if (!start || targets.length === 0) return targets.map(() => null);
		const lengths = this.lengthsFrom(start.node);
		return targets.map((t) => {
			const end = this.snapTarget(t);
			const along = end ? lengths[end.node]! : Infinity;
			return end && along !== Infinity ? routeWalk(start.metres + along + end.metres) : null;
		});
	}
}

let cached: { stamp: string; network: Promise<WalkNetwork> } | null = null;

/** The imported network (loaded after each new import), or null when none was imported. */
export async function current(): Promise<WalkNetwork | null> {
	const stamp = await territory.networkStamp();
	if (!stamp) return null;
	if (cached?.stamp !== stamp) {
		const network = territory.loadNetwork().then(({ nodes, edges }) => new WalkNetwork(nodes, edges));
		// A failed load is retried on the next call rather than remembered.
		network.catch(() => {
			if (cached?.network === network) cached = null;
		});
		cached = { stamp, network };
	}
	return cached.network;
}

export interface WalkTarget extends LonLat {
	/** Straight-line metres (the database's spheroid distance), for the estimate. */
	straightM: number;
	/** A confidential place's point is its rione's centre: never routed to, only estimated. */
	approximate?: boolean;
}

/** The one walking function of the app: from `from` to each target, routed where the network allows. */
export async function walks(from: LonLat, targets: WalkTarget[]): Promise<Walk[]> {
	const network = await current();
	const routable = targets.filter((t) => !t.approximate);
	const routed = network ? network.routes(from, routable) : routable.map(() => null);
	let i = 0;
	return targets.map((t) => (t.approximate ? estimatedWalk(t.straightM) : (routed[i++] ?? estimatedWalk(t.straightM))));
}

/** Whether a network is imported (matching then widens its search: routes can be shorter than the estimate). */
export async function hasNetwork(): Promise<boolean> {
	return (await territory.networkStamp()) !== null;
}
