import { randomUUID } from 'node:crypto';
import distance from '@turf/distance';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIntervals } from '../../src/lib/domain/opening-hours';
import { WITHIN_MINUTES } from '../../src/lib/domain/planning';
import { NEED_CODES } from '../../src/lib/domain/taxonomy';
import { straightLineWithin, walkMinutes } from '../../src/lib/domain/walking';
import { sql } from '../../src/lib/server/db/client';
import * as coverage from '../../src/lib/server/db/coverage';
import * as openingHours from '../../src/lib/server/db/opening-hours';
import * as planning from '../../src/lib/server/planning/coverage';
import { inRome, nextInRome, romeInstant } from '../setup/clock';

// Issue 11, the coverage engine (db/functions/coverage.sql) against an independent brute-force
// computation in TypeScript (turf, great-circle metres) on the real grid and pins, random
// hypothetical pins, fixture services with hours, and census sections.
//
// The SQL measures planar metres in EPSG:32632, turf on a sphere: at Lecco the two differ by a
// factor between 0.9991 (north–south) and 1.0025 (east–west). Comparisons allow EPS of relative
// difference, and a count or a share only where no pin or cell lies within EPS of a radius.
const EPS = 0.004;
const RADII = WITHIN_MINUTES.map((m) => straightLineWithin(m));
const LECCO = { west: 9.34, south: 45.79, east: 9.48, north: 45.9 };

type LonLat = [number, number];
interface Cell {
	id: number;
	rione: string | null;
	neighbourhood_id: number | null;
	settled: boolean;
	residents: number;
	residents_source: string | null;
	at: LonLat;
}
interface Pin {
	id: string;
	at: LonLat;
	neighbourhood: string | null;
	accepting_new: boolean | null;
	capacity: number | null;
	expression: string | null;
	audiences: string[];
}

const metres = (a: LonLat, b: LonLat) => distance(a, b, { units: 'meters' });

async function cells(): Promise<Cell[]> {
	const rows = await sql<(Omit<Cell, 'at'> & { lon: number; lat: number })[]>`
		SELECT id, rione, neighbourhood_id, settled, residents, residents_source, ST_X(centre) AS lon, ST_Y(centre) AS lat
		FROM coverage_cell ORDER BY id`;
	return rows.map(({ lon, lat, ...rest }) => ({ ...rest, at: [lon, lat] }));
}

/** Every public pin offering `need`, with what the variants look at (read, not decided, here). */
async function pinsOf(need: string): Promise<Pin[]> {
	const rows = await sql<(Omit<Pin, 'at'> & { lon: number; lat: number })[]>`
		SELECT r.id::text, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, r.neighbourhood, r.accepting_new, s.capacity, oh.expression,
			ARRAY(SELECT sa.audience FROM service_audience sa WHERE sa.service_id = r.service_id) AS audiences
		FROM public_resource r JOIN service s ON s.id = r.service_id
		LEFT JOIN opening_hours oh ON oh.id = r.opening_hours_id
		WHERE EXISTS (SELECT 1 FROM service_need sn WHERE sn.service_id = r.service_id AND sn.need = ${need})`;
	return rows.map(({ lon, lat, ...rest }) => ({ ...rest, at: [lon, lat] }));
}

/** The variants, decided in TypeScript from the expression with the opening_hours library. */
function opensWhen(expression: string | null, when: 'evening' | 'weekend'): boolean {
	if (!expression) return false;
	const now = Date.now();
	return openIntervals(expression, new Date(now - 86_400_000), new Date(now + 8 * 86_400_000)).some(([start, end]) => {
		const rome = inRome(start);
		if (when === 'weekend') return rome.weekday === 0 || rome.weekday === 6;
		return rome.weekday >= 1 && rome.weekday <= 5 && end.getTime() > romeInstant(rome.year, rome.month, rome.day, 18, 0).getTime();
	});
}

function variantPins(pins: Pin[], variant: { when: 'any' | 'evening' | 'weekend'; accepting: boolean; audience: string | null }): Pin[] {
	return pins.filter(
		(p) =>
			(variant.when === 'any' || opensWhen(p.expression, variant.when)) &&
			(!variant.accepting || p.accepting_new !== false) &&
			(!variant.audience || p.audiences.includes(variant.audience) || p.audiences.includes('everyone'))
	);
}

/** Brute force: every cell against every pin. */
function reach(grid: Cell[], points: LonLat[]) {
	return grid.map((cell) => {
		const ds = points.map((p) => metres(cell.at, p));
		return { id: cell.id, nearest: ds.length ? Math.min(...ds) : null, ds };
	});
}

/** Population-weighted quantile of the nearest metres (null = no pin: beyond every value). */
function quantile(items: { d: number | null; w: number; id: number }[], p: number): number | null {
	const sorted = items.filter((i) => i.w > 0).sort((a, b) => (a.d ?? Infinity) - (b.d ?? Infinity) || a.id - b.id);
	const total = sorted.reduce((s, i) => s + i.w, 0);
	let running = 0;
	for (const item of sorted) {
		running += item.w;
		if (running >= p * total * (1 - 1e-9)) return item.d;
	}
	return null;
}

const close = (actual: number | null, expected: number | null, eps = EPS) => {
	if (expected === null) return expect(actual).toBeNull();
	expect(actual).not.toBeNull();
	expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(eps * Math.max(expected, 1) + 1e-6);
};

let grid: Cell[];
const run = Date.now().toString(36);
const fixtureOrg = randomUUID();
// Each refresh rebuilds the whole grid: seconds on a server, up to minutes on PGlite on a busy machine.
const SLOW = 600_000;

beforeAll(async () => {
	await planning.refreshCoverage();
	grid = await cells();
}, SLOW);

afterAll(async () => {
	await sql`DELETE FROM organization WHERE id = ${fixtureOrg}`;
	await sql`DELETE FROM census_section WHERE code LIKE ${`test-${run}-%`}`;
	await planning.refreshCoverage();
}, SLOW);

describe('the grid', () => {
	it('hexagons about 100 m across over the comune, each cell in the rione containing its centre', async () => {
		expect(grid.length).toBeGreaterThan(5000);
		const [shape] = await sql<{ across: number; n: number }[]>`
			SELECT avg(ST_MaxDistance(ST_Transform(geom, 32632), ST_Transform(geom, 32632))) AS across, count(*)::int AS n FROM coverage_cell`;
		expect(shape!.across).toBeCloseTo(100, 0);
		const misplaced = await sql`
			SELECT c.id FROM coverage_cell c JOIN neighbourhood n ON n.id = c.neighbourhood_id
			WHERE NOT ST_Intersects(n.geom, c.centre)
				OR EXISTS (SELECT 1 FROM neighbourhood m WHERE m.id < n.id AND ST_Intersects(m.geom, c.centre))`;
		expect(misplaced).toEqual([]);
		expect((await sql<{ n: number }[]>`SELECT count(DISTINCT rione)::int AS n FROM coverage_cell`)[0]!.n).toBe(16);
	});

	it('settled cells are those within 400 m of a stop, a school or a pharmacy', async () => {
		const anchors = await sql<{ lon: number; lat: number }[]>`
			SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM transit_stop
			UNION ALL SELECT ST_X(geom), ST_Y(geom) FROM public_resource WHERE category = 'school'
			UNION ALL SELECT ST_X(geom), ST_Y(geom) FROM public_resource WHERE source_id = 'regione-lombardia-farmacie'`;
		expect(anchors.length).toBeGreaterThan(300);
		let checked = 0;
		for (const cell of grid) {
			const nearest = Math.min(...anchors.map((a) => metres(cell.at, [a.lon, a.lat])));
			if (Math.abs(nearest - 400) <= 400 * EPS) continue;
			expect(cell.settled, `cell ${cell.id} at ${nearest.toFixed(0)} m`).toBe(nearest < 400);
			checked++;
		}
		expect(checked).toBeGreaterThan(grid.length * 0.95);
	});

	it("spreads each rione's residents over its settled cells: the sums are the register figures", async () => {
		const figures = await sql<{ rione: string; residents: number }[]>`SELECT rione, residents FROM rione_population_current`;
		const byName = new Map(figures.map((f) => [f.rione, f.residents]));
		const rioni = [...new Set(grid.map((c) => c.rione).filter((r): r is string => r !== null))];
		for (const rione of rioni) {
			const own = grid.filter((c) => c.rione === rione);
			const sum = own.reduce((s, c) => s + c.residents, 0);
			const figure = byName.get(rione);
			if (figure === undefined) {
				expect(sum, rione).toBe(0);
				expect(own.every((c) => c.residents_source === null)).toBe(true);
				continue;
			}
			expect(sum, rione).toBeCloseTo(figure, 6);
			const settled = own.filter((c) => c.settled);
			const living = settled.length > 0 ? settled : own;
			for (const c of own) expect(c.residents, `${rione} cell ${c.id}`).toBeCloseTo(living.includes(c) ? figure / living.length : 0, 9);
			expect(own.every((c) => c.residents_source === 'register')).toBe(true);
		}
		expect(grid.filter((c) => c.rione === null).every((c) => c.residents === 0)).toBe(true);
	});
});

describe('the grid is kept while its inputs are unchanged', () => {
	/** The digest of the grid's inputs after `change`, in a transaction that is rolled back. */
	async function keyAfter(change: (tx: typeof sql) => Promise<unknown>): Promise<string> {
		let key = '';
		await sql
			.begin(async (tx) => {
				await change(tx as unknown as typeof sql);
				key = (await coverage.gridKey(tx, planning.CELL_ACROSS_M, planning.SETTLED_WITHIN_M)).key;
				throw new Error('roll back');
			})
			.catch((error: Error) => {
				if (error.message !== 'roll back') throw error;
			});
		return key;
	}

	it('the digest moves with the boundaries, the anchors, the population and the census, not with a pin', async () => {
		const same = (await coverage.gridKey(sql, planning.CELL_ACROSS_M, planning.SETTLED_WITHIN_M)).key;
		expect(await keyAfter(async () => {})).toBe(same);
		// A pin's capacity or needs change figures, not the grid.
		expect(await keyAfter((tx) => tx`UPDATE service SET capacity = 7 WHERE id = (SELECT min(id::text)::uuid FROM service)`)).toBe(same);
		expect(await keyAfter((tx) => tx`DELETE FROM service_need WHERE need = 'food'`)).toBe(same);
		for (const change of [
			(tx: typeof sql) => tx`UPDATE neighbourhood SET geom = ST_Multi(ST_Buffer(geom, 0.0001)) WHERE id = (SELECT min(id) FROM neighbourhood)`,
			(tx: typeof sql) => tx`UPDATE administrative_area SET served = NOT served WHERE istat_code = (SELECT min(istat_code) FROM administrative_area)`,
			(tx: typeof sql) => tx`DELETE FROM transit_stop WHERE id = (SELECT min(id) FROM transit_stop)`,
			(tx: typeof sql) => tx`INSERT INTO rione_population (rione, residents, reference_date, source_id)
				SELECT rione, residents + 1, reference_date + 1, 'partner' FROM rione_population_current ORDER BY rione LIMIT 1`,
			(tx: typeof sql) => tx`INSERT INTO census_section (code, geom, residents, source_id)
				VALUES (${`test-${run}-key`}, ST_Multi(ST_MakeEnvelope(9.39, 45.85, 9.391, 45.851, 4326)), 5, 'partner')`
		]) {
			expect(await keyAfter(change)).not.toBe(same);
		}
		expect(await keyAfter(async () => {})).toBe(same);
	});

	it('a region grid (more cells than p_max_cells) keeps only the full grid’s settled cells and those in a rione, unchanged', async () => {
		let region: Cell[] = [];
		await sql
			.begin(async (tx) => {
				await tx`SELECT coverage_build_grid(${planning.CELL_ACROSS_M}, ${planning.SETTLED_WITHIN_M}, 1000)`;
				region = (
					await tx<(Omit<Cell, 'at'> & { lon: number; lat: number })[]>`
						SELECT id, rione, neighbourhood_id, settled, residents, residents_source, ST_X(centre) AS lon, ST_Y(centre) AS lat
						FROM coverage_cell ORDER BY id`
				).map(({ lon, lat, ...rest }) => ({ ...rest, at: [lon, lat] as LonLat }));
				throw new Error('roll back');
			})
			.catch((error: Error) => {
				if (error.message !== 'roll back') throw error;
			});
		const kept = grid.filter((c) => c.settled || c.rione !== null);
		expect(kept.length).toBeLessThan(grid.length);
		const key = (c: Cell) => `${c.at[0].toFixed(7)} ${c.at[1].toFixed(7)}`;
		const full = new Map(kept.map((c) => [key(c), c]));
		expect(region.map(key).sort()).toEqual([...full.keys()].sort());
		for (const cell of region) {
			const twin = full.get(key(cell))!;
			expect({ ...cell, id: 0, at: null }).toEqual({ ...twin, id: 0, at: null, residents: cell.residents });
			expect(cell.residents).toBeCloseTo(twin.residents, 9);
		}
		expect((await cells()).length).toBe(grid.length);
	}, SLOW);
});

describe('per cell and need, against brute force', () => {
	it('nearest metres and counts within 10/15/20 minutes, with random hypothetical pins (property)', async () => {
		const point = fc.tuple(fc.double({ min: LECCO.west, max: LECCO.east, noNaN: true }), fc.double({ min: LECCO.south, max: LECCO.north, noNaN: true }));
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...NEED_CODES), fc.array(point, { maxLength: 8 }), async (need, added) => {
				const rows = await coverage.cellReach(need, RADII, { ...coverage.BASE, add: added as LonLat[] });
				const pins = (await pinsOf(need)).map((p) => p.at).concat(added as LonLat[]);
				const expected = reach(grid, pins);
				expect(rows.map((r) => r.cell_id)).toEqual(grid.map((c) => c.id));
				for (const [i, row] of rows.entries()) {
					const want = expected[i]!;
					close(row.nearest_m, want.nearest);
					for (const [k, r] of RADII.entries()) {
						const sure = want.ds.filter((d) => d < r * (1 - EPS)).length;
						const maybe = want.ds.filter((d) => d <= r * (1 + EPS)).length;
						expect(row.within[k]!).toBeGreaterThanOrEqual(sure);
						expect(row.within[k]!).toBeLessThanOrEqual(maybe);
					}
				}
			}),
			{ numRuns: 6 }
		);
	}, SLOW);

	it('the stored base view is the computed one', async () => {
		for (const need of ['homework', 'legal', 'community']) {
			const stored = await sql<{ cell_id: number; nearest_m: number | null; w: number[] }[]>`
				SELECT cell_id, nearest_m, ARRAY[within_10, within_15, within_20] AS w FROM coverage_cell_need WHERE need = ${need} ORDER BY cell_id`;
			const computed = await coverage.cellReach(need, RADII, coverage.BASE);
			expect(stored.map((s) => [s.cell_id, s.nearest_m, s.w])).toEqual(computed.map((c) => [c.cell_id, c.nearest_m, c.within]));
		}
	});
});

/** The rione figures of a need from the grid and a set of pins, brute force. */
function rioniByBruteForce(pins: { at: LonLat; neighbourhood: string | null; supply: number }[], within: number) {
	const r = straightLineWithin(within);
	const measured = reach(grid, pins.map((p) => p.at));
	// 2SFCA: each pin's supply over the residents within reach of it, summed per cell.
	const ratio = pins.map((_, j) => {
		const demand = grid.reduce((s, c, i) => s + (measured[i]!.ds[j]! <= r ? c.residents : 0), 0);
		return demand > 0 ? pins[j]!.supply / demand : 0;
	});
	const access = grid.map((_, i) => measured[i]!.ds.reduce((s, d, j) => s + (d <= r ? ratio[j]! : 0), 0));
	const rioni = [...new Set(grid.map((c) => c.rione).filter((x): x is string => x !== null))];
	const figures = rioni.map((name) => {
		const idx = grid.map((c, i) => (c.rione === name && c.residents > 0 ? i : -1)).filter((i) => i >= 0);
		const total = idx.reduce((s, i) => s + grid[i]!.residents, 0);
		if (total === 0) return { name, total: null, sure: null, maybe: null, p50: null, p90: null, sfca: null };
		const sure = idx.reduce((s, i) => s + ((measured[i]!.nearest ?? Infinity) < r * (1 - EPS) ? grid[i]!.residents : 0), 0);
		const maybe = idx.reduce((s, i) => s + ((measured[i]!.nearest ?? Infinity) <= r * (1 + EPS) ? grid[i]!.residents : 0), 0);
		const items = idx.map((i) => ({ d: measured[i]!.nearest, w: grid[i]!.residents, id: grid[i]!.id }));
		return {
			name,
			total,
			sure: sure / total,
			maybe: maybe / total,
			p50: quantile(items, 0.5),
			p90: quantile(items, 0.9),
			sfca: (1000 * idx.reduce((s, i) => s + access[i]! * grid[i]!.residents, 0)) / total,
			resources: pins.filter((p) => p.neighbourhood === name).length
		};
	});
	return figures;
}

function checkRioni(rows: coverage.RioneRow[], expected: ReturnType<typeof rioniByBruteForce>) {
	for (const want of expected) {
		const row = rows.find((x) => x.rione === want.name)!;
		expect(row, want.name).toBeDefined();
		if (want.total === null) {
			expect(row.share_within).toBeNull();
			expect(row.gap_rank).toBeNull();
			continue;
		}
		expect(row.share_within!, want.name).toBeGreaterThanOrEqual(want.sure! - 1e-9);
		expect(row.share_within!, want.name).toBeLessThanOrEqual(want.maybe! + 1e-9);
		close(row.p50_m, want.p50);
		close(row.p90_m, want.p90);
		// 2SFCA sums over catchments: a cell on a radius may fall either side, so 3 %.
		close(row.sfca, want.sfca!, 0.03);
		expect(row.resources, want.name).toBe(want.resources);
		if (row.residents !== null && row.residents > 0) expect(row.per_1000!).toBeCloseTo((1000 * row.resources) / row.residents, 9);
	}
	// Gap rank: 1 = most residents beyond reach, then lower share, then name.
	const ranked = rows.filter((x) => x.rione !== null && x.gap_rank !== null).sort((a, b) => a.gap_rank! - b.gap_rank!);
	expect(ranked.map((x) => x.gap_rank)).toEqual(ranked.map((_, i) => i + 1));
	for (let i = 1; i < ranked.length; i++) {
		const [a, b] = [ranked[i - 1]!, ranked[i]!];
		const order = b.residents_beyond! - a.residents_beyond! || a.share_within! - b.share_within! || a.rione!.localeCompare(b.rione!);
		expect(order <= 0 || a.residents_beyond! > b.residents_beyond!, `${a.rione} before ${b.rione}`).toBe(true);
	}
}

describe('per rione and need, against brute force', () => {
	it('share within, p50/p90, 2SFCA, resources, per 1,000 and gap rank of the stored base view', async () => {
		for (const need of ['homework', 'legal', 'elderly']) {
			const pins = (await pinsOf(need)).map((p) => ({ at: p.at, neighbourhood: p.neighbourhood, supply: p.capacity ?? 1 }));
			for (const within of WITHIN_MINUTES) {
				const rows = await coverage.storedRioni(need, within);
				checkRioni(rows, rioniByBruteForce(pins, within));
				const walk = rows.find((x) => x.rione === 'Centro')!;
				expect(walkMinutes(walk.p90_m!)).toBeGreaterThanOrEqual(walkMinutes(walk.p50_m!));
			}
		}
	}, SLOW);

	it('the city row sums the rioni', async () => {
		const rows = await coverage.storedRioni('food', 15);
		const city = rows.find((x) => x.rione === null)!;
		const rioni = rows.filter((x) => x.rione !== null);
		expect(city.residents!).toBeCloseTo(rioni.reduce((s, x) => s + (x.residents ?? 0), 0), 6);
		expect(city.residents_within!).toBeCloseTo(rioni.reduce((s, x) => s + (x.residents_within ?? 0), 0), 6);
		expect(city.resources).toBe(rioni.reduce((s, x) => s + x.resources, 0));
	});
});

describe('variants: hours, capacity, audience', () => {
	const expressions = { evening: 'Mo-Fr 17:00-20:00', weekend: 'Sa 09:00-12:00', morning: 'Mo-Fr 09:00-12:00' } as const;
	const pinIds: Record<string, string> = {};

	beforeAll(async () => {
		await sql.begin(async (tx) => {
			await tx`INSERT INTO organization (id, name, kind, source_id, demo) VALUES (${fixtureOrg}, ${`Copertura ${run} (esempio)`}, 'partner', 'partner', true)`;
			// In a rione with residents (Olate), so its 2SFCA score is defined.
			const [loc] = await tx<{ id: string }[]>`
				INSERT INTO location (organization_id, name, geom)
				SELECT ${fixtureOrg}, 'Sede', label_point FROM neighbourhood WHERE name = 'Olate' RETURNING id`;
			const services = [
				{ key: 'evening', accepting: null, audience: 'elderly' },
				{ key: 'weekend', accepting: false, audience: 'children' },
				{ key: 'morning', accepting: true, audience: 'everyone' }
			] as const;
			for (const s of services) {
				const [service] = await tx<{ id: string }[]>`
					INSERT INTO service (organization_id, name, category, accepting_new, capacity)
					VALUES (${fixtureOrg}, ${`Sportello ${s.key}`}, 'partner', ${s.accepting}, ${s.key === 'evening' ? 12 : null}) RETURNING id`;
				await tx`INSERT INTO service_need (service_id, need) VALUES (${service!.id}, 'legal')`;
				await tx`INSERT INTO service_audience (service_id, audience) VALUES (${service!.id}, ${s.audience})`;
				const [sal] = await tx<{ id: string }[]>`
					INSERT INTO service_at_location (service_id, location_id) VALUES (${service!.id}, ${loc!.id}) RETURNING id`;
				const hours = await openingHours.idFor(tx, expressions[s.key]);
				await tx`INSERT INTO schedule (service_at_location_id, opening_hours_id) VALUES (${sal!.id}, ${hours})`;
				pinIds[s.key] = sal!.id;
			}
		});
	});

	it('evening and weekend are read from the expanded hours in Rome', async () => {
		// The fixtures' hours, as the app sees them at the next weekday evening and Saturday morning.
		const tuesday = nextInRome(2, 19, 0);
		const saturday = nextInRome(6, 10, 0);
		const openAt = async (id: string, at: Date) =>
			(await sql`SELECT 1 FROM public_resource r JOIN opening_interval oi ON oi.opening_hours_id = r.opening_hours_id
				WHERE r.id = ${id} AND oi.during @> ${at}::timestamptz`).length > 0;
		expect(await openAt(pinIds.evening!, tuesday)).toBe(true);
		expect(await openAt(pinIds.weekend!, saturday)).toBe(true);
		expect(await openAt(pinIds.morning!, tuesday)).toBe(false);

		const ids = async (when: 'any' | 'evening' | 'weekend', accepting = false, audience: string | null = null) =>
			(await sql<{ id: string }[]>`SELECT id::text FROM coverage_pins('legal', ${when}, ${accepting}, ${audience})`).map((r) => r.id);
		expect(await ids('evening')).toContain(pinIds.evening);
		expect(await ids('evening')).not.toContain(pinIds.morning);
		expect(await ids('evening')).not.toContain(pinIds.weekend);
		expect(await ids('weekend')).toEqual([pinIds.weekend]);
		expect(await ids('any', true)).not.toContain(pinIds.weekend);
		expect(await ids('any', true)).toContain(pinIds.evening);
		expect(await ids('any', false, 'elderly')).toEqual(expect.arrayContaining([pinIds.evening, pinIds.morning]));
		expect(await ids('any', false, 'elderly')).not.toContain(pinIds.weekend);
	});

	it('every variant of every need equals the brute force on the pins TypeScript selects', async () => {
		const variants = [
			{ when: 'evening', accepting: false, audience: null },
			{ when: 'weekend', accepting: false, audience: null },
			{ when: 'any', accepting: true, audience: 'children' },
			{ when: 'evening', accepting: true, audience: 'elderly' }
		] as const;
		for (const need of ['legal', 'homework']) {
			const all = await pinsOf(need);
			for (const variant of variants) {
				const chosen = variantPins(all, variant);
				const sqlIds = (await sql<{ id: string }[]>`
					SELECT id::text FROM coverage_pins(${need}, ${variant.when}, ${variant.accepting}, ${variant.audience})`).map((r) => r.id);
				expect(sqlIds.sort(), `${need} ${JSON.stringify(variant)}`).toEqual(chosen.map((p) => p.id).sort());
				const rows = await coverage.computeRioni(need, RADII, 2, variant);
				checkRioni(rows, rioniByBruteForce(chosen.map((p) => ({ at: p.at, neighbourhood: p.neighbourhood, supply: p.capacity ?? 1 })), 15));
			}
		}
	}, SLOW);

	it('2SFCA counts a known capacity as the supply', async () => {
		const pins = await pinsOf('legal');
		expect(pins.find((p) => p.id === pinIds.evening)?.capacity).toBe(12);
		const rows = await coverage.computeRioni('legal', RADII, 2, { when: 'any', accepting: false, audience: null });
		checkRioni(rows, rioniByBruteForce(pins.map((p) => ({ at: p.at, neighbourhood: p.neighbourhood, supply: p.capacity ?? 1 })), 15));
		// And it matters: with every supply 1, the score of the fixture's rione would be lower.
		const flat = rioniByBruteForce(pins.map((p) => ({ at: p.at, neighbourhood: p.neighbourhood, supply: 1 })), 15);
		const rione = pins.find((p) => p.id === pinIds.evening)!.neighbourhood!;
		expect(rows.find((x) => x.rione === rione)!.sfca!).toBeGreaterThan(flat.find((x) => x.name === rione)!.sfca! * 1.5);
	});
});

/** Rows in every table of the schema, to show a read wrote nothing. */
async function rowCounts(): Promise<Record<string, number>> {
	const tables = await sql<{ name: string }[]>`
		SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`;
	const counts: Record<string, number> = {};
	for (const { name } of tables) counts[name] = (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ${sql(name)}`)[0]!.n;
	return counts;
}

describe('what if', () => {
	it('writes nothing, and matches the full recomputation and the brute force', async () => {
		await planning.refreshCoverage();
		const state = await coverage.state();
		const before = await rowCounts();
		const homework = await pinsOf('homework');
		const worst = (await coverage.storedRioni('homework', 15)).find((x) => x.gap_rank === 1)!;
		const far = grid
			.filter((c) => c.rione === worst.rione && c.residents > 0)
			.map((c) => ({ c, d: Math.min(...homework.map((p) => metres(c.at, p.at))) }))
			.sort((a, b) => b.d - a.d)[0]!.c;
		const hide = homework.filter((p) => p.neighbourhood === 'Centro').map((p) => p.id);
		const answer = await planning.runScenario({ need: 'homework', within: 15, add: [{ at: far.at, needs: ['homework', 'food'] }], hide });
		expect(await rowCounts()).toEqual(before);
		expect(await coverage.state()).toEqual(state);

		// Adding a point where the worst-served rione's farthest residents live raises its share.
		const worstAnswer = answer.rioni.find((x) => x.name === worst.rione)!;
		expect(worstAnswer.after).toBeGreaterThan(worstAnswer.before);
		// Hiding every homework pin in Centro lowers Centro's.
		const centro = answer.rioni.find((x) => x.name === 'Centro')!;
		expect(centro.after).toBeLessThan(centro.before);

		// The scenario's shortcut (only cells near a change are measured again) equals the whole
		// recomputation with the pins hidden and the point added.
		const full = await coverage.computeRioni('homework', RADII, 2, { ...coverage.BASE, hide, add: [far.at] });
		for (const r of answer.rioni) expect(r.after, r.name).toBe(Math.round(full.find((x) => x.rione === r.name)!.residents_within!));
		const base = await coverage.storedRioni('homework', 15);
		for (const r of answer.rioni) expect(r.before, r.name).toBe(Math.round(base.find((x) => x.rione === r.name)!.residents_within!));
		expect(Math.abs(answer.city.after - answer.rioni.reduce((sum, r) => sum + r.after, 0))).toBeLessThanOrEqual(answer.rioni.length);

		// And the brute force agrees with the after figures.
		const kept = homework.filter((p) => !hide.includes(p.id)).map((p) => ({ at: p.at, neighbourhood: p.neighbourhood, supply: 1 }));
		const brute = rioniByBruteForce([...kept, { at: far.at, neighbourhood: worst.rione, supply: 1 }], 15);
		for (const r of answer.rioni) {
			const want = brute.find((x) => x.name === r.name)!;
			if (want.total === null) continue;
			expect(r.after, r.name).toBeGreaterThanOrEqual(Math.floor(want.sure! * want.total) - 1);
			expect(r.after, r.name).toBeLessThanOrEqual(Math.ceil(want.maybe! * want.total) + 1);
		}
	}, SLOW);

	it('a point that does not offer the need, or hiding a pin of another need, changes nothing', async () => {
		const food = await pinsOf('food');
		const homework = new Set((await pinsOf('homework')).map((p) => p.id));
		const other = food.find((p) => !homework.has(p.id))!;
		const answer = await planning.runScenario({ need: 'homework', add: [{ at: [9.39, 45.85], needs: ['food'] }], hide: [other.id] });
		expect(answer.city.after).toBe(answer.city.before);
		for (const r of answer.rioni) expect(r.after).toBe(r.before);
	});
});

describe('census sections', () => {
	it("with sections, each section's residents are spread over its settled cells: the sums are the section figures", async () => {
		// Three sections: two halves of Castello's box and a section smaller than a cell.
		const [box] = await sql<{ w: number; s: number; e: number; n: number }[]>`
			SELECT ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n FROM neighbourhood WHERE name = 'Castello'`;
		const mid = (box!.w + box!.e) / 2;
		const sections = [
			{ code: `test-${run}-a`, env: [box!.w, box!.s, mid, box!.n], residents: 1234 },
			{ code: `test-${run}-b`, env: [mid, box!.s, box!.e, box!.n], residents: 777 },
			{ code: `test-${run}-c`, env: [9.3901, 45.8501, 9.3902, 45.8502], residents: 11 }
		];
		for (const s of sections) {
			await sql`INSERT INTO census_section (code, geom, residents, reference_date, source_id)
				VALUES (${s.code}, ST_Multi(ST_MakeEnvelope(${s.env[0]!}, ${s.env[1]!}, ${s.env[2]!}, ${s.env[3]!}, 4326)), ${s.residents}, '2021-10-09', 'partner')`;
		}
		expect((await coverage.state()).dirty_since).not.toBeNull();
		expect((await planning.refreshCoverage())?.gridBuilt).toBe(true);
		const census = await cells();
		expect(census.every((c) => c.residents_source === 'census')).toBe(true);
		expect(census.reduce((s, c) => s + c.residents, 0)).toBeCloseTo(1234 + 777 + 11, 6);
		// The section smaller than a cell goes to the cell nearest to it.
		const tiny = [9.39015, 45.85015] as LonLat;
		const orphan = census.reduce((best, c) => (metres(c.at, tiny) < metres(best.at, tiny) ? c : best));
		for (const s of sections.slice(0, 2)) {
			const inside = census.filter((c) => c.at[0] >= s.env[0]! && c.at[0] < s.env[2]! && c.at[1] >= s.env[1]! && c.at[1] <= s.env[3]!);
			const own = inside.filter((c) => c.id !== orphan.id);
			const settled = own.filter((c) => c.settled);
			const living = settled.length ? settled : own;
			expect(living.length, s.code).toBeGreaterThan(0);
			for (const c of own) expect(c.residents, `${s.code} cell ${c.id}`).toBeCloseTo(living.includes(c) ? s.residents / living.length : 0, 9);
		}
		expect(orphan.residents).toBeGreaterThanOrEqual(11 - 1e-9);
		const rows = await coverage.storedRioni('food', 15);
		expect(rows.find((x) => x.rione === null)!.residents!).toBeCloseTo(2022, 6);
		expect(rows.find((x) => x.rione === 'Castello')!.residents_source).toBe('partner');

		await sql`DELETE FROM census_section WHERE code LIKE ${`test-${run}-%`}`;
		await planning.refreshCoverage();
		expect((await cells()).every((c) => c.residents_source !== 'census')).toBe(true);
	}, SLOW);
});

describe('freshness', () => {
	it('a change marks the figures dirty; the debounced job rebuilds them; reads never write', async () => {
		if ((await planning.freshness()).dirty) await planning.refreshCoverage();
		const fresh = await planning.freshness();
		expect(fresh.dirty).toBe(false);
		await planning.rioniCoverage({ need: 'food', within: 15, when: 'evening', accepting: false });
		expect(await planning.freshness()).toEqual(fresh);

		await sql`UPDATE service SET accepting_new = accepting_new WHERE organization_id = ${fixtureOrg}`;
		const dirty = await coverage.state();
		expect(dirty.dirty_since).not.toBeNull();
		// Not yet: the debounce lets a burst of edits settle.
		expect(await planning.refreshIfDirty(dirty.dirty_since!)).toBeNull();
		const report = await planning.refreshIfDirty(new Date(dirty.dirty_since!.getTime() + planning.REFRESH_DEBOUNCE_MS));
		expect(report?.cells).toBe(grid.length);
		// A directory edit: the grid is kept, the same cells as a full rebuild lays.
		expect(report?.gridBuilt).toBe(false);
		expect(await cells()).toEqual(grid);
		const after = await planning.freshness();
		expect(after.dirty).toBe(false);
		expect(Date.parse(after.computed_at!)).toBeGreaterThan(Date.parse(fresh.computed_at!));
	}, SLOW);

	it('the hourly opening-hours expansion does not mark them dirty; a changed expression does', async () => {
		if ((await planning.freshness()).dirty) await planning.refreshCoverage();
		// What the expansion writes: the intervals and the horizon stamp.
		await sql`UPDATE opening_hours SET expanded_until = expanded_until`;
		await sql`DELETE FROM opening_interval WHERE false`;
		expect((await coverage.state()).dirty_since).toBeNull();
		await sql`UPDATE opening_hours SET expression = expression WHERE id = (SELECT min(id) FROM opening_hours)`;
		expect((await coverage.state()).dirty_since).not.toBeNull();
		// The expression is the same one: the figures still hold (a rebuild would cost half a minute
		// on PGlite for nothing).
		await sql`UPDATE coverage_state SET dirty_since = NULL`;
	}, SLOW);
});
