/**
 * Statistical disclosure control for the planners' demand figures (households with a need in
 * support plans, households turned away for lack of capacity), by rione. Pure: no I/O, so the
 * rules are tested exhaustively on random tables (tests/unit/disclosure.test.ts).
 *
 * What is published: a count per rione and a city total per *view* (a filter a planner can choose,
 * e.g. plans active now, plans active in the last 12 months). A published count is the true count
 * rounded to the nearest 5, and only when the true count is at least 5; anything else is shown as
 * "< 5" (null, suppressed).
 *
 * Why threshold and rounding alone are not enough. Every published number is a sum of households,
 * and a planner can add and subtract them. The city total minus the published rioni gives the sum of
 * the suppressed ones (plus the households with no rione): if that is 3, three households have been
 * singled out although each of their cells said "< 5". Two nested views (active now ⊆ active in the
 * last 12 months) published with 12 and 14 in the same rione say that 2 households there have plans
 * that ended recently. Rounding blurs one number, but not reliably a difference (12 → 10, 14 → 15:
 * the difference 5 already says "a few"; 12 and 13 on a later day become 10 and 15), and the pages
 * and the API give every view, so all of them must be safe together.
 *
 * The rule we enforce: every group of households whose size can be computed from the published
 * numbers with additions and subtractions has 0 or at least 5 members — assuming, to be safe, that
 * the planner knew the exact (unrounded) value of every published number. The groups a planner can
 * reach are built from these pieces; each rule below keeps one of them at 0 or ≥ 5:
 *
 *  R1  a cell or a total is published only if its true count is ≥ 5.
 *  R2  within a view, when its total is published: total − published cells (the suppressed rioni and
 *      the households without a rione together) must be 0 or ≥ 5; otherwise suppress the smallest
 *      published cell as well (complementary suppression), or the total when none is left.
 *  For every pair of views `narrow ⊆ wide` (every household of the narrow view is in the wide one):
 *  R3  a rione published in both: wide − narrow must be 0 or ≥ 5, else the wide cell is suppressed;
 *      both totals published: likewise for the totals, else the wide total is suppressed.
 *  R4  both totals published: (wide total − narrow total) − Σ (wide − narrow) over the rioni
 *      published in both = the households in the wide view only, in the other rioni and without a
 *      rione: 0 or ≥ 5, else suppress the wide cell with the smallest difference ≥ 5, or the total.
 *  R5  wide total published: wide total − published wide cells − for each rione suppressed there the
 *      largest narrower cell published = what is left unaccounted in the wide view: 0 or ≥ 5, else
 *      suppress one more wide cell that adds ≥ 5 to it, or the wide total.
 * Suppressing one number can break another rule, so the rules run again until nothing changes (a
 * fixpoint: each step only suppresses, so it ends). For a chain of nested views (2 or 3: the tests
 * pass with the guard below switched off) the rules alone keep the promise. Views that are not a
 * chain — demand and unmet demand together: unmet ⊆ demand in each period, each measure nested across periods — allow combinations the
 * pairwise rules miss, so a guard follows them: it searches every combination of published numbers
 * with coefficients −1, 0, 1 for a group of 1–4 households and, while it finds one, suppresses the
 * largest total it uses (or, for cells alone, the largest cell) and runs the rules again.
 *
 * Everything runs over all views at once, in sorted order, so the answer is a function of the
 * counts alone: the same whichever view is asked for first. The tests check the promise itself with
 * oracles written apart from these rules: the ±1 search on tables of up to 16 rioni, and on small
 * tables every combination in the linear span of the published numbers.
 */

/** Fewest households a published number (and any group computable from published numbers) may describe. */
export const THRESHOLD = 5;
/** Published counts are rounded to the nearest multiple of this. */
export const ROUNDING = 5;

/** `[narrow, wide]`: every household of view `narrow` is in view `wide`. */
export type Containment = readonly [string, string];

/**
 * The true counts, as atoms: households of one rione that belong to exactly the same views. A
 * membership is the sorted list of those views joined by `+` (see `membership`); it must be
 * closed under the containments (a household in a narrow view is in the wide one).
 */
export interface Atoms {
	/** Rione name → membership → households. Every rione a view can show appears, even if empty. */
	rioni: Record<string, Record<string, number>>;
	/** Households with no rione (membership → households): they count in the city totals only. */
	unplaced: Record<string, number>;
}

/** A published number: the rounded count, or null when suppressed ("< 5"). */
export interface Published {
	value: number | null;
	suppressed: boolean;
}

export interface ProtectedView {
	cells: Record<string, Published>;
	total: Published;
}

/** Which numbers are published: `cells[view][rione]` and `totals[view]`. */
export interface Pattern {
	cells: Record<string, Record<string, boolean>>;
	totals: Record<string, boolean>;
}

/** Every pair (earlier, later) of a list of views ordered from the narrowest to the widest. */
export function chain(views: readonly string[]): Containment[] {
	const pairs: Containment[] = [];
	for (let i = 0; i < views.length; i++) for (let j = i + 1; j < views.length; j++) pairs.push([views[i]!, views[j]!]);
	return pairs;
}

/** The membership key of a household in these views. */
export function membership(views: Iterable<string>): string {
	return [...new Set(views)].sort().join('+');
}

/**
 * Atoms from cumulative counts of a chain of views (narrowest first), where each view's counts
 * include the narrower ones': the households new in each view form one atom per rione.
 */
export function atomsFromChain(order: readonly string[], counts: Record<string, { cells: Record<string, number>; unplaced: number }>): Atoms {
	const layer = (get: (view: string) => number) => {
		const out: Record<string, number> = {};
		order.forEach((view, i) => {
			const n = get(view) - (i === 0 ? 0 : get(order[i - 1]!));
			if (n < 0) throw new Error(`disclosure: ${order[i - 1]} is not contained in ${view}`);
			out[membership(order.slice(i))] = n;
		});
		return out;
	};
	const rioni = Object.keys(counts[order[0]!]?.cells ?? {});
	return {
		rioni: Object.fromEntries(rioni.map((r) => [r, layer((v) => counts[v]!.cells[r] ?? 0)])),
		unplaced: layer((v) => counts[v]!.unplaced)
	};
}

/** A true count as published: a multiple of 5 (integers never fall half-way). */
export function roundCount(count: number): number {
	return Math.round(count / ROUNDING) * ROUNDING;
}

/** 0 or at least the threshold: a group of that size singles nobody out. */
export function safeSize(count: number): boolean {
	return count === 0 || count >= THRESHOLD;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Table {
	views: string[];
	pairs: Containment[];
	rioni: string[];
	/** Memberships present, each as a set of views. */
	kinds: { key: string; views: Set<string> }[];
	atoms: Atoms;
	cell: (view: string, rione: string) => number;
	total: (view: string) => number;
}

function table(views: readonly string[], pairs: readonly Containment[], atoms: Atoms): Table {
	const names = [...new Set(views)].sort(byName);
	if (names.length === 0) throw new Error('disclosure: no views');
	for (const [n, w] of pairs) if (!names.includes(n) || !names.includes(w)) throw new Error(`disclosure: unknown view in ${n} ⊆ ${w}`);
	const keys = new Set<string>();
	for (const group of [...Object.values(atoms.rioni), atoms.unplaced]) {
		for (const [key, n] of Object.entries(group)) {
			if (!Number.isInteger(n) || n < 0) throw new Error('disclosure: a count that is not a whole number ≥ 0');
			keys.add(key);
		}
	}
	const kinds = [...keys].sort(byName).map((key) => {
		const set = new Set(key.split('+'));
		for (const v of set) if (!names.includes(v)) throw new Error(`disclosure: unknown view ${v}`);
		for (const [n, w] of pairs) if (set.has(n) && !set.has(w)) throw new Error(`disclosure: ${n} is not contained in ${w}`);
		return { key, views: set };
	});
	const sum = (group: Record<string, number>, view: string) => kinds.reduce((acc, k) => acc + (k.views.has(view) ? (group[k.key] ?? 0) : 0), 0);
	const totals = new Map(names.map((v) => [v, Object.values(atoms.rioni).reduce((acc, g) => acc + sum(g, v), sum(atoms.unplaced, v))]));
	const cells = new Map(Object.entries(atoms.rioni).flatMap(([r, g]) => names.map((v) => [`${v}\u0000${r}`, sum(g, v)] as const)));
	return {
		views: names,
		// Sorted, like the views and rioni: the order things arrive in changes nothing.
		pairs: [...pairs].sort((a, b) => byName(a.join('\u0000'), b.join('\u0000'))),
		rioni: Object.keys(atoms.rioni).sort(byName),
		kinds,
		atoms,
		cell: (v, r) => cells.get(`${v}\u0000${r}`) ?? 0,
		total: (v) => totals.get(v)!
	};
}

/** The smallest candidate (by its amount, then rione name), or undefined. */
function smallest(candidates: { rione: string; amount: number }[]) {
	return candidates.sort((a, b) => a.amount - b.amount || byName(a.rione, b.rione))[0];
}

/** R2–R5, one suppression at a time; true when something changed. */
function ruleStep(t: Table, p: Pattern): boolean {
	const { cell, total, rioni } = t;
	for (const v of t.views) {
		if (!p.totals[v]) continue;
		// R2: complementary suppression within the view.
		const residual = total(v) - rioni.reduce((sum, r) => sum + (p.cells[v]![r] ? cell(v, r) : 0), 0);
		if (safeSize(residual)) continue;
		const pick = smallest(rioni.filter((r) => p.cells[v]![r]).map((r) => ({ rione: r, amount: cell(v, r) })));
		if (pick) p.cells[v]![pick.rione] = false;
		else p.totals[v] = false;
		return true;
	}
	for (const [n, w] of t.pairs) {
		// R3: cells, then totals.
		for (const r of rioni) {
			if (p.cells[n]![r] && p.cells[w]![r] && !safeSize(cell(w, r) - cell(n, r))) {
				p.cells[w]![r] = false;
				return true;
			}
		}
		if (p.totals[n] && p.totals[w] && !safeSize(total(w) - total(n))) {
			p.totals[w] = false;
			return true;
		}
		// R4: the wide view's own households outside the rioni published in both.
		if (p.totals[n] && p.totals[w]) {
			const both = rioni.filter((r) => p.cells[n]![r] && p.cells[w]![r]);
			const rest = total(w) - total(n) - both.reduce((sum, r) => sum + cell(w, r) - cell(n, r), 0);
			if (!safeSize(rest)) {
				const pick = smallest(both.map((r) => ({ rione: r, amount: cell(w, r) - cell(n, r) })).filter((c) => c.amount >= THRESHOLD));
				if (pick) p.cells[w]![pick.rione] = false;
				else p.totals[w] = false;
				return true;
			}
		}
	}
	// R5: a wide total less what every rione gives away (its wide cell, or the largest narrower one).
	for (const w of t.views) {
		if (!p.totals[w]) continue;
		const narrower = t.pairs.filter(([, wide]) => wide === w).map(([n]) => n);
		const known = (r: string) => (p.cells[w]![r] ? cell(w, r) : Math.max(0, ...narrower.filter((n) => p.cells[n]![r]).map((n) => cell(n, r))));
		const rest = rioni.reduce((sum, r) => sum - known(r), total(w));
		if (safeSize(rest)) continue;
		// Suppressing a wide cell adds to `rest` what it gave away beyond the narrower cells.
		const gain = (r: string) => cell(w, r) - Math.max(0, ...narrower.filter((n) => p.cells[n]![r]).map((n) => cell(n, r)));
		const pick = smallest(rioni.filter((r) => p.cells[w]![r]).map((r) => ({ rione: r, amount: gain(r) })).filter((c) => c.amount >= THRESHOLD));
		if (pick) p.cells[w]![pick.rione] = false;
		else p.totals[w] = false;
		return true;
	}
	return false;
}

const UNIT = [-1, 0, 1] as const;
const choiceCache: number[][][] = [[[]]];
/** Every vector of `n` coefficients −1, 0, 1 (3^n of them; n is the number of views, a handful). */
function unitChoices(n: number): number[][] {
	for (let k = choiceCache.length; k <= n; k++) choiceCache.push(choiceCache[k - 1]!.flatMap((c) => UNIT.map((x) => [...c, x])));
	return choiceCache[n]!;
}

/** What the guard suppresses next: the widest total involved, or the largest cell involved. */
type Exposure = { totals: string[] } | { rione: string; cells: string[] };

/**
 * The guard behind the rules: searches every combination of published numbers with coefficients
 * −1, 0 or 1 for one that counts a group of 1–4 households (every atom's coefficient 0 or 1, the
 * group's size 1–4). The totals' coefficients are tried in turn; for each, rioni are independent
 * (a cell involves one rione), so the sizes each rione can add are combined, capped at 5.
 */
function findExposure(t: Table, p: Pattern): Exposure | null {
	const totals = t.views.filter((v) => p.totals[v]);
	const kinds = t.kinds;
	/** Each membership's coefficient from a choice of coefficients on `views` (membership = sum over its views). */
	const contributions = (views: string[], choice: number[]) => kinds.map((k) => views.reduce((sum, v, i) => sum + (k.views.has(v) ? choice[i]! : 0), 0));
	/** The group's size when every coefficient is 0 or 1, else null (not a group of households). */
	const sizeOf = (group: Record<string, number>, base: number[], extra: number[] | null): number | null => {
		let size = 0;
		for (let k = 0; k < kinds.length; k++) {
			const c = base[k]! + (extra ? extra[k]! : 0);
			if (c !== 0 && c !== 1) return null;
			if (c === 1) size += group[kinds[k]!.key] ?? 0;
		}
		return size;
	};
	// Per rione, computed once: its published views and what each choice of cell coefficients adds.
	const perRione = t.rioni.map((r) => {
		const published = t.views.filter((v) => p.cells[v]![r]);
		const choices = unitChoices(published.length).map((gamma) => ({ extra: contributions(published, gamma), cells: published.filter((_, i) => gamma[i] !== 0) }));
		return { r, group: t.atoms.rioni[r]!, choices };
	});
	for (const alpha of unitChoices(totals.length)) {
		const base = contributions(totals, alpha);
		const unplaced = sizeOf(t.atoms.unplaced, base, null);
		if (unplaced === null) continue;
		const cellsOnly = alpha.every((x) => x === 0);
		let reachable = new Set([Math.min(THRESHOLD, unplaced)]);
		let feasible = true;
		for (const { r, group, choices } of perRione) {
			const sizes = new Map<number, string[]>();
			for (const choice of choices) {
				const size = sizeOf(group, base, choice.extra);
				if (size === null) continue;
				const capped = Math.min(THRESHOLD, size);
				if (!sizes.has(capped)) sizes.set(capped, choice.cells);
			}
			if (sizes.size === 0) {
				feasible = false;
				break;
			}
			if (cellsOnly) {
				// Cells alone: a group of 1–4 comes from one rione.
				const bad = [...sizes].find(([n]) => !safeSize(n));
				if (bad) return { rione: r, cells: bad[1] };
			}
			const next = new Set<number>();
			for (const x of reachable) for (const y of sizes.keys()) next.add(Math.min(THRESHOLD, x + y));
			reachable = next;
		}
		if (feasible && [...reachable].some((n) => !safeSize(n))) return { totals: totals.filter((_, i) => alpha[i] !== 0) };
	}
	return null;
}

/**
 * Which numbers may be published: R1, then R2–R5 to a fixpoint, then the guard (`findExposure`):
 * while some ±1 combination still isolates 1–4 households, suppress the largest total it uses (or,
 * for cells alone, the largest cell) and run the rules again. Views, pairs and rioni are visited in
 * sorted order, so the answer depends on the counts alone.
 */
export function suppressionPattern(views: readonly string[], pairs: readonly Containment[], atoms: Atoms): Pattern {
	const t = table(views, pairs, atoms);
	const p: Pattern = {
		cells: Object.fromEntries(t.views.map((v) => [v, Object.fromEntries(t.rioni.map((r) => [r, t.cell(v, r) >= THRESHOLD]))])),
		totals: Object.fromEntries(t.views.map((v) => [v, t.total(v) >= THRESHOLD]))
	};
	for (;;) {
		while (ruleStep(t, p));
		const exposure = findExposure(t, p);
		if (!exposure) return p;
		if ('totals' in exposure) {
			const widest = [...exposure.totals].sort((a, b) => t.total(b) - t.total(a) || byName(a, b))[0]!;
			p.totals[widest] = false;
		} else {
			const largest = [...exposure.cells].sort((a, b) => t.cell(b, exposure.rione) - t.cell(a, exposure.rione) || byName(a, b))[0]!;
			p.cells[largest]![exposure.rione] = false;
		}
	}
}

/**
 * The published figures of every view: rounded counts where the pattern allows, null and
 * `suppressed` elsewhere. Give every view a planner can ask for in one call.
 */
export function protect(views: readonly string[], pairs: readonly Containment[], atoms: Atoms): Record<string, ProtectedView> {
	const t = table(views, pairs, atoms);
	const p = suppressionPattern(views, pairs, atoms);
	const shown = (count: number, published: boolean): Published => (published ? { value: roundCount(count), suppressed: false } : { value: null, suppressed: true });
	return Object.fromEntries(
		t.views.map((v) => [
			v,
			{
				cells: Object.fromEntries(t.rioni.map((r) => [r, shown(t.cell(v, r), p.cells[v]![r]!)])),
				total: shown(t.total(v), p.totals[v]!)
			}
		])
	);
}

/**
 * Demand per resource (a published demand ÷ the resources offering the need): never from a
 * suppressed count, and null without resources (no ratio to a zero supply). One decimal.
 */
export function demandPerResource(demand: Published, resources: number): number | null {
	if (demand.suppressed || demand.value === null || resources <= 0) return null;
	return Math.round((demand.value / resources) * 10) / 10;
}

/** The measures of the planners' demand figures: households with a need, and those turned away for lack of capacity. */
export const DEMAND_MEASURES = ['demand', 'unmet'] as const;
export type DemandMeasure = (typeof DEMAND_MEASURES)[number];

/** The view of one measure in one period, e.g. `demand:active`. */
export function demandView(measure: DemandMeasure, period: string): string {
	return `${measure}:${period}`;
}

/**
 * The views of the demand figures and how they nest, for periods listed from the narrowest to the
 * widest (DEMAND_PERIODS): each measure's periods form a chain, and unmet demand in a period is
 * part of the demand in that period and every wider one.
 */
export function demandStructure(periods: readonly string[]): { views: string[]; pairs: Containment[] } {
	const views = DEMAND_MEASURES.flatMap((m) => periods.map((p) => demandView(m, p)));
	const pairs: Containment[] = [...chain(periods.map((p) => demandView('demand', p))), ...chain(periods.map((p) => demandView('unmet', p)))];
	periods.forEach((narrow, i) => periods.slice(i).forEach((wide) => pairs.push([demandView('unmet', narrow), demandView('demand', wide)])));
	return { views, pairs };
}
