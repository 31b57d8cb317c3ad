import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMAND_PERIODS } from '../../src/lib/domain/planning';
import { atomsFromChain, chain, demandStructure, demandPerResource, membership, protect, roundCount, suppressionPattern, type Atoms as ModuleAtoms, type Containment, type Pattern } from '../../src/lib/domain/disclosure';

/*
 * The promise of disclosure.ts, checked independently of its rules: no group of 1 to 4 households
 * can be computed from the published numbers, even by a planner who knew every published number
 * exactly (before rounding).
 *
 * A table is made of atoms: households of one rione (or without a rione) that belong to exactly
 * the same views. A published cell is the sum of its rione's atoms in that view; a published total
 * the sum of all atoms in that view. A combination of published numbers counts a group of
 * households when it gives every atom the coefficient 0 or 1; that group must have 0 or ≥ 5 members.
 *
 * Attack family (every combination with coefficients −1, 0, 1): a published cell; a total minus
 * published cells; a wider view minus a narrower one, per cell and for the totals; and any sum or
 * difference of those. Searched exactly, rione by rione, on tables of up to 16 rioni. On small
 * tables also every combination with any coefficients (the whole linear span), by enumeration.
 */

interface Structure {
	views: string[];
	pairs: Containment[];
	/** Membership patterns a household can have: sets of views closed under the containments. */
	types: string[][];
}

function structure(views: string[], pairs: Containment[]): Structure {
	const types: string[][] = [];
	for (let mask = 1; mask < 1 << views.length; mask++) {
		const set = views.filter((_, i) => mask & (1 << i));
		if (pairs.every(([n, w]) => !set.includes(n) || set.includes(w))) types.push(set);
	}
	return { views, pairs, types };
}

const CHAIN2 = structure(['active', 'last_12_months'], chain(['active', 'last_12_months']));
const CHAIN3 = structure(['a', 'b', 'c'], chain(['a', 'b', 'c']));
// Demand and unmet demand together, as the service protects them.
const DEMAND = demandStructure(DEMAND_PERIODS);
const DIAMOND = structure(DEMAND.views, DEMAND.pairs);
const UNPLACED = '\u0000unplaced';

/** Atom counts: per rione (and UNPLACED), per type index. */
type Atoms = Record<string, number[]>;

/** The same table in the module's terms: households per rione by membership key. */
function moduleAtoms(s: Structure, atoms: Atoms): ModuleAtoms {
	const group = (counts: number[]) => Object.fromEntries(s.types.map((t, i) => [membership(t), counts[i]!]));
	return {
		rioni: Object.fromEntries(Object.entries(atoms).filter(([r]) => r !== UNPLACED).map(([r, counts]) => [r, group(counts)])),
		unplaced: group(atoms[UNPLACED]!)
	};
}

/** Small counts are the interesting ones: mostly 0–6, sometimes larger. */
const count = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 6 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 30 }) });

function atomsArb(s: Structure, maxRioni: number) {
	return fc.record({
		rioni: fc.array(fc.array(count, { minLength: s.types.length, maxLength: s.types.length }), { minLength: 1, maxLength: maxRioni }),
		unplaced: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 4 }) }), {
			minLength: s.types.length,
			maxLength: s.types.length
		})
	}).map(({ rioni, unplaced }) => {
		const atoms: Atoms = { [UNPLACED]: unplaced };
		rioni.forEach((counts, i) => (atoms[`R${String(i).padStart(2, '0')}`] = counts));
		return atoms;
	});
}

/**
 * The ±1 family, exactly: for each choice of coefficients on the totals, each rione independently
 * picks coefficients on its published cells; the sizes reachable (capped at 5) are combined across
 * rioni. Returns a description of a group of 1–4 households if one is computable.
 */
function exposedByUnitCombinations(s: Structure, atoms: Atoms, pattern: Pattern): string | null {
	const totals = s.views.filter((v) => pattern.totals[v]);
	const choices = (n: number): number[][] => (n === 0 ? [[]] : choices(n - 1).flatMap((c) => [-1, 0, 1].map((x) => [...c, x])));
	for (const alpha of choices(totals.length)) {
		const a = Object.fromEntries(totals.map((v, i) => [v, alpha[i]!]));
		const base = s.types.map((t) => t.reduce((sum, v) => sum + (a[v] ?? 0), 0));
		// Households without a rione take the totals' coefficients only.
		if (base.some((c) => c !== 0 && c !== 1)) continue;
		let reachable = new Set([Math.min(5, base.reduce((sum, c, t) => sum + c * atoms[UNPLACED]![t]!, 0))]);
		let feasible = true;
		for (const [r, counts] of Object.entries(atoms)) {
			if (r === UNPLACED) continue;
			const published = s.views.filter((v) => pattern.cells[v]![r]);
			const sizes = new Set<number>();
			for (const gamma of choices(published.length)) {
				const g = Object.fromEntries(published.map((v, i) => [v, gamma[i]!]));
				const coef = s.types.map((t, i) => base[i]! + t.reduce((sum, v) => sum + (g[v] ?? 0), 0));
				if (coef.every((c) => c === 0 || c === 1)) sizes.add(Math.min(5, coef.reduce<number>((sum, c, t) => sum + c * counts[t]!, 0)));
			}
			if (sizes.size === 0) {
				feasible = false;
				break;
			}
			const next = new Set<number>();
			for (const x of reachable) for (const y of sizes) next.add(Math.min(5, x + y));
			reachable = next;
		}
		if (!feasible) continue;
		const bad = [...reachable].find((n) => n >= 1 && n <= 4);
		if (bad !== undefined) return `totals ${JSON.stringify(a)} give a group of ${bad}`;
	}
	return null;
}

/** Every 0/1 group in the linear span of the published numbers (small tables only). */
function exposedBySpan(s: Structure, atoms: Atoms, pattern: Pattern): string | null {
	const keys = Object.keys(atoms).sort();
	const atomList = keys.flatMap((r) => s.types.map((t, i) => ({ r, t, n: atoms[r]![i]! })));
	const rows: number[][] = [];
	for (const v of s.views) {
		for (const r of keys) if (r !== UNPLACED && pattern.cells[v]![r]) rows.push(atomList.map((x) => (x.r === r && x.t.includes(v) ? 1 : 0)));
		if (pattern.totals[v]) rows.push(atomList.map((x) => (x.t.includes(v) ? 1 : 0)));
	}
	// Row echelon form over the rationals (small integers: floating point with a tolerance is exact enough).
	const basis: { pivot: number; row: number[] }[] = [];
	const reduce = (vector: number[]) => {
		const x = [...vector];
		for (const { pivot, row } of basis) {
			const f = x[pivot]!;
			if (Math.abs(f) > 1e-9) for (let j = 0; j < x.length; j++) x[j]! -= f * row[j]!;
		}
		return x;
	};
	for (const row of rows) {
		const x = reduce(row);
		const pivot = x.findIndex((c) => Math.abs(c) > 1e-9);
		if (pivot < 0) continue;
		const p = x[pivot]!;
		const normalised = x.map((c) => c / p);
		for (const b of basis) {
			const f = b.row[pivot]!;
			if (Math.abs(f) > 1e-9) for (let j = 0; j < b.row.length; j++) b.row[j]! -= f * normalised[j]!;
		}
		basis.push({ pivot, row: normalised });
	}
	for (let mask = 1; mask < 2 ** atomList.length; mask++) {
		const vector = atomList.map((_, i) => (Math.floor(mask / 2 ** i) % 2 === 1 ? 1 : 0));
		const size = atomList.reduce((sum, x, i) => sum + vector[i]! * x.n, 0);
		if (size < 1 || size > 4) continue;
		if (reduce(vector).every((c) => Math.abs(c) < 1e-9)) return `a group of ${size}: ${atomList.filter((_, i) => vector[i]).map((x) => `${x.r}[${x.t.join('+')}]`).join(', ')}`;
	}
	return null;
}

describe('disclosure control', () => {
	it('publishes counts of at least 5, rounded to the nearest 5', () => {
		expect([5, 6, 7, 8, 12, 13, 22, 23].map(roundCount)).toEqual([5, 5, 5, 10, 10, 15, 20, 25]);
		const out = protect(['only'], [], atomsFromChain(['only'], { only: { cells: { A: 4, B: 7, C: 12, D: 30 }, unplaced: 0 } }));
		// A (4) is below the threshold; the total minus the rest would give it away, so B goes too.
		expect(out.only!.cells).toEqual({
			A: { value: null, suppressed: true },
			B: { value: null, suppressed: true },
			C: { value: 10, suppressed: false },
			D: { value: 30, suppressed: false }
		});
		expect(out.only!.total).toEqual({ value: 55, suppressed: false });
	});

	it('suppresses the wider cell when it differs from the narrower one by 1 to 4', () => {
		const order = ['active', 'last_12_months'];
		const out = protect(
			order,
			chain(order),
			atomsFromChain(order, { active: { cells: { A: 10, B: 20, C: 20 }, unplaced: 0 }, last_12_months: { cells: { A: 12, B: 20, C: 20 }, unplaced: 5 } })
		);
		expect(out.active!.cells.A).toEqual({ value: 10, suppressed: false });
		expect(out.last_12_months!.cells.A).toEqual({ value: null, suppressed: true });
		expect(out.last_12_months!.cells.B).toEqual({ value: 20, suppressed: false });
		// The 2 new households of A hide among the 5 new ones without a rione.
		expect(out.last_12_months!.total).toEqual({ value: 55, suppressed: false });
	});

	it('never divides a suppressed count by the supply', () => {
		expect(demandPerResource({ value: 20, suppressed: false }, 4)).toBe(5);
		expect(demandPerResource({ value: 10, suppressed: false }, 3)).toBe(3.3);
		expect(demandPerResource({ value: null, suppressed: true }, 4)).toBeNull();
		expect(demandPerResource({ value: 20, suppressed: false }, 0)).toBeNull();
	});

	it('nests the demand views: each measure across periods, unmet demand within demand', () => {
		expect(DEMAND.views).toEqual(['demand:active', 'demand:last_12_months', 'unmet:active', 'unmet:last_12_months']);
		expect(new Set(DEMAND.pairs.map((p) => p.join(' ⊆ ')))).toEqual(
			new Set([
				'demand:active ⊆ demand:last_12_months',
				'unmet:active ⊆ unmet:last_12_months',
				'unmet:active ⊆ demand:active',
				'unmet:active ⊆ demand:last_12_months',
				'unmet:last_12_months ⊆ demand:last_12_months'
			])
		);
		// Households can be in demand only, in both periods, turned away in one or both.
		expect(DIAMOND.types.length).toBe(5);
	});

	it('refuses views that are not nested as declared', () => {
		expect(() => atomsFromChain(['a', 'b'], { a: { cells: { A: 5 }, unplaced: 0 }, b: { cells: { A: 4 }, unplaced: 0 } })).toThrow(/not contained/);
		expect(() => suppressionPattern(['a', 'b'], [['a', 'b']], { rioni: { A: { a: 3 } }, unplaced: {} })).toThrow(/not contained/);
	});

	for (const [name, s, maxRioni, runs] of [
		['two nested periods', CHAIN2, 16, 300],
		['three nested views', CHAIN3, 8, 200],
		['demand and unmet demand in two periods', DIAMOND, 8, 150]
	] as const) {
		it(`${name}: published numbers are ≥ 5 and multiples of 5; no ±1 combination isolates 1–4 households; deterministic`, () => {
			fc.assert(
				fc.property(atomsArb(s, maxRioni), (atoms) => {
					const table = moduleAtoms(s, atoms);
					const pattern = suppressionPattern(s.views, s.pairs, table);
					const out = protect(s.views, s.pairs, table);
					for (const view of Object.values(out)) {
						for (const p of [...Object.values(view.cells), view.total]) {
							if (p.suppressed) expect(p.value).toBeNull();
							else expect(p.value! >= 5 && p.value! % 5 === 0).toBe(true);
						}
					}
					expect(exposedByUnitCombinations(s, atoms, pattern)).toBeNull();
					// Determinism: the same answer whatever order the views (and rioni) arrive in.
					const reversed = { rioni: Object.fromEntries(Object.entries(table.rioni).reverse()), unplaced: table.unplaced };
					expect(protect([...s.views].reverse(), [...s.pairs].reverse(), reversed)).toEqual(out);
				}),
				{ numRuns: runs }
			);
		}, 120_000);
	}

	for (const [name, s, maxRioni, runs] of [
		['two nested periods', CHAIN2, 4, 150],
		['three nested views', CHAIN3, 3, 100],
		['demand and unmet demand in two periods', DIAMOND, 2, 40]
	] as const) {
		it(`${name}, small tables: no combination at all of published numbers isolates 1–4 households`, () => {
			fc.assert(
				fc.property(atomsArb(s, maxRioni), (atoms) => {
					expect(exposedBySpan(s, atoms, suppressionPattern(s.views, s.pairs, moduleAtoms(s, atoms)))).toBeNull();
				}),
				{ numRuns: runs }
			);
		}, 120_000);
	}
});
