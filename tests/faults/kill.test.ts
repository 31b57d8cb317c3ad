import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL, alive, appEnv, createPlan, figure, prepareStore, request, signIn, startApp, tempDataDir, type Answer, type AppProcess } from './harness';

const run = promisify(execFile);

/**
 * `kill -9` of the app on the embedded default while it writes, then a restart: every write it
 * acknowledged is there and readable (its household decrypted), none is half there, and the
 * single-writer lock the dead process left is taken over by the next one — and released by a clean stop.
 */
describe('the app killed (SIGKILL) during writes on the embedded store', () => {
	const store = tempDataDir('faults-kill');
	let app: AppProcess | null = null;
	const env = appEnv({ ATLANTE_DATA_DIR: store.dir });
	const lockFile = path.join(store.dir, 'atlante.lock');

	beforeAll(async () => {
		await prepareStore(env);
	});

	afterAll(async () => {
		await app?.stop();
		store.remove();
	});

	// The first start computes the planners' figures (tens of seconds on a loaded machine), each
	// restart recovers the store: generous limits, as the figures, not the limits, are the point.
	const START_MS = 400_000;
	it('keeps every acknowledged write, none half-written, and the next start takes the lock over', { timeout: 1_800_000 }, async () => {
		const rounds = FULL ? 3 : 1;
		const perRound = FULL ? 40 : 8;
		const acknowledged = new Map<string, string>();
		const restartMs: number[] = [];
		let inFlightAtKill = 0;
		for (let round = 1; round <= rounds; round++) {
			app = await startApp(env, START_MS);
			if (round > 1) restartMs.push(app.readyMs);
			const cookie = await signIn(app.baseUrl, 'worker');
			// Two writers at once, so the kill lands while a transaction is open.
			let n = 0;
			const inFlight = new Set<Promise<Answer>>();
			const writer = async () => {
				for (;;) {
					const name = `Famiglia Kill ${round}-${++n}`;
					const attempt = createPlan(app!.baseUrl, cookie, name);
					inFlight.add(attempt);
					const answer = await attempt;
					inFlight.delete(attempt);
					if (answer.status !== 201) return;
					acknowledged.set(JSON.parse(answer.body).id, name);
					if (n >= perRound) return;
				}
			};
			const writers = [writer(), writer()];
			while (n < perRound) await new Promise((resolve) => setTimeout(resolve, 10));
			inFlightAtKill += inFlight.size;
			const pid = app.child.pid!;
			app.child.kill('SIGKILL');
			await Promise.all(writers);
			await new Promise((resolve) => app!.child.exitCode !== null || app!.child.signalCode !== null ? resolve(null) : app!.child.once('exit', resolve));
			expect(alive(pid)).toBe(false);
			// The dead process's lock is still on disk: the next start must take it over.
			expect(fs.readFileSync(lockFile, 'utf8').trim()).toBe(String(pid));
		}

		app = await startApp(env, START_MS);
		restartMs.push(app.readyMs);
		expect(fs.readFileSync(lockFile, 'utf8').trim()).toBe(String(app.child.pid));
		const cookie = await signIn(app.baseUrl, 'worker');
		const listed = JSON.parse((await request(app.baseUrl, '/api/plans', { cookie })).body) as { id: string; name: string | null }[];
		const kept = listed.filter((plan) => plan.name?.startsWith('Famiglia Kill '));
		// Every acknowledged plan, with its household's name (decrypted with the store's key).
		for (const [id, name] of acknowledged) expect(kept.find((plan) => plan.id === id)?.name, name).toBe(name);
		// At most the writes in flight at a kill besides: committed whose answer never left.
		expect(kept.length).toBeLessThanOrEqual(acknowledged.size + inFlightAtKill);
		// None half there: each plan opens whole, with its strength and need.
		for (const plan of kept) {
			const answer = await request(app.baseUrl, `/api/plans/${plan.id}`, { cookie });
			expect(answer.status, answer.body).toBe(200);
			const body = JSON.parse(answer.body) as { strengths: unknown[]; needs: unknown[] };
			expect([body.strengths.length, body.needs.length]).toEqual([1, 1]);
		}
		// Still one writer: a second process is refused while the restarted app runs.
		const second = run(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/migrate.ts'], { env: { ...env, LOG_LEVEL: 'silent' } });
		await expect(second).rejects.toMatchObject({ stderr: expect.stringMatching(/is already open in process \d+/) });
		// Writes go on after the restart.
		expect((await createPlan(app.baseUrl, cookie, 'Famiglia Dopo Il Riavvio')).status).toBe(201);
		await app.stop();
		expect(fs.existsSync(lockFile), 'a clean stop releases the lock').toBe(false);
		app = null;

		figure('kill -9 during writes (embedded)', {
			kills: rounds,
			'writes acknowledged (all kept, readable)': acknowledged.size,
			'writes in flight at the kills': inFlightAtKill,
			'of those, committed': kept.length - acknowledged.size,
			'half-written': 0,
			'restart to ready after a kill ms (median)': restartMs.sort((a, b) => a - b)[Math.floor(restartMs.length / 2)]!
		});
	});
});
