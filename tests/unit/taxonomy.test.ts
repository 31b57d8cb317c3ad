import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIENCES, CATEGORIES, NEEDS, PACT_COMMITMENTS, type Term } from '../../src/lib/domain/taxonomy';

// The taxonomies live in TypeScript (for validation and the UI) and in the first migration (for
// foreign keys): this keeps the two lists identical.
const migration = fs.readFileSync('db/migrations/0001_init.sql', 'utf8');

function termsInMigration(table: string): Term[] {
	const block = migration.match(new RegExp(`INSERT INTO ${table} \\(code, label_it, label_en, position\\) VALUES([\\s\\S]*?);`));
	if (!block) throw new Error(`no INSERT INTO ${table} in the migration`);
	return [...block[1]!.matchAll(/\('([^']+)', '((?:[^']|'')+)', '((?:[^']|'')+)', \d+\)/g)].map((m) => ({
		code: m[1]!,
		label_it: m[2]!.replaceAll("''", "'"),
		label_en: m[3]!.replaceAll("''", "'")
	}));
}

describe('taxonomies', () => {
	it.each([
		['category', CATEGORIES],
		['need', NEEDS],
		['audience', AUDIENCES],
		['pact_commitment', PACT_COMMITMENTS]
	])('%s matches the migration', (table, terms) => {
		expect(termsInMigration(table)).toEqual(terms);
	});
});
