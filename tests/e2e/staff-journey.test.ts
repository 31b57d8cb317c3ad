import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { mailboxFor, type MailboxEntry } from '../setup/smtp';
import { TEST_PASSWORD, TEST_USERS } from '../setup/test-users-list';
import { browserSession, chromiumAvailable, desktop, type Watched } from './browser';

/**
 * Issue 13's "done when", as a new team would live it on the embedded default with the app running
 * and sending email to a real SMTP server (started beside it by tests/setup/api-global.ts, which
 * keeps each message in `mailbox`): an administrator invites a social worker and a partner from
 * the browser; both choose their passwords from the links shown to the administrator; the worker
 * opens a family's plan and refers a need to the partner's organisation; the partner is told by an
 * email with no personal data, accepts and writes in the referral's thread; the worker sees both
 * on the plan, named by display name, and is told by email; the family's card prints on one A4
 * page with its QR code.
 */
const base = inject('baseUrl');
const mailbox = inject('mailbox');
const ORG = TEST_USERS.partnerA.organization;
const FAMILY = 'Famiglia Invernizzi-Tagliaferri';
const PHONE = '333 555 0199';
const ADDRESS = 'Via dei Mulini 7';
const NEED_WORDS = 'La spesa non basta a fine mese';
const PASSWORD = 'una frase lunga per il nuovo lavoro 13';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Waits for hydration before typing: a click racing it can lose the form's handling. */
async function settled(page: Page, path?: string) {
	if (path) await page.goto(base + path);
	await page.waitForLoadState('networkidle');
}

/** A server round trip: the first ones on a freshly started app take seconds, past expect.poll's default 1 s. */
const ROUND_TRIP = { timeout: 15_000 };

/** The messages to `address` once `count` have arrived (the app sends right after each commit). */
async function mailTo(address: string, count: number): Promise<MailboxEntry[]> {
	await expect.poll(() => mailboxFor(mailbox!, address).length, { timeout: 20_000, interval: 200 }).toBeGreaterThanOrEqual(count);
	return mailboxFor(mailbox!, address);
}

describe.runIf(chromiumAvailable() || process.env.CI === 'true')('a new team works without the command line, end to end', () => {
	const session = browserSession(base);

	it('invitations → passwords → a plan and a referral → an email without personal data → an answer and a message → the worker is told → the card on one A4 page', async () => {
		expect(mailbox, 'the e2e global setup runs an SMTP server').toBeTruthy();
		const stamp = Date.now().toString(36);
		const people = {
			worker: { name: 'Marta Operatrice', email: `marta-${stamp}@comune.test` },
			partner: { name: 'Piero Fornaio', email: `piero-${stamp}@forno.test` }
		};

		// 1. The administrator invites both from /admin/utenti and copies each link.
		const admin = await session.open(desktop, null);
		await settled(admin.page, '/login?next=/admin/utenti');
		await admin.page.getByLabel('Email').fill(TEST_USERS.admin.email);
		await admin.page.getByLabel('Password').fill(TEST_PASSWORD);
		await admin.page.getByRole('button', { name: 'Accedi' }).click();
		await admin.page.waitForURL(/\/admin\/utenti$/);
		await settled(admin.page);
		const invite = admin.page.getByRole('region', { name: 'Invita una persona' });
		const links: Record<keyof typeof people, string> = { worker: '', partner: '' };
		for (const who of ['worker', 'partner'] as const) {
			await invite.getByLabel('Nome', { exact: true }).fill(people[who].name);
			await invite.getByLabel('Email', { exact: true }).fill(people[who].email);
			await invite.locator('select[name="role"]').selectOption(who);
			if (who === 'partner') await invite.getByLabel('Organizzazione (per i partner)').fill(ORG);
			await invite.getByRole('button', { name: 'Invita' }).click();
			const done = invite.getByRole('status');
			await expect.poll(() => done.textContent(), ROUND_TRIP).toContain(people[who].email);
			links[who] = await done.getByLabel('Link').inputValue();
			expect(links[who]).toMatch(new RegExp(`^${escape(base)}/imposta-password/`));
		}
		// Mail is configured: the invitation went by email too, with the link and not the name.
		const [invitation] = await mailTo(people.worker.email, 1);
		expect(invitation!.text).toContain(links.worker);
		expect(invitation!.text).not.toContain(people.worker.name);

		// 2. Both choose a password from their link and are signed in, each on its own home.
		const open: Record<keyof typeof people, Watched> = { worker: await session.open(desktop, null), partner: await session.open(desktop, null) };
		for (const who of ['worker', 'partner'] as const) {
			const { page } = open[who];
			await page.goto(links[who]);
			await settled(page);
			await page.getByLabel('Nuova password').fill(PASSWORD);
			await page.getByLabel('Ripeti la password').fill(PASSWORD);
			await page.getByRole('button', { name: 'Salva la password ed entra' }).click();
			await page.waitForURL(who === 'worker' ? /\/piani$/ : /\/segnalazioni$/);
		}

		// 3. The worker opens the family's plan, records the consent and refers food to the bakery.
		const worker = open.worker.page;
		await worker.getByRole('link', { name: 'Nuovo piano' }).click();
		await worker.waitForURL(/\/piani\/nuovo$/);
		await settled(worker);
		await worker.getByLabel('Nome della famiglia').fill(FAMILY);
		await worker.getByLabel('Rione', { exact: true }).selectOption('Germanedo');
		await worker.getByLabel('Telefono (facoltativo)').fill(PHONE);
		await worker.getByLabel('Indirizzo (facoltativo)').fill(ADDRESS);
		await worker.getByRole('checkbox', { name: 'Cibo e spesa' }).check();
		await worker.getByLabel('Con le parole della famiglia (Cibo e spesa)').fill(NEED_WORDS);
		await worker.getByLabel('Risorsa 1').fill('Il papà aggiusta le biciclette del cortile');
		await worker.getByRole('button', { name: 'Crea il piano' }).click();
		await worker.waitForURL(/\/piani\/[0-9a-f-]{36}$/);
		await settled(worker);
		const planId = new URL(worker.url()).pathname.split('/')[2]!;
		const code = (await worker.getByRole('heading', { level: 1 }).textContent())!.replace('Piano ', '').trim();
		const consent = worker.getByRole('region', { name: 'Consenso della famiglia' });
		await consent.getByLabel('Riferimento del documento firmato').fill('Modulo consenso 13/2026');
		const box = consent.getByRole('checkbox', { name: new RegExp(`^${escape(ORG)}`) });
		if ((await box.count()) === 0) await consent.getByText(/Altre organizzazioni vicine per questi bisogni/).click();
		await box.check();
		await consent.getByRole('button', { name: 'Registra il consenso' }).click();
		await expect.poll(() => consent.textContent(), ROUND_TRIP).toMatch(/Consenso registrato/);
		await worker.locator('article[data-need="food"]').getByRole('button', { name: new RegExp(`^Segnala.*${escape(ORG)}`) }).click();
		const referral = worker.locator('article.referral', { hasText: ORG });
		await expect.poll(() => referral.getAttribute('data-status'), ROUND_TRIP).toBe('sent');

		// The worker's list names the family beside its code, with the referral waiting.
		await settled(worker, '/piani');
		const row = (await worker.locator(`tr[data-plan="${planId}"]`).textContent())!;
		expect(row).toContain(FAMILY);
		expect(row).toMatch(/1 in attesa/);

		// 4. The partner is told by email: the link and the plan's code, nothing about the family.
		const [, told] = await mailTo(people.partner.email, 2);
		expect(told!.subject).toBe(`Nuova segnalazione per ${ORG}`);
		expect(told!.language).toBe('it');
		expect(told!.text).toContain(code);
		expect(told!.text).toContain(`${base}/segnalazioni`);
		for (const body of [told!.subject, told!.text, told!.html]) {
			for (const secret of ['Invernizzi', 'Tagliaferri', PHONE, '0199', ADDRESS, 'Mulini', NEED_WORDS, 'Cibo', 'Germanedo', 'biciclette']) expect(body).not.toContain(secret);
		}

		// 5. From the email's link the partner accepts and writes in the referral's thread.
		const partner = open.partner.page;
		await partner.goto(/https?:\/\/\S+\/segnalazioni/.exec(told!.text)![0]);
		await settled(partner);
		const item = partner.locator('li[data-referral]', { hasText: code });
		// Who sent it, by name; of the family only the code.
		const waiting = (await item.textContent())!;
		expect(waiting).toContain(`Inviata da${people.worker.name}`);
		for (const secret of [people.worker.email, 'Invernizzi']) expect(waiting).not.toContain(secret);
		await item.getByRole('button', { name: 'Accetta' }).click();
		await expect.poll(() => item.getAttribute('data-status'), ROUND_TRIP).toBe('accepted');
		await item.getByLabel('Nuovo messaggio').fill('Vi aspettiamo giovedì alle 10 al banco del pane');
		await item.getByRole('button', { name: 'Invia il messaggio' }).click();
		await expect.poll(() => item.locator('.messages').textContent(), ROUND_TRIP).toContain('Vi aspettiamo giovedì');

		// 6. The worker is told of both by email, and sees both on the plan, with the partner's name.
		const workerMail = await mailTo(people.worker.email, 3);
		expect(workerMail.map((mail) => mail.subject)).toEqual(
			expect.arrayContaining([`${ORG} ha risposto a una segnalazione (progetto ${code})`, `Nuovo messaggio su una segnalazione (progetto ${code})`])
		);
		for (const mail of workerMail.slice(1)) expect(mail.text).toContain(`${base}/piani/${planId}`);
		for (const mail of workerMail.slice(1)) for (const secret of ['Invernizzi', 'Vi aspettiamo', 'Cibo']) expect(mail.text + mail.html).not.toContain(secret);
		await settled(worker, `/piani/${planId}`);
		expect(await referral.getAttribute('data-status')).toBe('accepted');
		const shown = (await referral.textContent())!;
		expect(shown).toContain('Vi aspettiamo giovedì alle 10 al banco del pane');
		expect(shown).toContain(people.partner.name);
		expect(shown).toContain(people.worker.name);
		expect(shown).not.toContain(people.partner.email);
		expect(shown).not.toContain(people.worker.email);
		// Nor in the page's data: of the staff's emails only the lead's is there (the members list links to it).
		expect(await worker.content()).not.toContain(people.partner.email);

		// …and in the plan's audit trail.
		await settled(worker, `/piani/${planId}/registro`);
		const trail = (await worker.locator('tbody').textContent())!;
		expect(trail).toContain(people.partner.name);
		expect(trail).toContain(people.worker.name);
		for (const email of [people.partner.email, people.worker.email]) expect(trail).not.toContain(email);
		await settled(worker, `/piani/${planId}`);

		// 7. The family's card: one A4 page, with the place's QR code.
		await worker.getByRole('link', { name: 'Scheda per la famiglia: i luoghi, con i codici QR' }).click();
		await worker.waitForURL(new RegExp(`/piani/${planId}/scheda$`));
		expect(await worker.locator('main svg.qr').count()).toBe(1);
		expect(await worker.locator('main').textContent()).toContain(ORG);
		const pdf = await worker.pdf({ format: 'A4', printBackground: true });
		expect(pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g)).toHaveLength(1);

		for (const w of [admin, open.worker, open.partner]) {
			expect(w.errors).toEqual([]);
			expect(w.foreignRequests).toEqual([]);
		}
	});
});
