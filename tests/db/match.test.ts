import distance from '@turf/distance';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIENCE_CODES, CATEGORY_CODES, NEED_CODES } from '../../src/lib/domain/taxonomy';
import { straightLineWithin } from '../../src/lib/domain/walking';
import * as gazetteer from '../../src/lib/server/db/gazetteer';
import { matchResources, pointFacts, type MatchQuery, type MatchRow } from '../../src/lib/server/db/match';
import * as resources from '../../src/lib/server/db/resources';

/** Available = not known to be closed now and not known to be full: these come first. */
const available = (r: { open_now: boolean | null; accepting_new: boolean | null }) => r.open_now !== false && r.accepting_new !== false;

function metres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
	return distance([a.lon, a.lat], [b.lon, b.lat], { units: 'meters' });
}

function byNeed(rows: MatchRow[]): Map<string, MatchRow[]> {
	const lists = new Map<string, MatchRow[]>();
	for (const row of rows) lists.set(row.need, [...(lists.get(row.need) ?? []), row]);
	return lists;
}

describe('match_resources on the Lecco data', () => {
	let germanedo: { lon: number; lat: number };
	beforeAll(async () => {
		const [place] = await gazetteer.search('Germanedo', 1);
		germanedo = { lon: place!.lon, lat: place!.lat };
	});

	it('a family in Germanedo needing homework and food: per need, the nearest that offer it, available first', async () => {
		const rows = await matchResources({ at: germanedo, needs: ['homework', 'food'], maxDistanceM: 10_000, limit: 5 });
		const lists = byNeed(rows);
		expect([...lists.keys()]).toEqual(['homework', 'food']);
		for (const [need, list] of lists) {
			expect(list.length).toBe(5);
			expect(list.map((r) => r.position)).toEqual([1, 2, 3, 4, 5]);
			for (const r of list) expect(r.covers).toContain(need);
			const firstUnavailable = list.findIndex((r) => !available(r));
			if (firstUnavailable >= 0) expect(list.slice(firstUnavailable).every((r) => !available(r))).toBe(true);
		}
		expect((await pointFacts(germanedo, 0)).neighbourhood).toBe('Germanedo');
	});

	it('marks a resource that covers several of the needs', async () => {
		const rows = await matchResources({ at: germanedo, needs: ['food', 'community'], maxDistanceM: 10_000, limit: 20 });
		const several = rows.filter((r) => r.covers.length > 1);
		expect(several.length).toBeGreaterThan(0);
		for (const r of several) expect(r.covers).toEqual(['food', 'community']);
		// The same resource then appears under both needs.
		const ids = (need: string) => new Set(rows.filter((r) => r.need === need).map((r) => r.id));
		expect(several.some((r) => ids('food').has(r.id) && ids('community').has(r.id))).toBe(true);
	});

	it('a need with nothing in reach gives an empty list, not an error', async () => {
		const rows = await matchResources({ at: germanedo, needs: ['legal', 'food'], maxDistanceM: 1, limit: 5 });
		expect(rows).toEqual([]);
	});

	it('knows the served area: Lecco and a margin, not Milan', async () => {
		expect((await pointFacts(germanedo, 3000)).served).toBe(true);
		expect((await pointFacts({ lon: 9.19, lat: 45.464 }, 3000)).served).toBe(false);
		// Valmadrera, just across the border, is within 3 km of Lecco but not within 0 m.
		const valmadrera = { lon: 9.3589, lat: 45.8467 };
		expect((await pointFacts(valmadrera, 3000)).served).toBe(true);
		expect((await pointFacts(valmadrera, 0)).served).toBe(false);
	});

	it('agrees with a brute-force search in TypeScript (turf) for random places, needs and filters', async () => {
		const now = new Date();
		// Every public resource, with what the filters look at, read once.
		const all = await resources.list({ limit: 5000, at: now });
		expect(all.length).toBeGreaterThan(200);

		const scenario = fc.record({
			lon: fc.double({ min: 9.36, max: 9.49, noNaN: true }),
			lat: fc.double({ min: 45.81, max: 45.91, noNaN: true }),
			needs: fc.uniqueArray(fc.constantFrom(...NEED_CODES), { minLength: 1, maxLength: 4 }),
			limit: fc.integer({ min: 1, max: 12 }),
			walkMin: fc.option(fc.constantFrom(5, 15, 30, 60), { nil: undefined }),
			category: fc.option(fc.constantFrom(...CATEGORY_CODES), { nil: undefined }),
			audience: fc.option(fc.constantFrom(...AUDIENCE_CODES.filter((a) => a !== 'everyone')), { nil: undefined }),
			openNow: fc.boolean(),
			accepting: fc.boolean()
		});

		await fc.assert(
			fc.asyncProperty(scenario, async (s) => {
				const at = { lon: s.lon, lat: s.lat };
				const query: MatchQuery = {
					at,
					needs: s.needs,
					maxDistanceM: s.walkMin ? straightLineWithin(s.walkMin) : 10_000,
					limit: s.limit,
					categories: s.category ? [s.category] : undefined,
					audiences: s.audience ? [s.audience] : undefined,
					openNow: s.openNow,
					accepting: s.accepting,
					now
				};
				const lists = byNeed(await matchResources(query));
				expect([...lists.keys()].every((need) => (s.needs as string[]).includes(need))).toBe(true);

				for (const need of s.needs) {
					const list = lists.get(need) ?? [];
					// The brute force: every resource that qualifies, by turf's great-circle distance.
					const qualifying = all
						.filter(
							(r) =>
								r.needs.includes(need) &&
								(!s.category || r.category === s.category) &&
								(!s.audience || r.audiences.includes(s.audience) || r.audiences.includes('everyone')) &&
								(!s.openNow || r.open_now === true) &&
								(!s.accepting || r.accepting_new !== false)
						)
						.map((r) => ({ ...r, d: metres(at, r) }))
						.sort((a, b) => a.d - b.d);
					// Spheroid (PostGIS) and sphere (turf) differ by up to ~0.5 %: allow that at the edges.
					const slack = (d: number) => d * 0.006 + 1;
					const inReach = qualifying.filter((r) => r.d <= query.maxDistanceM + slack(query.maxDistanceM));
					const surelyInReach = qualifying.filter((r) => r.d < query.maxDistanceM - slack(query.maxDistanceM));
					const expectedCount = Math.min(s.limit, inReach.length);
					expect(list.length).toBeLessThanOrEqual(expectedCount);
					expect(list.length).toBeGreaterThanOrEqual(Math.min(s.limit, surelyInReach.length));

					const byId = new Map(qualifying.map((r) => [r.id, r]));
					for (const row of list) {
						// Only resources offering that need (and passing the filters)…
						const truth = byId.get(row.id);
						expect(truth, `${row.name} should qualify for ${need}`).toBeDefined();
						// …at the distance turf computes…
						expect(Math.abs(row.distance_m - truth!.d)).toBeLessThanOrEqual(slack(truth!.d));
						expect(row.open_now).toBe(truth!.open_now);
						expect(row.covers).toEqual(s.needs.filter((n) => truth!.needs.includes(n)));
					}
					// …and they are the nearest ones: nothing clearly nearer was left out.
					if (list.length > 0) {
						const farthest = Math.max(...list.map((r) => byId.get(r.id)!.d));
						const returned = new Set(list.map((r) => r.id));
						const missed = qualifying.filter((r) => r.d < farthest - slack(farthest) && !returned.has(r.id));
						expect(missed.map((r) => r.name)).toEqual([]);
					}
					// Sorted: available first, then the rest; each group nearest first.
					const groups = [list.filter(available), list.filter((r) => !available(r))];
					expect(list.map((r) => r.id)).toEqual(groups.flat().map((r) => r.id));
					for (const group of groups) {
						const distances = group.map((r) => r.distance_m);
						expect(distances).toEqual([...distances].sort((a, b) => a - b));
					}
					if (s.openNow) for (const row of list) expect(row.open_now).toBe(true);
				}
			}),
			{ numRuns: 200 }
		);
	});
});
