import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMAND_PERIODS, RIONE_METRICS, WHEN, scenarioBodySchema, scenarioNameSchema, type RioneCoverage } from '../../src/lib/domain/planning';
import {
	NO_DATA_COLOUR,
	PALETTE,
	SORT_COLUMNS,
	boundsOf,
	cityTotals,
	colourOf,
	formatChange,
	formatClass,
	formatDemand,
	formatMetric,
	legendFor,
	nextDirection,
	parsePlanningView,
	sortRows,
	svgHeight,
	svgPath,
	viewHref
} from '../../src/lib/domain/planning-view';
import { AUDIENCE_CODES, NEED_CODES } from '../../src/lib/domain/taxonomy';

const words = { none: '—', suppressed: '< 5' };

function row(name: string, values: Partial<RioneCoverage> = {}): RioneCoverage {
	return {
		name,
		derived: true,
		residents: 1000,
		residents_source: 'comune-lecco',
		resources: 1,
		per_1000: 1,
		share_within: 0.5,
		residents_beyond: 500,
		walk_min_p50: 10,
		walk_min_p90: 20,
		sfca: 1,
		demand: null,
		demand_suppressed: true,
		demand_per_resource: null,
		unmet: null,
		unmet_suppressed: true,
		gap_rank: 1,
		...values
	};
}

const value = fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constant(null));

describe('the legend', () => {
	it('puts every value with a figure in exactly one class, classes ordered and apart, at most five', () => {
		fc.assert(
			fc.property(fc.constantFrom(...RIONE_METRICS), fc.array(value, { maxLength: 40 }), (metric, values) => {
				const legend = legendFor(metric, values);
				const known = values.filter((v): v is number => v !== null);
				expect(legend.noData).toBe(values.length - known.length);
				expect(legend.classes.length).toBeLessThanOrEqual(PALETTE.length);
				expect(legend.classes.length).toBeLessThanOrEqual(Math.min(5, new Set(known).size));
				if (known.length > 0) expect(legend.classes.length).toBeGreaterThan(0);
				expect(legend.classes.reduce((sum, c) => sum + c.count, 0)).toBe(known.length);
				for (let i = 0; i < legend.classes.length; i++) {
					const c = legend.classes[i]!;
					expect(c.from).toBeLessThanOrEqual(c.to);
					if (i > 0) expect(c.from).toBeGreaterThan(legend.classes[i - 1]!.to);
					// Each value is coloured by the class that holds it.
					for (const v of known) if (v >= c.from && v <= c.to) expect(colourOf(legend, v)).toBe(c.colour);
				}
			})
		);
	});

	it('finds the natural groups (Ckmeans), not equal intervals', () => {
		// Equal intervals over 1–52 would put 1–3 and 20–22 in one class; natural breaks never
		// straddle a gap between the groups.
		const groups = [
			[1, 3],
			[20, 22],
			[50, 52]
		];
		const legend = legendFor('walk_min_p50', [1, 2, 3, 20, 21, 22, 50, 51, 52]);
		expect(legend.classes).toHaveLength(5);
		for (const c of legend.classes) expect(groups.some(([lo, hi]) => c.from >= lo! && c.to <= hi!), `${c.from}–${c.to}`).toBe(true);
		const three = legendFor('walk_min_p50', [1, 3, 20, 22, 50, 52, 1, 3]);
		expect(three.classes.map((c) => [c.from, c.to])).not.toContainEqual([1, 22]);
	});

	it('gives one value one class even where Ckmeans splits a tie', () => {
		// ckmeans([1e-9, 50, 0, 50], 3) answers [[0, 1e-9], [50], [50]].
		const legend = legendFor('walk_min_p50', [1e-9, 50, 0, 50]);
		expect(legend.classes.map((c) => [c.from, c.to, c.count])).toEqual([
			[0, 1e-9, 2],
			[50, 50, 2]
		]);
	});

	it('colours the poorly served dark whichever way the metric runs', () => {
		const share = legendFor('share_within', [0.1, 0.2, 0.5, 0.7, 0.95]);
		// A low share is poorly served: the darkest colour.
		expect(colourOf(share, 0.1)).toBe(PALETTE[4]);
		expect(colourOf(share, 0.95)).toBe(PALETTE[0]);
		const minutes = legendFor('walk_min_p90', [3, 8, 15, 25, 40]);
		expect(colourOf(minutes, 40)).toBe(PALETTE[4]);
		expect(colourOf(minutes, 3)).toBe(PALETTE[0]);
	});

	it('spreads fewer classes over the whole ramp, and greys out no data', () => {
		const two = legendFor('walk_min_p50', [5, 5, 30]);
		expect(two.classes.map((c) => c.colour)).toEqual([PALETTE[0], PALETTE[4]]);
		expect(colourOf(two, null)).toBe(NO_DATA_COLOUR);
		expect(colourOf(two, Number.NaN)).toBe(NO_DATA_COLOUR);
		expect(legendFor('sfca', [null, null]).classes).toEqual([]);
		expect(legendFor('sfca', [null, null]).noData).toBe(2);
	});
});

describe('figures in words', () => {
	it('writes shares, minutes, rates and counts in the page language', () => {
		expect(formatMetric('it', 'share_within', 0.724, words)).toBe('72%');
		expect(formatMetric('en', 'share_within', 0.724, words)).toBe('72%');
		expect(formatMetric('it', 'walk_min_p50', 12.4, words)).toBe('12 min');
		expect(formatMetric('it', 'per_1000', 1.25, words)).toBe('1,3');
		expect(formatMetric('en', 'per_1000', 1.25, words)).toBe('1.3');
		expect(formatMetric('it', 'residents', 12345, words)).toBe('12.345');
		expect(formatMetric('en', 'residents', 12345, words)).toBe('12,345');
		expect(formatMetric('it', 'sfca', null, words)).toBe('—');
	});

	it('never shows a suppressed demand as a number', () => {
		expect(formatDemand('it', { demand: 15, demand_suppressed: false }, words)).toBe('15');
		expect(formatDemand('it', { demand: null, demand_suppressed: true }, words)).toBe('< 5');
		// Even if a count slipped through with the flag set, the flag wins.
		expect(formatDemand('it', { demand: 10, demand_suppressed: true }, words)).toBe('< 5');
	});

	it('writes a class as a range, or one value', () => {
		expect(formatClass('it', 'share_within', { from: 0.4, to: 0.62 }, words)).toBe('40% – 62%');
		expect(formatClass('it', 'walk_min_p50', { from: 7, to: 7 }, words)).toBe('7 min');
	});

	it('signs a change', () => {
		expect(formatChange('it', 100, 12100)).toBe('+12.000');
		expect(formatChange('en', 300, 260)).toBe('−40');
		expect(formatChange('en', 5, 5)).toBe('0');
	});
});

describe('the table order', () => {
	const rows = [row('Bonacina', { gap_rank: 2, share_within: 0.3 }), row('Acquate', { gap_rank: null, share_within: null, residents: null }), row('Castello', { gap_rank: 1, share_within: 0.1 }), row('Germanedo', { gap_rank: 3, share_within: 0.3 })];

	it('sorts by a column either way, rows without a figure always last, ties by name', () => {
		expect(sortRows(rows, 'gap_rank', 'asc').map((r) => r.name)).toEqual(['Castello', 'Bonacina', 'Germanedo', 'Acquate']);
		expect(sortRows(rows, 'gap_rank', 'desc').map((r) => r.name)).toEqual(['Germanedo', 'Bonacina', 'Castello', 'Acquate']);
		expect(sortRows(rows, 'share_within', 'desc').map((r) => r.name)).toEqual(['Bonacina', 'Germanedo', 'Castello', 'Acquate']);
		expect(sortRows(rows, 'name', 'desc').map((r) => r.name)).toEqual(['Germanedo', 'Castello', 'Bonacina', 'Acquate']);
	});

	it('keeps every row, for any column and direction', () => {
		fc.assert(
			fc.property(fc.array(fc.record({ share: value, rank: fc.option(fc.integer({ min: 1, max: 15 })) }), { maxLength: 15 }), fc.constantFrom(...SORT_COLUMNS), fc.constantFrom('asc' as const, 'desc' as const), (list, column, dir) => {
				const input = list.map((v, i) => row(`R${i}`, { share_within: v.share, gap_rank: v.rank }));
				const sorted = sortRows(input, column, dir);
				expect(sorted.map((r) => r.name).sort()).toEqual(input.map((r) => r.name).sort());
			})
		);
	});

	it('flips the direction on the sorted column, and starts figures largest first', () => {
		expect(nextDirection({ sort: 'gap_rank', dir: 'asc' }, 'gap_rank')).toBe('desc');
		expect(nextDirection({ sort: 'gap_rank', dir: 'asc' }, 'residents')).toBe('desc');
		expect(nextDirection({ sort: 'residents', dir: 'desc' }, 'name')).toBe('asc');
	});
});

describe('the view in the address', () => {
	it('takes defaults for what is absent and names what is invalid', () => {
		const empty = parsePlanningView(new URLSearchParams());
		expect(empty).toEqual({ ok: true, value: { query: { need: 'homework', within: 15, when: 'any', accepting: false, period: 'active' }, metric: 'share_within', sort: 'gap_rank', dir: 'asc', scenario: null } });
		for (const [key, bad] of [
			['need', 'pizza'],
			['metric', 'toString'],
			['sort', '__proto__'],
			['dir', 'up'],
			['within', '12'],
			['period', 'forever'],
			['scenario', 'not-a-uuid']
		]) {
			const parsed = parsePlanningView(new URLSearchParams({ [key!]: bad! }));
			expect(parsed, key).toEqual({ ok: false, field: key });
		}
	});

	it('round-trips through its own links', () => {
		const views = fc.record({
			query: fc.record(
				{
					need: fc.constantFrom(...NEED_CODES),
					within: fc.constantFrom(10 as const, 15 as const, 20 as const),
					when: fc.constantFrom(...WHEN),
					audience: fc.constantFrom(...AUDIENCE_CODES),
					accepting: fc.boolean(),
					period: fc.constantFrom(...DEMAND_PERIODS)
				},
				{ requiredKeys: ['need', 'within', 'when', 'accepting', 'period'] }
			),
			metric: fc.constantFrom(...RIONE_METRICS),
			sort: fc.constantFrom(...SORT_COLUMNS),
			dir: fc.constantFrom('asc' as const, 'desc' as const),
			scenario: fc.option(fc.uuid())
		});
		fc.assert(
			fc.property(views, (view) => {
				const href = viewHref('/pianificazione', view);
				const parsed = parsePlanningView(new URL(href, 'http://x').searchParams);
				expect(parsed).toEqual({ ok: true, value: { ...view, scenario: view.scenario?.toLowerCase() ?? null } });
			})
		);
	});
});

describe('city totals', () => {
	it('weights shares by residents and skips rioni without a figure', () => {
		expect(cityTotals([row('A', { residents: 1000, share_within: 0.5 }), row('B', { residents: 3000, share_within: 1 }), row('C', { residents: null, share_within: null })])).toEqual({ residents: 4000, within: 3500, share: 0.875 });
		expect(cityTotals([])).toEqual({ residents: 0, within: 0, share: null });
	});
});

describe('the printed map', () => {
	it('draws a square as a square, north up, filling the width', () => {
		// A square of 0.01° latitude by 0.01°/cos(45°) longitude is square on the ground at 45°N.
		const lon = 0.01 / Math.cos(Math.PI / 4);
		const square = { type: 'Polygon' as const, coordinates: [[[9, 45], [9 + lon, 45], [9 + lon, 45.01], [9, 45.01], [9, 45]]] };
		const bounds = boundsOf([square]);
		expect(svgHeight(bounds, 100)).toBe(100);
		expect(svgPath(square, bounds, 100)).toBe('M0,100L100,100L100,0L0,0L0,100Z');
	});
});

describe('scenario bodies', () => {
	it('accept a point with needs, defaults for the rest, and refuse what is not one', () => {
		expect(scenarioBodySchema.parse({ need: 'homework', add: [{ at: [9.4, 45.85], needs: ['homework'] }] })).toEqual({ need: 'homework', within: 15, add: [{ at: [9.4, 45.85], needs: ['homework'] }], hide: [] });
		for (const bad of [
			{ need: 'pizza' },
			{ need: 'homework', add: [{ at: [200, 45], needs: ['homework'] }] },
			{ need: 'homework', add: [{ at: [9.4, 45.8], needs: [] }] },
			{ need: 'homework', add: [{ at: [9.4, 45.8], needs: ['food'], hours: 'a\u0000b' }] },
			{ need: 'homework', hide: ['x'] },
			{ need: 'homework', within: 12 },
			{ need: 'homework', add: Array.from({ length: 21 }, () => ({ at: [9.4, 45.8], needs: ['food'] })) }
		]) {
			expect(scenarioBodySchema.safeParse(bad).success, JSON.stringify(bad).slice(0, 80)).toBe(false);
		}
		expect(scenarioNameSchema.safeParse('  Doposcuola a Castello ').data).toBe('Doposcuola a Castello');
		expect(scenarioNameSchema.safeParse('   ').success).toBe(false);
		expect(scenarioNameSchema.safeParse('x'.repeat(121)).success).toBe(false);
	});
});
