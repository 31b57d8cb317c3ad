/** Small helpers for the benchmarks: timing, percentiles and a seeded random number generator. */

/** The p-th percentile (nearest-rank) of `samples`. */
export function percentile(samples: number[], p: number): number {
	if (samples.length === 0) return Number.NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarise(samples: number[]): string {
	const f = (ms: number) => `${ms.toFixed(2)} ms`;
	return `p50 ${f(percentile(samples, 50))}  p95 ${f(percentile(samples, 95))}  max ${f(Math.max(...samples))}  (n=${samples.length})`;
}

/** mulberry32: a tiny deterministic PRNG, so every run draws the same queries. */
export function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Milliseconds `run` takes, from call to settled promise. */
export async function time(run: () => Promise<unknown>): Promise<number> {
	const t0 = performance.now();
	await run();
	return performance.now() - t0;
}

/**
 * Runs `run` on each item one after another: the first `warmup` untimed (caches, plans, JIT), the
 * rest timed. Returns the timings in milliseconds.
 */
export async function timeEach<T>(items: T[], warmup: number, run: (item: T) => Promise<unknown>): Promise<number[]> {
	for (const item of items.slice(0, warmup)) await run(item);
	const times: number[] = [];
	for (const item of items.slice(warmup)) times.push(await time(() => run(item)));
	return times;
}

/**
 * Like {@link timeEach} for several ways of running the items, alternated: at each step every way
 * runs once, so whatever else the machine is doing slows them alike and their ratio stays fair.
 * Each way walks the list from a different starting point, so none runs right after another way
 * ran the same item and finds its pages freshly cached. Every way runs every item once; the first
 * `warmup` steps are untimed. Returns the timings of each way.
 */
export async function timeInterleaved<T, K extends string>(
	items: T[],
	warmup: number,
	ways: Record<K, (item: T) => Promise<unknown>>
): Promise<Record<K, number[]>> {
	const names = Object.keys(ways) as K[];
	const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
	const shift = Math.floor(items.length / names.length);
	for (let step = 0; step < items.length; step++) {
		for (const [index, name] of names.entries()) {
			const item = items[(step + index * shift) % items.length]!;
			const ms = await time(() => ways[name](item));
			if (step >= warmup) times[name].push(ms);
		}
	}
	return times;
}
