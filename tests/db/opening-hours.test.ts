import { afterEach, describe, expect, it } from 'vitest';
import * as publicApi from '../../src/lib/server/api/public';
import * as matchApi from '../../src/lib/server/api/match';
import { sql } from '../../src/lib/server/db/client';
import * as help from '../../src/lib/server/help';
import { config, expandOpeningHours } from '../../src/lib/server/startup';

const DAY_MS = 86_400_000;

/** Everything expansion writes: each expression's horizon and every interval, as text. */
async function expansionState(): Promise<{ hours: string; intervals: string }> {
	const [row] = await sql<{ hours: string | null; intervals: string | null }[]>`
		SELECT
			(SELECT string_agg(id || ':' || coalesce(expanded_until::text, '-'), ',' ORDER BY id) FROM opening_hours) AS hours,
			(SELECT string_agg(opening_hours_id || ':' || during::text, ',' ORDER BY opening_hours_id, during) FROM opening_interval) AS intervals`;
	return { hours: row?.hours ?? '', intervals: row?.intervals ?? '' };
}

async function horizons(): Promise<Date[]> {
	const rows = await sql<{ expanded_until: Date | null }[]>`SELECT expanded_until FROM opening_hours ORDER BY id`;
	return rows.map((row) => row.expanded_until ?? new Date(0));
}

// Files share one store: leave every expression expanded from the real now, as start-up does.
afterEach(async () => {
	await sql`UPDATE opening_hours SET expanded_until = NULL`;
	await expandOpeningHours(new Date());
});

describe('opening-hours expansion', () => {
	it('public reads write nothing, even with every horizon run out', async () => {
		await sql`UPDATE opening_hours SET expanded_until = ${new Date(Date.now() - DAY_MS)}`;
		const before = await expansionState();

		const collection = await publicApi.resourceCollection(new URLSearchParams('open_now=true&limit=5'));
		const all = await publicApi.resourceCollection(new URLSearchParams('limit=1'));
		await publicApi.resourceDetail(String(all.features[0]!.id));
		const query = matchApi.matchQuery(new URLSearchParams('at=9.3905,45.8555&needs=homework,food&open_now=true'));
		await matchApi.answer(query, { servedMarginM: config().servedMarginM });
		await help.load(new URL('http://localhost/trova-aiuto?needs=food&at=9.39,45.85&place=Centro&open_now=true'), {
			servedMarginM: config().servedMarginM
		});

		expect(collection.type).toBe('FeatureCollection');
		expect(await expansionState()).toEqual(before);
	});

	it('the job extends the horizon as of the clock it is given, once, under the lock', async () => {
		const now = new Date();
		const count = (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM opening_hours`)[0]!.n;
		expect(count).toBeGreaterThan(0);
		// Start-up expanded 8 days ahead: nothing is due now, nor an hour later.
		expect(await expandOpeningHours(now)).toBe(0);
		expect(await expandOpeningHours(new Date(now.getTime() + 3_600_000))).toBe(0);

		// Seven days on, one day is left: every expression is due, and expanded from that instant,
		// once even when two instances tick together (the second waits for the lock, then finds
		// nothing due).
		const later = new Date(now.getTime() + 7 * DAY_MS);
		const [first, second] = await Promise.all([expandOpeningHours(later), expandOpeningHours(later)]);
		expect(first! + second!).toBe(count);
		for (const until of await horizons()) expect(until.getTime()).toBe(later.getTime() + 8 * DAY_MS);
		const [span] = await sql<{ first: Date | null; last: Date | null }[]>`
			SELECT min(lower(during)) AS first, max(upper(during)) AS last FROM opening_interval`;
		expect(span!.first!.getTime()).toBeGreaterThanOrEqual(later.getTime() - DAY_MS);
		expect(span!.last!.getTime()).toBeGreaterThan(later.getTime() + 6 * DAY_MS);

		// A second tick (another instance, the next hour) finds nothing left to do.
		expect(await expandOpeningHours(later)).toBe(0);
	});
});
