/**
 * All-pairs shortest route lengths by Floyd–Warshall: the brute force the walking tests compare the
 * app's Dijkstra searches with (territory imports, planning's walks, the network's many-walks API).
 * O(n³): for the small fixture networks only.
 */
export interface Distances {
	/** Index of each node id in `between`. */
	index: Map<number, number>;
	/** Shortest length between the nodes at two indexes (Infinity when no route joins them). */
	between: (i: number, j: number) => number;
}

export function floydWarshall(nodes: readonly { id: number }[], edges: readonly { source: number; target: number; length_m: number }[]): Distances {
	const index = new Map(nodes.map((n, i) => [n.id, i]));
	const d = nodes.map((_, i) => nodes.map((_, j) => (i === j ? 0 : Infinity)));
	for (const e of edges) {
		const i = index.get(e.source)!, j = index.get(e.target)!;
		d[i]![j] = d[j]![i] = Math.min(d[i]![j]!, e.length_m);
	}
	for (let k = 0; k < nodes.length; k++)
		for (let i = 0; i < nodes.length; i++)
			for (let j = 0; j < nodes.length; j++) if (d[i]![k]! + d[k]![j]! < d[i]![j]!) d[i]![j] = d[i]![k]! + d[k]![j]!;
	return { index, between: (i, j) => d[i]![j]! };
}
