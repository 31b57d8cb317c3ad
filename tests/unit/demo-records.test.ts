import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// db/seed/demo/records/*.json are the hand-written input of `npm run demo:build`, not seed files:
// the app loads only the built bundle demo/demo.directory.json (src/lib/server/seed/load.ts), and
// its loaders pick files by name, so no record file may carry a seed file's name.
const SEED_FILE_NAMES = /(\.directory\.json|sources\.json|\.geojson|streets\.csv)$/;

describe('demo record files', () => {
	const dir = path.resolve(import.meta.dirname, '../../db/seed/demo/records');
	const names = fs.readdirSync(dir).filter((name) => name.endsWith('.json'));

	it('exist, one per rione', () => {
		expect(names.length).toBe(16);
	});

	it('are not named like a file the seed loader would load', () => {
		expect(names.filter((name) => SEED_FILE_NAMES.test(name))).toEqual([]);
	});
});
