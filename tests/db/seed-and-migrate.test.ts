import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/server/db/client';
import { migrate } from '../../src/lib/server/db/migrate';
import * as audit from '../../src/lib/server/db/audit';
import * as seedState from '../../src/lib/server/db/seed-state';
import { chooseDemo, seed } from '../../src/lib/server/seed/load';

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
		// Every function file is re-applied (CREATE OR REPLACE), in name order.
		const functions = fs.readdirSync('db/functions').filter((name) => name.endsWith('.sql')).sort();
		expect(functions).toEqual(expect.arrayContaining(['coverage.sql', 'location_places.sql', 'match.sql']));
		expect(await migrate('db')).toEqual({ applied: [], functions });
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
		expect(await seed({ dbAssetsDir: 'db', demo: true })).toEqual({ loaded: [], demo: true, kept: [] });
		expect(await counts()).toEqual(before);
	});

	it('the first load recorded the demo choice; a contradicting ATLANTE_DEMO later removes nothing', async () => {
		expect(await seedState.demoChoice()).toMatchObject({ on: true, setBy: 'first load: ATLANTE_DEMO=1' });
		const before = await counts();
		expect(before.demo).toBeGreaterThan(30);
		const report = await seed({ dbAssetsDir: 'db', demo: false });
		expect(report).toEqual({ loaded: [], demo: true, kept: [] });
		expect(await counts()).toEqual(before);
	});

	it('the explicit choice off removes exactly the demo records, audited; on brings them back', async () => {
		const before = await counts();
		const off = await chooseDemo({ dbAssetsDir: 'db', on: false, setBy: 'test' });
		expect(off.removed).toMatchObject({ organizations: before.demo });
		const without = await counts();
		expect(without.demo).toBe(0);
		expect(without.real).toBe(before.real);
		expect(await seedState.demoChoice()).toMatchObject({ on: false, setBy: 'test' });
		const [event] = await audit.list({ action: 'directory.demo_removed', limit: 1 });
		expect(event!.detail).toMatchObject({ organizations: before.demo, by: 'test' });
		// Off is recorded: a load asking for the demo set does not bring it back.
		expect((await seed({ dbAssetsDir: 'db', demo: true })).demo).toBe(false);
		expect((await counts()).demo).toBe(0);

		const on = await chooseDemo({ dbAssetsDir: 'db', on: true, setBy: 'first load: ATLANTE_DEMO=1' });
		expect(on.report.loaded).toEqual(['demo/demo.directory.json']);
		expect(await counts()).toEqual(before);
	});
});
