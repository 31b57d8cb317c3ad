import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/server/db/client';
import { migrate } from '../../src/lib/server/db/migrate';
import { seed } from '../../src/lib/server/seed/load';

const counts = async () => {
	const [row] = await sql<{ real: number; demo: number; pins: number }[]>`
		SELECT count(*) FILTER (WHERE NOT demo)::int AS real, count(*) FILTER (WHERE demo)::int AS demo,
			(SELECT count(*)::int FROM public_resource) AS pins
		FROM organization`;
	return row!;
};

describe('migrations and seed', () => {
	it('migrating again applies nothing and changes nothing', async () => {
		const before = await counts();
		expect(await migrate('db')).toEqual({ applied: [], functions: ['location_places.sql', 'match.sql'] });
		expect(await counts()).toEqual(before);
	});

	it('refuses to run when an applied migration was edited', async () => {
		const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-db-'));
		fs.cpSync('db', copy, { recursive: true });
		fs.appendFileSync(path.join(copy, 'migrations', '0001_init.sql'), '\n-- edited\n');
		await expect(migrate(copy)).rejects.toThrow(/0001_init\.sql was changed after it was applied/);
		fs.rmSync(copy, { recursive: true, force: true });
	});

	it('seeding again loads nothing when no file changed', async () => {
		const before = await counts();
		expect(await seed({ dbAssetsDir: 'db', demo: true })).toEqual({ loaded: [], demoRemoved: 0 });
		expect(await counts()).toEqual(before);
	});

	it('ATLANTE_DEMO off removes exactly the demo records; on brings them back', async () => {
		const before = await counts();
		expect(before.demo).toBeGreaterThan(30);
		const off = await seed({ dbAssetsDir: 'db', demo: false });
		expect(off.demoRemoved).toBe(before.demo);
		const without = await counts();
		expect(without.demo).toBe(0);
		expect(without.real).toBe(before.real);
		const on = await seed({ dbAssetsDir: 'db', demo: true });
		expect(on.loaded).toEqual(['demo/demo.directory.json']);
		expect(await counts()).toEqual(before);
	});
});
