import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/server/db/client';
import * as hsdsDb from '../../src/lib/server/db/hsds';
import { countOf } from '../../src/lib/server/hsds/counts';

// The HSDS pages' total_items (issue 15): kept in memory until the directory changes
// (directory_change_seq, migration 0024), so a region-scale page does not count 200,000 pins each
// time, and never shows a count older than the last committed change.

let restore: (() => Promise<unknown>) | null = null;
afterEach(async () => {
	await restore?.();
	restore = null;
});

async function aPublicService(): Promise<string> {
	const [row] = await sql<{ id: string }[]>`SELECT DISTINCT service_id::text AS id FROM public_resource WHERE NOT demo ORDER BY id LIMIT 1`;
	return row!.id;
}

describe('HSDS counts', () => {
	it('counts again once a directory write has advanced the change number', async () => {
		const filter = { excludeDemo: true };
		const before = await countOf('service', filter);
		expect(before).toBe(await hsdsDb.countOf('service', filter));
		const version = await hsdsDb.directoryVersion();
		const id = await aPublicService();
		await sql`UPDATE service SET status = 'inactive' WHERE id = ${id}::uuid`;
		restore = () => sql`UPDATE service SET status = 'active' WHERE id = ${id}::uuid`;
		expect(await hsdsDb.directoryVersion()).not.toBe(version);
		expect(await countOf('service', filter)).toBe(before - 1);
		expect(await countOf('organization', filter)).toBe(await hsdsDb.countOf('organization', filter));
		await restore();
		restore = null;
		expect(await countOf('service', filter)).toBe(before);
	});

	it('keeps a count while the change number stands (a write that skips the triggers goes unseen)', async () => {
		const filter = { excludeDemo: true, q: 'a' };
		const before = await countOf('pin', filter);
		const id = await aPublicService();
		// Triggers off for this transaction only: the directory changes without advancing the number.
		await sql.begin(async (tx) => {
			await tx`SET LOCAL session_replication_role = replica`;
			await tx`UPDATE service SET status = 'inactive' WHERE id = ${id}::uuid`;
		});
		restore = () => sql`UPDATE service SET status = 'active' WHERE id = ${id}::uuid`;
		expect(await hsdsDb.countOf('pin', filter)).toBeLessThan(before);
		expect(await countOf('pin', filter)).toBe(before);
	});
});
