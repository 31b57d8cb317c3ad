// `npm run bench:faults [-- FILE…]`: the fault tests (tests/faults) in their full version, then
// every figure they measured, for the closing note: a connection ended in the middle of a plan
// transaction and of an import, PostgreSQL restarted under load (a throwaway instance of our own),
// the app killed during writes on the embedded store, the mail server down and back (it waits out
// the outbox's one-minute backoff: about 4 minutes in all). The server cases need
// TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test, as the benchmarks); builds
// first when there is no build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

if (!fs.existsSync('build/index.js')) {
	const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
	if (built.status !== 0) process.exit(built.status ?? 1);
}
const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-faults-')), 'figures.jsonl');
const env = {
	...process.env,
	FAULTS_FULL: '1',
	FAULTS_REPORT: report,
	TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
};
const started = Date.now();
const tests = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project', 'faults', ...process.argv.slice(2)], { stdio: 'inherit', env });
const [load1, load5] = os.loadavg();

console.info(`\nFault figures (${new Date().toISOString()}, ${os.cpus().length} CPUs, load average ${load1!.toFixed(1)} / ${load5!.toFixed(1)}, ${((Date.now() - started) / 1000).toFixed(0)} s):`);
const lines = fs.existsSync(report) ? fs.readFileSync(report, 'utf8').trim().split('\n').filter(Boolean) : [];
for (const line of lines) {
	const { fault, ...values } = JSON.parse(line) as Record<string, unknown>;
	console.info(`- ${fault}`);
	for (const [name, value] of Object.entries(values)) console.info(`    ${name}: ${value}`);
}
if (lines.length === 0) console.info('  (none: see the test output above)');
fs.rmSync(path.dirname(report), { recursive: true, force: true });
process.exit(tests.status ?? 1);
