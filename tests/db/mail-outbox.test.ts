import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/users';
import { sql } from '../../src/lib/server/db/client';
import * as plans from '../../src/lib/server/plans/plans';
import { deliverDue, queue, retryDelayMs, type Notice } from '../../src/lib/server/mail/outbox';
import { smtpMailer, type Mailer } from '../../src/lib/server/mail/transport';
import * as notices from '../../src/lib/server/mail/notices';
import { romeDate } from '../setup/clock';
import { testSmtp, type TestSmtp } from '../setup/smtp';

/*
 * The outbox against a real SMTP server in this process: mail queued in a transaction leaves only
 * if it commits, leaves in the recipient's language as text and HTML with no body kept afterwards,
 * and a server that is down loses nothing — the message waits, is retried on the backoff schedule
 * and arrives exactly once when the server is back. Times come from a clock the test sets.
 */

let smtp: TestSmtp;
let mailer: Mailer;
const FROM = 'Atlante di comunità <atlante@comune.test>';
const settings = () => ({ mail: { url: smtp.url, from: FROM }, siteOrigin: 'https://atlante.test' });
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const address = (name: string) => `${name}-${run}@partner.test`;

const notice = (email: string, locale = 'it'): Notice => ({
	kind: 'referral.new',
	to: { email, locale },
	values: { path: '/segnalazioni', code: 'LC-TEST', organization: 'Associazione di prova (fittizia)' }
});

const receivedBy = (email: string) => smtp.received.filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.value.some((to) => to.address === email));
const rowsFor = (email: string) =>
	sql<{ attempts: number; sent_at: Date | null; last_error: string | null; next_attempt_at: Date; body_text: string | null; body_html: string | null }[]>`
		SELECT attempts, sent_at, last_error, next_attempt_at, body_text, body_html FROM mail_outbox WHERE recipient = ${email}`;

beforeAll(async () => {
	smtp = await testSmtp();
	mailer = smtpMailer(settings().mail);
	// Leave no message of another file due (none queue mail today): this file counts its own.
	await sql`UPDATE mail_outbox SET next_attempt_at = 'infinity' WHERE sent_at IS NULL`;
});

afterAll(async () => {
	mailer?.close();
	await smtp?.stop();
});

describe('mail outbox', () => {
	it('sends nothing for a change that rolls back', async () => {
		const email = address('rollback');
		const now = new Date();
		await expect(
			sql.begin(async (tx) => {
				expect(await queue(tx, [notice(email)], now, settings())).toBe(1);
				throw new Error('the change fails after queueing');
			})
		).rejects.toThrow('the change fails');
		expect(await rowsFor(email)).toEqual([]);
		await deliverDue(mailer, now);
		expect(receivedBy(email)).toEqual([]);
	});

	it('queues nothing when mail is not configured', async () => {
		const email = address('unconfigured');
		expect(await queue(sql, [notice(email)], new Date(), { mail: null, siteOrigin: 'https://atlante.test' })).toBe(0);
		expect(await rowsFor(email)).toEqual([]);
	});

	it('delivers a committed message in the recipient’s language, as text and HTML, and keeps no body', async () => {
		const italian = address('it');
		const english = address('en');
		const now = new Date();
		await sql.begin((tx) => queue(tx, [notice(italian), notice(english, 'en')], now, settings()));
		expect((await rowsFor(italian))[0]).toMatchObject({ attempts: 0, sent_at: null });
		const result = await deliverDue(mailer, now);
		expect(result).toEqual({ sent: 2, failed: 0 });

		const [it] = receivedBy(italian);
		expect(it?.subject).toBe('Nuova segnalazione per Associazione di prova (fittizia)');
		expect(it?.text).toContain('progetto LC-TEST');
		expect(it?.text).toContain('https://atlante.test/segnalazioni');
		expect(it?.html).toContain('href="https://atlante.test/segnalazioni"');
		expect(it?.from?.text).toContain('atlante@comune.test');
		expect(it?.headers.get('content-language')).toBe('it');
		const [en] = receivedBy(english);
		expect(en?.subject).toBe('New referral for Associazione di prova (fittizia)');
		expect(en?.text).toContain('plan LC-TEST');

		for (const email of [italian, english]) {
			const [row] = await rowsFor(email);
			expect(row).toMatchObject({ attempts: 1, last_error: null, body_text: null, body_html: null });
			expect(row!.sent_at).toBeInstanceOf(Date);
		}
		// Sent once: a later round finds nothing.
		expect(await deliverDue(mailer, new Date(now.getTime() + 3_600_000))).toEqual({ sent: 0, failed: 0 });
		expect(receivedBy(italian)).toHaveLength(1);
	});

	it('loses nothing while the mail server is down: retried on the backoff schedule, delivered once when it is back', async () => {
		const email = address('down');
		const t0 = new Date();
		await sql.begin((tx) => queue(tx, [notice(email)], t0, settings()));
		await smtp.stop();
		try {
			expect(await deliverDue(mailer, t0)).toEqual({ sent: 0, failed: 1 });
			let [row] = await rowsFor(email);
			expect(row).toMatchObject({ attempts: 1, sent_at: null });
			expect(row!.last_error).toBeTruthy();
			expect(row!.body_text).toContain('LC-TEST');
			expect(row!.next_attempt_at.getTime()).toBe(t0.getTime() + retryDelayMs(1));

			// Not due before its time.
			expect(await deliverDue(mailer, new Date(t0.getTime() + retryDelayMs(1) - 1000))).toEqual({ sent: 0, failed: 0 });
			// Due, still down: the second wait is twice the first.
			const t1 = new Date(t0.getTime() + retryDelayMs(1));
			expect(await deliverDue(mailer, t1)).toEqual({ sent: 0, failed: 1 });
			[row] = await rowsFor(email);
			expect(row).toMatchObject({ attempts: 2, sent_at: null });
			expect(row!.next_attempt_at.getTime()).toBe(t1.getTime() + retryDelayMs(2));
		} finally {
			await smtp.start();
		}
		const t2 = new Date(t0.getTime() + retryDelayMs(1) + retryDelayMs(2));
		expect(await deliverDue(mailer, t2)).toEqual({ sent: 1, failed: 0 });
		expect(receivedBy(email)).toHaveLength(1);
		expect(receivedBy(email)[0]?.text).toContain('LC-TEST');
		const [row] = await rowsFor(email);
		expect(row).toMatchObject({ attempts: 3, body_text: null });
	});

	it('backs off from one minute, doubling, to at most six hours', () => {
		expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([60_000, 120_000, 240_000, 480_000]);
		expect(retryDelayMs(9)).toBe(256 * 60_000);
		expect(retryDelayMs(10)).toBe(6 * 3_600_000);
		expect(retryDelayMs(50)).toBe(6 * 3_600_000);
	});

	it('never gives one message to two rounds at once', async () => {
		const emails = [0, 1, 2, 3, 4].map((i) => address(`race${i}`));
		const now = new Date();
		await sql.begin((tx) => queue(tx, emails.map((email) => notice(email)), now, settings()));
		const rounds = await Promise.all([deliverDue(mailer, now), deliverDue(mailer, now), deliverDue(mailer, now)]);
		expect(rounds.reduce((sum, round) => sum + round.sent, 0)).toBe(5);
		for (const email of emails) expect(receivedBy(email)).toHaveLength(1);
	});
});

describe('notices', () => {
	const password = 'Sette nani nel bosco 1937';
	const account = (name: string, role: 'worker' | 'partner', organization?: string, organizationRole?: 'editor' | 'viewer') =>
		createUser({ email: address(name), role, password, ...(organization ? { organization, organizationRole } : {}) });

	it('a new referral tells the organisation’s editors — in their language, with the plan’s code and nothing about the family', async () => {
		const [resource] = await sql<{ id: string; organization_id: string }[]>`
			SELECT r.id::text, r.organization_id::text FROM public_resource r JOIN service_need sn ON sn.service_id = r.service_id
			WHERE sn.need = 'clothing' ORDER BY r.id LIMIT 1`;
		const org = resource!.organization_id;
		await account('editor', 'partner', org, 'editor');
		const englishEditor = await account('editor-en', 'partner', org, 'editor');
		await sql`UPDATE app_user SET locale = 'en' WHERE id = ${englishEditor.id}::uuid`;
		await account('viewer', 'partner', org, 'viewer');
		const gone = await account('disabled', 'partner', org, 'editor');
		await sql`UPDATE app_user SET disabled_at = now() WHERE id = ${gone.id}::uuid`;
		const lead = { user: await account('lead', 'worker'), address: '127.0.0.1' };

		const { id, code } = await plans.createPlan(lead, {
			household: { name: 'Famiglia Riservatissima', neighbourhood: 'Bonacina' },
			strengths: ['Si aiutano tra vicini'],
			needs: ['clothing']
		});
		// Not covered by consent: refused, and nobody is told.
		await expect(plans.addReferral(lead, id, { need: 'clothing', resource_id: resource!.id })).rejects.toMatchObject({ status: 409 });
		const queuedTo = async () => (await sql<{ recipient: string }[]>`SELECT recipient FROM mail_outbox WHERE recipient IN ${sql(['editor', 'editor-en', 'viewer', 'disabled', 'lead'].map(address))} ORDER BY recipient`).map((r) => r.recipient);
		expect(await queuedTo()).toEqual([]);

		await plans.recordConsent(lead, id, { given_on: romeDate(0), document_ref: 'Modulo consenso', scope: [org] });
		await plans.addReferral(lead, id, { need: 'clothing', resource_id: resource!.id });
		expect(await queuedTo()).toEqual([address('editor'), address('editor-en')].sort());

		expect(await deliverDue(mailer, new Date())).toMatchObject({ sent: 2, failed: 0 });
		const [italian] = receivedBy(address('editor'));
		const [english] = receivedBy(address('editor-en'));
		expect(italian?.subject).toMatch(/^Nuova segnalazione per /);
		expect(english?.subject).toMatch(/^New referral for /);
		for (const mail of [italian!, english!]) {
			const everything = `${mail.subject}\n${mail.text}\n${mail.html}`;
			expect(everything).toContain(code);
			expect(everything).toContain('https://atlante.test/segnalazioni');
			// The rione too, unless the organisation is named after it.
			const rione = (mail.subject ?? '').includes('Bonacina') ? [] : ['Bonacina'];
			for (const secret of ['Riservatissima', ...rione, 'clothing', 'vestiti', 'Vestiti', 'clothes', 'Clothes', 'Si aiutano']) expect(everything).not.toContain(secret);
		}
	});

	it('the lead is told of an answer (a decline by its reason code, never the words typed), once of a referral left waiting, and not of what they turned off', async () => {
		const [resource] = await sql<{ id: string; organization_id: string }[]>`
			SELECT r.id::text, r.organization_id::text FROM public_resource r JOIN service_need sn ON sn.service_id = r.service_id
			WHERE sn.need = 'food' ORDER BY r.id DESC LIMIT 1`;
		const org = resource!.organization_id;
		const receiver = { user: await account('receiver', 'partner', org, 'editor'), address: '10.1.1.1' };
		const lead = { user: await account('answered-lead', 'worker'), address: '127.0.0.1' };
		const leadMail = () => sql<{ kind: string; body_text: string; subject: string }[]>`SELECT kind, body_text, subject FROM mail_outbox WHERE recipient = ${lead.user.email} ORDER BY id`;
		const plan = async (name: string) => {
			const { id, code } = await plans.createPlan(lead, { household: { name, neighbourhood: 'Germanedo' }, strengths: ['Cucina'], needs: ['food'] });
			await plans.recordConsent(lead, id, { given_on: romeDate(0), document_ref: 'Modulo', scope: [org] });
			return { id, code, referral: (await plans.addReferral(lead, id, { need: 'food', resource_id: resource!.id })).id };
		};

		const accepted = await plan('Famiglia Accolta');
		await plans.setReferralStatus(receiver, accepted.referral, { status: 'accepted' });
		const declined = await plan('Famiglia Respinta');
		await plans.setReferralStatus(receiver, declined.referral, { status: 'declined', decline_code: 'no_capacity', note: 'Parole riservate del partner' });
		let mails = await leadMail();
		expect(mails.map((m) => m.kind)).toEqual(['referral.answered', 'referral.answered']);
		expect(mails[0]!.body_text).toContain(`ha accettato la segnalazione del progetto ${accepted.code}`);
		expect(mails[1]!.body_text).toContain('non ha posti ora');
		expect(mails[1]!.body_text).toContain(`/piani/${declined.id}`);
		// The household's words, name and place (the rione, unless the organisation is named after it).
		const orgName = (await sql<{ name: string }[]>`SELECT name FROM organization WHERE id = ${org}::uuid`)[0]!.name;
		const secrets = ['Parole riservate', 'Famiglia', 'Cucina', ...(orgName.includes('Germanedo') ? [] : ['Germanedo'])];
		for (const mail of mails) for (const secret of secrets) expect(`${mail.subject} ${mail.body_text}`).not.toContain(secret);

		// The lead moving their own referral on tells nobody.
		await plans.setReferralStatus(lead, declined.referral, { status: 'closed_no_outcome' }).catch(() => undefined);
		expect(await leadMail()).toHaveLength(2);

		// Left waiting: told once, after the stale days, by the app's hourly check.
		const waiting = await plan('Famiglia In Attesa');
		const later = new Date(Date.now() + 8 * 86_400_000);
		await notices.staleReferrals(7, new Date());
		expect((await leadMail()).filter((m) => m.kind === 'referral.stale')).toEqual([]);
		await notices.staleReferrals(7, later);
		await notices.staleReferrals(7, later);
		mails = await leadMail();
		expect(mails.filter((m) => m.kind === 'referral.stale')).toHaveLength(1);
		expect(mails.at(-1)!.body_text).toContain(waiting.code);

		// Turned off on the account page: nothing more of that kind.
		await notices.setMutedNotices(lead.user.id, 'worker', ['referral.answered', 'referral.new']);
		expect(await notices.mutedNotices(lead.user.id)).toEqual(['referral.answered']);
		await plans.setReferralStatus(receiver, waiting.referral, { status: 'accepted' });
		expect((await leadMail()).filter((m) => m.kind === 'referral.answered')).toHaveLength(2);
	});
});

describe('referral threads', () => {
	it('the lead and the organisation write on a referral; each sees the thread; the other side is told; nobody else may write', async () => {
		const [resource] = await sql<{ id: string; organization_id: string }[]>`
			SELECT r.id::text, r.organization_id::text FROM public_resource r JOIN service_need sn ON sn.service_id = r.service_id
			WHERE sn.need = 'homework' ORDER BY r.id LIMIT 1`;
		const org = resource!.organization_id;
		const make = (name: string, role: 'worker' | 'partner', organizationRole?: 'editor' | 'viewer') =>
			createUser({ email: address(name), role, password: 'Sette nani nel bosco 1937', ...(role === 'partner' ? { organization: org, organizationRole } : {}) });
		const lead = { user: await make('thread-lead', 'worker'), address: '127.0.0.1' };
		const editor = { user: await make('thread-editor', 'partner', 'editor'), address: '10.3.3.3' };
		const viewer = { user: await make('thread-viewer', 'partner', 'viewer'), address: '10.3.3.4' };
		const stranger = { user: await make('thread-stranger', 'worker'), address: '10.3.3.5' };
		const { id: planId, code } = await plans.createPlan(lead, { household: { name: 'Famiglia Del Filo', neighbourhood: 'Olate' }, strengths: ['Musica'], needs: ['homework'] });
		await plans.recordConsent(lead, planId, { given_on: romeDate(0), document_ref: 'Modulo', scope: [org] });
		const { id: referralId } = await plans.addReferral(lead, planId, { need: 'homework', resource_id: resource!.id });

		await plans.sendReferralMessage(lead, referralId, { text: 'Il ragazzo esce da scuola alle 13:30.' });
		await plans.sendReferralMessage(editor, referralId, { text: 'Possiamo accoglierlo il martedì e il giovedì.' });
		await expect(plans.sendReferralMessage(lead, referralId, { text: '   ' })).rejects.toMatchObject({ status: 400 });
		await expect(plans.sendReferralMessage(stranger, referralId, { text: 'Ciao' })).rejects.toMatchObject({ status: 404 });
		await expect(plans.sendReferralMessage(viewer, referralId, { text: 'Ciao' })).rejects.toMatchObject({ status: 404 });

		const seen = (await plans.getPlan(lead, planId, { staleDays: 7 })).referrals.find((r) => r.id === referralId)!;
		expect(seen.messages.map((m) => [m.side, m.text])).toEqual([
			['lead', 'Il ragazzo esce da scuola alle 13:30.'],
			['organization', 'Possiamo accoglierlo il martedì e il giovedì.']
		]);
		expect(seen.location_name).toBeTruthy();
		const inbox = (await plans.inbox(editor)).find((r) => r.id === referralId)!;
		expect(inbox.messages).toHaveLength(2);
		expect(inbox.can_write).toBe(true);
		expect((await plans.inbox(viewer)).find((r) => r.id === referralId)?.can_write).toBe(false);

		// Each message told the other side, without its words; audited without them too.
		const told = await sql<{ recipient: string; body_text: string }[]>`
			SELECT recipient, body_text FROM mail_outbox WHERE kind = 'referral.message' AND recipient IN ${sql([lead.user.email, editor.user.email, viewer.user.email])} ORDER BY id`;
		expect(told.map((m) => m.recipient)).toEqual([editor.user.email, lead.user.email]);
		for (const mail of told) {
			expect(mail.body_text).toContain(code);
			expect(mail.body_text).not.toMatch(/scuola|martedì|Filo/);
		}
		const trail = await sql<{ detail: Record<string, unknown> }[]>`SELECT detail FROM audit_event WHERE action = 'referral.message_sent' AND subject_id = ${planId}`;
		expect(trail).toHaveLength(2);
		expect(JSON.stringify(trail)).not.toMatch(/scuola|martedì/);
	});
});
