// `npm run audit:deps [-- --registry URL]`: the lockfile's packages against the advisories the npm
// registry serves (`npm audit --json --package-lock-only`, the bulk advisory endpoint). Fails on a
// high or critical advisory; lists the others. When the registry cannot be reached, or does not
// serve advisories (a mirror or proxy answering 404/405 to the bulk endpoint), it says so and
// passes: the check must not break an offline build, and it cannot judge without the advisories.
// Run in CI (.ci/run) before the tests; tests/unit/audit-deps.test.ts covers its decisions.
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

export const FAILING = ['high', 'critical'];

/**
 * What `npm audit --json` printed, and how it exited, as a verdict: `ok` false only when the
 * advisories were read and one is high or critical.
 * @param {string} stdout
 * @param {number | null} status
 * @returns {{ ok: boolean, reached: boolean, lines: string[] }}
 */
export function verdict(stdout, status) {
	let report;
	try {
		report = JSON.parse(stdout);
	} catch {
		return { ok: true, reached: false, lines: [`audit:deps: no answer from npm audit (exit ${status}); the registry cannot be reached: not checked, passing.`] };
	}
	if (!report || typeof report !== 'object' || !('vulnerabilities' in report)) {
		const reason = String(report?.error?.summary || report?.message || 'no advisories in the answer').split('\n')[0];
		const what = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|network/i.test(reason) ? 'the registry cannot be reached' : 'the registry served no advisories';
		return { ok: true, reached: false, lines: [`audit:deps: ${what} (${reason}): not checked, passing.`] };
	}
	const found = Object.values(report.vulnerabilities ?? {});
	const lines = found
		.sort((a, b) => String(a.name).localeCompare(String(b.name)))
		.map((v) => `  ${String(v.severity).padEnd(8)} ${v.name} ${v.range ?? ''}${v.fixAvailable ? ' (a fix is available)' : ''}`);
	const failing = found.filter((v) => FAILING.includes(v.severity));
	const total = report.metadata?.dependencies?.total ?? '?';
	lines.unshift(`audit:deps: ${total} packages in the lockfile, ${found.length} with advisories, ${failing.length} high or critical.`);
	return { ok: failing.length === 0, reached: true, lines };
}

/** Runs npm audit on the lockfile (never node_modules): a short timeout, no retries, never npm's cached answer. */
export function audit(extraArgs = []) {
	const result = spawnSync('npm', ['audit', '--json', '--package-lock-only', '--fetch-retries=0', '--fetch-timeout=20000', '--prefer-online', ...extraArgs], {
		encoding: 'utf8',
		timeout: 90_000
	});
	return verdict(result.stdout ?? '', result.status);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const { ok, lines } = audit(process.argv.slice(2));
	for (const line of lines) (ok ? console.info : console.error)(line);
	process.exitCode = ok ? 0 : 1;
}
