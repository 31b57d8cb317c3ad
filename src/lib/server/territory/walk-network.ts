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
 *
 * Matching and the resource page ask for one point's walks to some targets ({@link walks});
 * planning's coverage asks for many at once by the same rule: every walk within 20 minutes from
 * each pin's location to each grid cell ({@link WalkNetwork.walksWithin}, one Dijkstra per location
 * cut at the limit) and each cell's shortest walk from a need's pins
 * ({@link WalkNetwork.nearestWalks}, one multi-source Dijkstra).
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
	/** Each node's connected piece of the network (by index): a route joins two nodes of the same one. */
	private readonly component: Int32Array;

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
		this.component = this.components();
	}

	/** Labels each node with its connected piece (breadth-first over the search's own index). */
	private components(): Int32Array {
		const { neighborhood, starts } = this.search.index;
		const label = new Int32Array(this.graph.order).fill(-1);
		const queue = new Int32Array(this.graph.order);
		let next = 0;
		for (let root = 0; root < label.length; root++) {
			if (label[root] !== -1) continue;
			let head = 0, tail = 0;
			queue[tail++] = root;
			label[root] = next;
			while (head < tail) {
				const node = queue[head++]!;
				for (let j = starts[node]!; j < starts[node + 1]!; j++) {
					const other = neighborhood[j]!;
					if (label[other] === -1) {
						label[other] = next;
						queue[tail++] = other;
					}
				}
			}
			next++;
		}
		return label;
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

	/**
	 * Many places prepared for many walks (planning's grid cells): each snapped once, and bucketed
	 * for the walks that fall back to the estimate.
	 */
	places(points: LonLat[]): PlaceSet {
		return new PlaceSet(points, (p) => this.snap(p));
	}

	/** Whether the walk between a source and a place follows a route (else it is the estimate). */
	private routable(source: Snapped, place: Snapped): boolean {
		return source.node >= 0 && place.node >= 0 && this.component[source.node] === this.component[place.node];
	}

	private snapped(p: WalkPoint): Snapped {
		if (p.approximate) return { node: -1, metres: 0 };
		const s = this.snapTarget(p);
		return s ?? { node: -1, metres: 0 };
	}

	/**
	 * Network lengths from several sources at once (a multi-source Dijkstra: as if a virtual node
	 * were joined to each source's node by an edge as long as its snap), up to `limitM`: the nodes
	 * beyond are left at Infinity. graphology-shortest-path's Dijkstra starts from one node and
	 * always runs to the end; this one runs on the same neighbourhood index, with a binary heap.
	 * Returns the lengths by node index and the nodes reached.
	 */
	lengthsFromMany(sources: { node: number; metres: number }[], limitM = Infinity): { lengths: Float64Array; reached: number[] } {
		const { neighborhood, weights, starts } = this.search.index;
		const lengths = new Float64Array(this.graph.order).fill(Infinity);
		const reached: number[] = [];
		const heap = new MinHeap();
		for (const s of sources) {
			if (s.metres < lengths[s.node]! && s.metres <= limitM) {
				lengths[s.node] = s.metres;
				heap.push(s.metres, s.node);
			}
		}
		const done = new Uint8Array(this.graph.order);
		while (heap.size > 0) {
			const [length, node] = heap.pop();
			if (done[node] || length > lengths[node]!) continue;
			done[node] = 1;
			reached.push(node);
			for (let j = starts[node]!; j < starts[node + 1]!; j++) {
				const other = neighborhood[j]!;
				const through = length + weights[j]!;
				if (through < lengths[other]! && through <= limitM) {
					lengths[other] = through;
					heap.push(through, other);
				}
			}
		}
		return { lengths, reached };
	}

	/**
	 * Every walk of at most `limitM` metres from a source to a place, by the one walking rule of
	 * {@link walks}: along the network (straight to the source's node, the shortest route, straight
	 * from the place's node) where both are on it and a route joins them, else the straight-line
	 * estimate of domain/walking.ts. A confidential source (`approximate`) is only estimated.
	 * One Dijkstra per source, cut at `limitM`.
	 */
	walksWithin(sources: WalkPoint[], places: PlaceSet, limitM: number): { source: number; place: number; metres: number }[] {
		const out: { source: number; place: number; metres: number }[] = [];
		sources.forEach((source, s) => {
			const from = this.snapped(source);
			if (from.node >= 0) {
				const { lengths, reached } = this.lengthsFromMany([from], limitM);
				for (const node of reached) {
					for (const place of places.atNode(node)) {
						const metres = lengths[node]! + places.snapM[place]!;
						if (metres <= limitM) out.push({ source: s, place, metres });
					}
				}
			}
			// The estimate for the places no route joins to this source.
			for (const place of places.near(source, straightLineOf(limitM))) {
				if (this.routable(from, places.snap(place))) continue;
				const metres = estimatedWalk(metresBetween(source, places.point(place))).metres;
				if (metres <= limitM) out.push({ source: s, place, metres });
			}
		});
		return out;
	}

	/**
	 * For each place, the metres of the shortest walk from any source (Infinity without sources),
	 * by the same rule as {@link walksWithin}: one multi-source Dijkstra for the routes, the
	 * estimate from the sources no route joins to the place.
	 */
	nearestWalks(sources: WalkPoint[], places: PlaceSet): Float64Array {
		const snaps = sources.map((p) => this.snapped(p));
		const { lengths } = this.lengthsFromMany(snaps.filter((s) => s.node >= 0));
		// The sources off the network are estimated from every place, all of them from a place off
		// it: the nearest by the straight line (the estimate grows with it), found on a grid index.
		// The sources on it are estimated only from the places on another piece of it (usually
		// none: one piece holds every source), compared one by one.
		const offNetwork = snaps.flatMap((from, s) => (from.node < 0 ? [s] : []));
		const onNetwork = snaps.flatMap((from, s) => (from.node >= 0 ? [s] : []));
		const offIndex = new StraightIndex(offNetwork.map((s) => sources[s]!));
		const allIndex = new StraightIndex(sources);
		const pieces = new Set(onNetwork.map((s) => this.component[snaps[s]!.node]));
		const best = new Float64Array(places.size).fill(Infinity);
		for (let place = 0; place < places.size; place++) {
			const at = places.snap(place);
			const here = places.point(place);
			let straight: number;
			if (at.node >= 0) {
				best[place] = lengths[at.node]! + at.metres;
				straight = offIndex.nearest(here);
				const piece = this.component[at.node];
				if (pieces.size > 1 || !pieces.has(piece!)) {
					for (const s of onNetwork) if (this.component[snaps[s]!.node] !== piece) straight = Math.min(straight, metresBetween(here, sources[s]!));
				}
			} else straight = allIndex.nearest(here);
			if (straight < Infinity) best[place] = Math.min(best[place]!, estimatedWalk(straight).metres);
		}
		return best;
	}
}

/**
 * Points on a grid of cells about 500 m a side, for the nearest by the straight line: rings of
 * cells around the point until no unseen cell can hold a nearer one.
 */
class StraightIndex {
	private readonly cells = new Map<number, LonLat[]>();
	private readonly cellLat = 500 / METRES_PER_DEGREE_LAT;
	private readonly cellLon: number;
	private readonly rows: [number, number] = [Infinity, -Infinity];
	private readonly cols: [number, number] = [Infinity, -Infinity];

	constructor(points: LonLat[]) {
		const maxLat = points.reduce((m, p) => Math.max(m, Math.abs(p.lat)), 0);
		this.cellLon = 500 / (METRES_PER_DEGREE_LON_AT_EQUATOR * Math.max(0.05, Math.cos((Math.min(maxLat, 89) * Math.PI) / 180)));
		for (const p of points) {
			const col = Math.floor(p.lon / this.cellLon), row = Math.floor(p.lat / this.cellLat);
			this.cols[0] = Math.min(this.cols[0], col);
			this.cols[1] = Math.max(this.cols[1], col);
			this.rows[0] = Math.min(this.rows[0], row);
			this.rows[1] = Math.max(this.rows[1], row);
			const key = col * 1e7 + row;
			const list = this.cells.get(key);
			if (list) list.push(p);
			else this.cells.set(key, [p]);
		}
	}

	/** Metres to the nearest point (Infinity when there are none). */
	nearest(p: LonLat): number {
		if (this.cells.size === 0) return Infinity;
		const col = Math.floor(p.lon / this.cellLon), row = Math.floor(p.lat / this.cellLat);
		// Rings far enough to reach every cell, and a cell side of at least 450 m (the degrees are
		// sized with approximate metres per degree: a cell's true side is within 1 % of 500 m).
		const last = Math.max(col - this.cols[0], this.cols[1] - col, row - this.rows[0], this.rows[1] - row);
		let best = Infinity;
		const visit = (dx: number, dy: number) => {
			for (const q of this.cells.get((col + dx) * 1e7 + row + dy) ?? []) best = Math.min(best, metresBetween(p, q));
		};
		for (let ring = 0; ring <= last; ring++) {
			// The ring's cells only: its top and bottom rows, then the sides between them.
			for (let dx = -ring; dx <= ring; dx++) {
				visit(dx, -ring);
				if (ring > 0) visit(dx, ring);
			}
			for (let dy = -ring + 1; dy <= ring - 1; dy++) {
				visit(-ring, dy);
				visit(ring, dy);
			}
			// Every point in a cell beyond this ring is at least `ring` whole cells away.
			if (best <= ring * 450) break;
		}
		return best;
	}
}

type Snapped = { node: number; metres: number };

/** A point walked from: a confidential place's point is its rione's centre, never routed to. */
export interface WalkPoint extends LonLat {
	approximate?: boolean;
}

/** The straight line whose estimate walks `walkedM` metres (the estimate's inverse). */
function straightLineOf(walkedM: number): number {
	return walkedM / estimatedWalk(1).metres;
}

/** Places snapped to the network once, indexed by node and by a coarse grid (for the estimate). */
export class PlaceSet {
	readonly size: number;
	readonly snapM: Float64Array;
	private readonly nodes: Int32Array;
	private readonly lons: Float64Array;
	private readonly lats: Float64Array;
	private readonly byNode = new Map<number, number[]>();
	private readonly buckets = new Map<number, number[]>();
	/** Bucket side: about 500 m. */
	private readonly cellLat = 500 / METRES_PER_DEGREE_LAT;
	private readonly cellLon: number;

	constructor(points: LonLat[], snap: (p: LonLat) => Snapped | null) {
		this.size = points.length;
		this.snapM = new Float64Array(points.length);
		this.nodes = new Int32Array(points.length).fill(-1);
		this.lons = Float64Array.from(points, (p) => p.lon);
		this.lats = Float64Array.from(points, (p) => p.lat);
		const maxLat = points.reduce((m, p) => Math.max(m, Math.abs(p.lat)), 0);
		this.cellLon = 500 / (METRES_PER_DEGREE_LON_AT_EQUATOR * Math.max(0.05, Math.cos((Math.min(maxLat, 89) * Math.PI) / 180)));
		points.forEach((p, i) => {
			const s = snap(p);
			if (s) {
				this.nodes[i] = s.node;
				this.snapM[i] = s.metres;
				const list = this.byNode.get(s.node);
				if (list) list.push(i);
				else this.byNode.set(s.node, [i]);
			}
			const key = this.bucketOf(p.lon, p.lat);
			const list = this.buckets.get(key);
			if (list) list.push(i);
			else this.buckets.set(key, [i]);
		});
	}

	private bucketOf(lon: number, lat: number, dx = 0, dy = 0): number {
		return (Math.floor(lon / this.cellLon) + dx) * 1e7 + Math.floor(lat / this.cellLat) + dy;
	}

	point(i: number): LonLat {
		return { lon: this.lons[i]!, lat: this.lats[i]! };
	}

	snap(i: number): Snapped {
		return { node: this.nodes[i]!, metres: this.snapM[i]! };
	}

	atNode(node: number): readonly number[] {
		return this.byNode.get(node) ?? [];
	}

	/** The places in the buckets around `p` that may lie within `metres` of it (a superset). */
	near(p: LonLat, metres: number): number[] {
		// The buckets' sides are at least 500 m (longitude cells are sized at the largest latitude).
		const rings = Math.ceil(metres / 500);
		const out: number[] = [];
		for (let dx = -rings; dx <= rings; dx++)
			for (let dy = -rings; dy <= rings; dy++) for (const i of this.buckets.get(this.bucketOf(p.lon, p.lat, dx, dy)) ?? []) out.push(i);
		return out;
	}
}

/** A binary min-heap of (length, node), duplicates allowed (stale entries are skipped on pop). */
class MinHeap {
	private keys: number[] = [];
	private values: number[] = [];

	get size(): number {
		return this.keys.length;
	}

	push(key: number, value: number): void {
		const { keys, values } = this;
		let i = keys.length;
		keys.push(key);
		values.push(value);
		while (i > 0) {
			const parent = (i - 1) >> 1;
			if (keys[parent]! <= key) break;
			keys[i] = keys[parent]!;
			values[i] = values[parent]!;
			i = parent;
		}
		keys[i] = key;
		values[i] = value;
	}

	pop(): [number, number] {
		const { keys, values } = this;
		const top: [number, number] = [keys[0]!, values[0]!];
		const lastKey = keys.pop()!;
		const lastValue = values.pop()!;
		const n = keys.length;
		if (n > 0) {
			let i = 0;
			for (;;) {
				let child = 2 * i + 1;
				if (child >= n) break;
				if (child + 1 < n && keys[child + 1]! < keys[child]!) child++;
				if (keys[child]! >= lastKey) break;
				keys[i] = keys[child]!;
				values[i] = values[child]!;
				i = child;
			}
			keys[i] = lastKey;
			values[i] = lastValue;
		}
		return top;
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
