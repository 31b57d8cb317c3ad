// `npm run migrate`: applies pending migrations and re-applies db/functions on the database the
// environment names (DATABASE_URL, or the embedded store in ATLANTE_DATA_DIR). Schema only: it never
// changes the directory's content.
//
// `npm run seed` (this script with --seed): also loads the seed files that changed, and the demo set
// when this database's recorded demo choice is on (the first load records it from ATLANTE_DEMO, else
// the backend's default). `npm run seed -- --demo on|off [--yes]` changes that choice: `off` says
// what it will remove and asks, or proceeds with --yes; without a terminal and without --yes it
// refuses and changes nothing. On the embedded store it refuses to run while the app has it open.
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { readConfig } from '../src/lib/server/config';
import { chooseDemo, demoImpact, seed } from '../src/lib/server/seed/load';
import * as seedState from '../src/lib/server/db/seed-state';
import { start, stop } from '../src/lib/server/startup';
import type { DemoImpact } from '../src/lib/server/db/directory';

const { values } = parseArgs({
	options: {
		seed: { type: 'boolean', default: false },
		demo: { type: 'string' },
		yes: { type: 'boolean', default: false }
	}
});

/** Exit code of a refusal that changed nothing (no confirmation possible). */
const REFUSED = 2;

function describe(impact: DemoImpact): string[] {
	const lines = [
		`  ${impact.organizations} demo organisations, with their ${impact.services} services and ${impact.locations} places`
	];
	const attached: [number, string][] = [
		[impact.staffMemberships, 'staff memberships of them (the accounts stay)'],
		[impact.pactMemberships, 'pact memberships'],
		[impact.consentScopes, 'support-plan consent scopes naming them'],
		[impact.planMembers, 'support-plan memberships'],
		[impact.planOverrides, 'support-plan sharing overrides'],
		[impact.referrals, 'referrals to them, with their history'],
		[impact.planActions, 'plan actions assigned to them (kept, unassigned)']
	];
	for (const [count, what] of attached) if (count > 0) lines.push(`  ${count} ${what}`);
	return lines;
}

async function confirm(question: string): Promise<boolean> {
	const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
	const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
	rl.close();
	return /^(y|yes|s|si|sì)$/i.test(answer.trim());
}

async function demoCommand(on: boolean): Promise<void> {
	const config = readConfig(process.env);
	const setBy = `npm run seed -- --demo ${on ? 'on' : 'off'}`;
	if (!on) {
		const impact = await demoImpact();
		if (impact.organizations > 0) {
			console.info(['Turning the demo set off removes, for good:', ...describe(impact)].join('\n'));
			if (!values.yes) {
				if (!process.stdin.isTTY) {
					console.error('Nothing was changed: confirm with --yes (no terminal to ask).');
					process.exitCode = REFUSED;
					return;
				}
				if (!(await confirm('Remove them? [y/N] '))) {
					console.info('Nothing was changed.');
					return;
				}
			}
		}
	}
	const { removed } = await chooseDemo({ dbAssetsDir: config.dbAssetsDir, on, setBy });
	console.info(on ? 'The demo set is on.' : `The demo set is off${removed ? `: ${removed.organizations} organisations removed` : ''}.`);
	// Then the rest of the seed, as `npm run seed` does.
	await seed({ dbAssetsDir: config.dbAssetsDir, demo: on, demoDefault: config.demoDefault });
}

try {
	if (values.demo !== undefined && !values.seed) throw new Error('--demo belongs to `npm run seed -- --demo on|off`.');
	if (values.demo !== undefined && values.demo !== 'on' && values.demo !== 'off') throw new Error('--demo must be on or off.');
	// The demo change runs after start-up, which then must not seed (it would use the old choice).
	const withSeed = values.seed && values.demo === undefined;
	const started = await start(process.env, { seed: withSeed });
	if (values.demo !== undefined) {
		await demoCommand(values.demo === 'on');
	} else {
		const choice = values.seed ? await seedState.demoChoice() : null;
		const demo = choice ? `; demo set ${choice.on ? 'on' : 'off'} (${choice.setBy})` : '';
		console.info(`Database ready in ${started.timings.totalMs} ms${values.seed ? ` (migrated and seeded${demo})` : ' (migrated)'}.`);
		const kept = started.seed?.kept ?? [];
		if (kept.length > 0) console.info(`Kept ${kept.length} edits made since the seed was loaded, which changed seed files would have overwritten:`);
		for (const k of kept) console.info(`  ${k.record}: ${k.field ?? `the whole ${k.entity} (${k.reason}), which the file no longer has`}`);
	}
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
} finally {
	await stop();
}
