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
/** Grid cell for the snapping index, in degrees: wider than SNAP_M in both directions up to 60° N. */
const CELL_DEG = 0.003;

type LonLat = { lon: number; lat: number };

export class WalkNetwork {
	private readonly graph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
	private readonly points = new Map<string, LonLat>();
	private readonly grid = new Map<string, string[]>();
	private search: ReturnType<typeof createDijkstraIndexedBrandes> | undefined;
	private indices: Map<string, number> | undefined;

	/** A node's position in the search's index. */
	private indexOf(node: string): number {
		if (!this.indices) this.indices = new Map(this.search!.index.nodes.map((key, i) => [key, i]));
		return this.indices.get(node)!;
	}

	constructor(nodes: territory.NetworkNode[], edges: territory.NetworkEdge[]) {
		for (const n of nodes) {
			const key = String(n.id);
			this.graph.addNode(key);
			this.points.set(key, { lon: n.lon, lat: n.lat });
			const cell = this.cellOf(n);
			const list = this.grid.get(cell);
			if (list) list.push(key);
			else this.grid.set(cell, [key]);
		}
		for (const e of edges) this.graph.mergeEdge(String(e.source), String(e.target), { length: e.length_m });
	}

	get size(): { nodes: number; edges: number } {
		return { nodes: this.graph.order, edges: this.graph.size };
	}

	private cellOf(p: LonLat, dx = 0, dy = 0): string {
		return `${Math.floor(p.lon / CELL_DEG) + dx}:${Math.floor(p.lat / CELL_DEG) + dy}`;
	}

	/** The nearest node within SNAP_M and how far it is, or null. */
	snap(p: LonLat): { node: string; metres: number } | null {
		let best: { node: string; metres: number } | null = null;
		for (let dx = -1; dx <= 1; dx++) {
			for (let dy = -1; dy <= 1; dy++) {
				for (const node of this.grid.get(this.cellOf(p, dx, dy)) ?? []) {
					const metres = metresBetween(p, this.points.get(node)!);
					// Ties go to the smaller id, so the answer does not depend on the load order.
					if (metres <= SNAP_M && (!best || metres < best.metres || (metres === best.metres && Number(node) < Number(best.node)))) best = { node, metres };
				}
			}
		}
		return best;
	}

	/**
	 * Route lengths in metres from `source` to every node it reaches, by node index. The Dijkstra is
	 * graphology-shortest-path's indexed Brandes: it gives the reached nodes in order of distance
	 * with their predecessors on a shortest path, so a node's length is its first predecessor's plus
	 * the edge between them (read from the same neighbourhood index the search used).
	 */
	lengthsFrom(source: string): Float64Array {
		this.search ??= createDijkstraIndexedBrandes(this.graph, 'length');
		const { neighborhood, weights, starts } = this.search.index;
		const lengths = new Float64Array(this.graph.order).fill(Infinity);
		const from = this.indexOf(source);
		const [order, predecessors] = this.search(from);
		lengths[from] = 0;
		for (let i = 0; i < order.size; i++) {
			const node = order.items[i] as number;
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
			const end = this.snap(t);
			const along = end ? lengths[this.indexOf(end.node)]! : Infinity;
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
		network.catch(() => (cached = null));
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
