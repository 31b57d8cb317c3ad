import http from 'node:http';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, startApp, type AppProcess } from '../../scripts/lib/app-process';
import { nginxBinary, startNginx, type Nginx } from '../../scripts/lib/nginx';
import { testSmtp, type TestSmtp } from '../setup/smtp';
import { TEST_HOUSEHOLD_KEY, TEST_PASSWORD, TEST_USERS } from '../setup/test-users-list';

/**
 * Two more app instances on the PostGIS database of the server project, behind a real nginx
 * (scripts/lib/nginx.ts) spreading requests round-robin, configured as README's "Running behind a
 * reverse proxy" says (ORIGIN = the proxy's address, ADDRESS_HEADER=x-forwarded-for, XFF_DEPTH=1).
 * Requests come from 127.0.0.2 and 127.0.0.3 (loopback addresses other than nginx's 127.0.0.1),
 * so the test tells the client's address from the proxy's. Together the instances must behave as
 * one: sessions, sign-in throttling, the error-report limit, the mail outbox (each message sent
 * once) and the opening-hours expansion (done once). Server backend only (the embedded store is one
 * process's); skipped without nginx, except in CI.
 */
const databaseUrl = inject('databaseUrl');
const run = Date.now().toString(36);
const REPORTS_PER_HOUR = 2;

const available = databaseUrl !== null && (nginxBinary() !== null || process.env.CI === 'true');

interface Answer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

describe.runIf(available)('two instances behind nginx', () => {
	let proxy: Nginx;
	let proxyUrl: string;
	let apps: AppProcess[] = [];
	let smtp: TestSmtp;
	let db: postgres.Sql;
	let expressions = 0;

	/** A request through the proxy from the loopback address `from` (nginx sees it as the client). */
	function send(from: string, path: string, options: { method?: string; headers?: Record<string, string>; form?: Record<string, string> } = {}): Promise<Answer> {
		const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
		const url = new URL(path, proxyUrl);
		return new Promise((resolve, reject) => {
			const request = http.request(
				{
					host: url.hostname,
					port: url.port,
					path: url.pathname + url.search,
					method: options.method ?? (body ? 'POST' : 'GET'),
					localAddress: from,
					headers: {
						accept: 'text/html',
						...(body ? { origin: proxyUrl, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) } : {}),
						...options.headers
					}
				},
				(response) => {
					let text = '';
					response.setEncoding('utf8');
					response.on('data', (chunk: string) => (text += chunk));
					response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: text }));
				}
			);
			request.on('error', reject);
			request.end(body);
		});
	}

	beforeAll(async () => {
		db = postgres(databaseUrl!, { max: 2, onnotice: () => {} });
		// Every expression due again: the two instances start together and must expand each once.
		expressions = (await db`UPDATE opening_hours SET expanded_until = NULL`).count;
		smtp = await testSmtp();
		const port = await freePort();
		proxyUrl = `http://127.0.0.1:${port}`;
		const env: NodeJS.ProcessEnv = {
			...process.env,
			DATABASE_URL: databaseUrl!,
			ATLANTE_HOUSEHOLD_KEY: TEST_HOUSEHOLD_KEY,
			ATLANTE_DEMO: '1',
			ATLANTE_PLANNING_REFRESH_DELAY_S: '3600',
			ATLANTE_REPORTS_PER_HOUR: String(REPORTS_PER_HOUR),
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1',
			SMTP_URL: smtp.url,
			MAIL_FROM: 'Atlante di comunità <atlante@atlante.test>',
			LOG_LEVEL: 'info'
		};
		apps = await Promise.all([startApp(env, undefined, undefined, proxyUrl), startApp(env, undefined, undefined, proxyUrl)]);
		proxy = await startNginx(port, apps.map((app) => new URL(app.baseUrl).host));
	}, 180_000);

	afterAll(async () => {
		await proxy?.stop();
		await Promise.all(apps.map((app) => app.stop()));
		await smtp?.stop();
		await db?.end();
	});

	it('expanded the opening hours once between them, as they started together', () => {
		const expanded = apps.map((app) => [...app.output().matchAll(/opening hours expanded \{"expressions":(\d+)\}/g)].reduce((sum, match) => sum + Number(match[1]), 0));
		expect(expressions).toBeGreaterThan(0);
		expect(expanded[0]! + expanded[1]!).toBe(expressions);
	});

	it('both answer through the proxy, and a session made on one is valid on the other', async () => {
		const signIn = await send('127.0.0.2', '/login', { form: { email: TEST_USERS.planner.email, password: TEST_PASSWORD } });
		expect(signIn.status).toBe(303);
		const cookie = /(atlante_session=[^;]+)/.exec(String(signIn.headers['set-cookie']))?.[1];
		expect(cookie).toBeTruthy();
		const upstreams = new Set<string>();
		for (let i = 0; i < 4; i++) {
			const me = await send('127.0.0.2', '/api/me', { headers: { cookie: cookie!, accept: 'application/json' } });
			expect(me.status).toBe(200);
			expect(JSON.parse(me.body).email).toBe(TEST_USERS.planner.email);
			upstreams.add(String(me.headers['x-upstream']));
		}
		expect(upstreams.size).toBe(2);
	});

	it('throttles sign-in across instances, and records the client’s address, not the proxy’s', async () => {
		const email = `nessuno-${run}@atlante.test`;
		const statuses: number[] = [];
		for (let i = 0; i < 4; i++) statuses.push((await send('127.0.0.2', '/login', { form: { email, password: 'sbagliata del tutto' } })).status);
		// Three failures are free per account (auth/login.ts), wherever they landed; the fourth waits.
		expect(statuses).toEqual([400, 400, 400, 429]);
		const addresses = await db<{ address: string }[]>`SELECT DISTINCT address FROM audit_event WHERE actor_email = ${email}`;
		expect(addresses.map((row) => row.address)).toEqual(['127.0.0.2']);
	});

	it('shares the error-report limit per client address; a forged X-Forwarded-For does not escape it', async () => {
		const [resource] = await db<{ id: string }[]>`
			SELECT sal.id::text FROM service_at_location sal JOIN service s ON s.id = sal.service_id
			JOIN organization o ON o.id = s.organization_id WHERE o.name NOT LIKE '%(esempio)%' ORDER BY sal.id LIMIT 1`;
		const report = (from: string, headers: Record<string, string> = {}) =>
			send(from, `/risorse/${resource!.id}?/report`, { form: { kind: 'hours', note: `prova ${run}`, homepage: '' }, headers });
		for (let i = 0; i < REPORTS_PER_HOUR; i++) expect((await report('127.0.0.2')).status).toBe(303);
		expect((await report('127.0.0.2')).status).toBe(429);
		expect((await report('127.0.0.2', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
		// Another client behind the same proxy is not held back by the first one's reports.
		expect((await report('127.0.0.3')).status).toBe(303);
	});

	it('sends each message of the outbox once, though both dispatch it', async () => {
		const recipients = Array.from({ length: 30 }, (_, i) => `posta-${run}-${i}@atlante.test`);
		await db`
			INSERT INTO mail_outbox ${db(recipients.map((recipient) => ({ kind: 'test.instances', recipient, locale: 'it', subject: 'Prova', body_text: 'Prova', body_html: '<p>Prova</p>' })))}`;
		// Both dispatchers poll every 15 s (mail/outbox.ts POLL_MS).
		const deadline = Date.now() + 45_000;
		let waiting = recipients.length;
		while (Date.now() < deadline && waiting > 0) {
			await new Promise((resolve) => setTimeout(resolve, 500));
			const [row] = await db<{ waiting: number }[]>`SELECT count(*)::int AS waiting FROM mail_outbox WHERE recipient IN ${db(recipients)} AND sent_at IS NULL`;
			waiting = row!.waiting;
		}
		expect(waiting).toBe(0);
		const received = smtp.received.flatMap((mail) => (Array.isArray(mail.to) ? mail.to : [mail.to]).map((to) => to?.text ?? ''));
		expect(recipients.map((recipient) => received.filter((to) => to === recipient).length)).toEqual(recipients.map(() => 1));
	}, 60_000);
});
