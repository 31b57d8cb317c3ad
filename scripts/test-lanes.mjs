// `npm test` after the build: the Vitest projects in two processes ("lanes") at once.
//
// Why: on a two-core machine Vitest's default is one worker (cores − 1), and the database and
// browser projects must run their files one after the other anyway (one embedded store per project,
// one browser), so a single `vitest run` left a core idle while a test waited on the app, the
// PostgreSQL server or Chromium: 16–19 minutes for the whole suite. Vitest cannot run a project
// whose files share one worker next to another project in the same process (projects with a
// different worker count must be in different `sequence.groupOrder` groups, which run one after
// the other), so the lanes are two processes, of about equal length (measured in CI: e2e alone is
// about 250 s; unit, db-embedded and api-server about 250 s, api-embedded about 100 s). The
// projects share nothing: each has its own store, scratch database, app and ports. `faults` (the
// shortened fault tests: 7 minutes measured at load 15–20, mostly seeding stores and starting apps
// and PostgreSQL instances) goes with e2e, whose lane is the shorter with a server.
//
// `npm test -- ARGS` (a file, `--project x`, …) runs one plain `vitest run ARGS` instead, and
// `TEST_LANES=1 npm test` runs every project in one process (as before, for a one-core machine).
import { spawn } from 'node:child_process';
import process from 'node:process';

const vitest = ['node_modules/vitest/vitest.mjs', 'run'];
const args = process.argv.slice(2);

// As vitest.config.ts decides: the server projects exist only with TEST_DATABASE_URL and the real clock.
const server = Boolean(process.env.TEST_DATABASE_URL) && !process.env.TEST_CLOCK;
const lanes = server
	? [
			['unit', 'db-embedded', 'api-server', 'api-embedded'],
			['e2e', 'db-server', 'faults']
		]
	: [
			['unit', 'db-embedded'],
			['api-embedded', 'e2e', 'faults']
		];

const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		for (const child of children) child.kill(signal);
	});
}

/** Runs one `vitest run`, each output line prefixed with the lane's name when there are several. */
function run(vitestArgs, prefix) {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [...vitest, ...vitestArgs], {
			stdio: prefix ? ['ignore', 'pipe', 'pipe'] : 'inherit',
			env: process.env
		});
		children.add(child);
		if (prefix) {
			for (const [from, to] of [
				[child.stdout, process.stdout],
				[child.stderr, process.stderr]
			]) {
				let pending = '';
				from.setEncoding('utf8');
				from.on('data', (chunk) => {
					const lines = (pending + chunk).split('\n');
					pending = lines.pop() ?? '';
					for (const line of lines) to.write(`${prefix} ${line}\n`);
				});
				from.on('end', () => pending && to.write(`${prefix} ${pending}\n`));
			}
		}
		child.on('close', (code, signal) => {
			children.delete(child);
			resolve(code ?? (signal ? 1 : 0));
		});
	});
}

let code;
if (args.length > 0 || process.env.TEST_LANES === '1') {
	code = await run(args, null);
} else {
	const started = Date.now();
	const codes = await Promise.all(
		lanes.map((projects, i) => run(projects.flatMap((name) => ['--project', name]), `[${String.fromCharCode(65 + i)}]`))
	);
	const seconds = ((Date.now() - started) / 1000).toFixed(0);
	lanes.forEach((projects, i) =>
		console.log(`lane ${String.fromCharCode(65 + i)} (${projects.join(', ')}): ${codes[i] === 0 ? 'passed' : `FAILED (exit ${codes[i]})`}`)
	);
	console.log(`all lanes: ${seconds} s`);
	code = codes.find((c) => c !== 0) ?? 0;
}
process.exit(code);
