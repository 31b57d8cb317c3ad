import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../scripts/lib/scratch-database';
import { testSmtp, type TestSmtp } from '../setup/smtp';
import { FULL, alive, appEnv, figure, prepareStore, request, signIn, startApp, tempDataDir, type AppProcess } from './harness';

/**
 * The mail server down and back, against the running app: staff actions that send email go on
 * answering while it is down, and every message arrives once after it is back — within the outbox's
 * backoff (a first retry one minute after the failed attempt, plus up to one 15 s poll).
 *
 * Full run only (`npm run bench:faults`): it waits out that minute. On every change CI runs the same
 * fault without the wait, on both backends, in tests/db/mail-outbox.test.ts (the dispatcher driven
 * with a moved clock: down, retried on the schedule, delivered once when back).
 */
describe.runIf(FULL)('the SMTP server down and back', () => {
	let smtp: TestSmtp;
	let app: AppProcess;
	let cleanup: () => Promise<void> = async () => {};

	beforeAll(async () => {
		smtp = await testSmtp();
		const mail = { SMTP_URL: smtp.url, MAIL_FROM: 'Atlante di comunità <atlante@atlante.test>' };
		let env: NodeJS.ProcessEnv;
		if (process.env.TEST_DATABASE_URL) {
			const scratch = await createScratchDatabase('faults_smtp');
			env = appEnv({ DATABASE_URL: scratch.url, ...mail });
			cleanup = () => scratch.drop();
		} else {
			const store = tempDataDir('faults-smtp');
			env = appEnv({ ATLANTE_DATA_DIR: store.dir, ...mail });
			cleanup = async () => store.remove();
		}
		await prepareStore(env);
		app = await startApp(env);
	});

	afterAll(async () => {
		await app?.stop();
		await smtp?.stop();
		await cleanup();
	});

	it('answers while it is down, and delivers every message once after it is back', async () => {
		const cookie = await signIn(app.baseUrl, 'admin');
		await smtp.stop();
		const downAt = performance.now();
		const invited: string[] = [];
		const statuses: number[] = [];
		for (let i = 0; i < 5; i++) {
			const email = `guasto.posta.${i}.${Date.now()}@atlante.test`;
			const answer = await request(app.baseUrl, '/api/admin/users', {
				method: 'POST',
				cookie,
				json: { email, name: `Persona Invitata ${i}`, role: 'worker', organizations: [] }
			});
			statuses.push(answer.status);
			if (answer.status === 201) invited.push(email);
		}
		expect(statuses).toEqual([201, 201, 201, 201, 201]);
		// Let the dispatcher try (and fail) while the server is down.
		await new Promise((resolve) => setTimeout(resolve, 3_000));
		expect(smtp.received).toHaveLength(0);
		await smtp.start();
		const upAt = performance.now();

		const addressed = () => smtp.received.flatMap((mail) => (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((to) => to.value.map((a) => a.address ?? '')));
		const limit = 120_000;
		while (performance.now() - upAt < limit && !invited.every((email) => addressed().includes(email))) {
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		const deliveredAfterMs = Math.round(performance.now() - upAt);
		// A little longer: nothing arrives twice.
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		const counts = invited.map((email) => addressed().filter((to) => to === email).length);
		figure('SMTP server down and back', {
			'messages queued while down': invited.length,
			'requests failed while down': statuses.filter((s) => s !== 201).length,
			'outage s': Number(((upAt - downAt) / 1000).toFixed(1)),
			'all delivered after the return s': Number((deliveredAfterMs / 1000).toFixed(1)),
			'messages lost': counts.filter((n) => n === 0).length,
			'messages sent twice': counts.filter((n) => n > 1).length
		});
		expect(counts).toEqual(invited.map(() => 1));
		expect(alive(app.child.pid)).toBe(true);
	});
});
