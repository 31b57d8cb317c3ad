import { log } from '../log';
import type { Config } from '../config';
import { config } from '../startup';
import type { Sql, TransactionSql } from '../db/client';
import * as db from '../db/outbox';
import { composeMail, type MailKind, type MailValues } from './messages';
import { smtpMailer, type Mailer } from './transport';

/**
 * The outbox: notifications are queued in the transaction of the change they announce and sent
 * after it commits, by a dispatcher the app runs (never by commands). A rolled-back change queues
 * nothing; a failed send stays queued and is retried with backoff (`retryDelayMs`), so a mail
 * server that is down loses nothing. Administrators see the queue at /admin/posta.
 * Without SMTP_URL and MAIL_FROM nothing is queued: the pages show links to copy instead.
 */

/** How long one attempt may take before another dispatcher may take the message again. */
export const LEASE_MS = 5 * 60_000;
/** How often the dispatcher looks for due messages (queueing also wakes it at once). */
export const POLL_MS = 15_000;
const BATCH = 20;
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 6 * 3_600_000;

/** After the n-th failed attempt: 1 min, 2, 4, … doubling up to 6 hours, then every 6 hours. */
export function retryDelayMs(attempts: number): number {
	return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS);
}

export interface Notice {
	kind: MailKind;
	to: { email: string; locale: string };
	values: Omit<MailValues, 'link'> & { path: string };
}

/** Whether this process sends email (SMTP_URL and MAIL_FROM set). */
export function mailEnabled(): boolean {
	return config().mail !== null;
}

/**
 * Queues `notices` in `tx` (the caller's transaction): they exist only if it commits. Returns how
 * many were queued (0 when mail is not configured). Call `wake()` after the commit.
 */
export async function queue(
	tx: TransactionSql | Sql,
	notices: Notice[],
	now: Date = new Date(),
	settings: Pick<Config, 'mail' | 'siteOrigin'> = config()
): Promise<number> {
	if (!settings.mail || notices.length === 0) return 0;
	const mails = notices.map((notice) => {
		const { path, ...values } = notice.values;
		return composeMail(notice.kind, notice.to, { ...values, link: new URL(path, settings.siteOrigin).href });
	});
	return db.insert(tx, mails, now);
}

/**
 * One round: takes the due messages and sends each. Never throws; returns what happened. A
 * failure keeps the message with its error (no personal data: SMTP replies name our addresses at
 * most) and the time of the next attempt.
 */
export async function deliverDue(mailer: Mailer, now: Date = new Date()): Promise<{ sent: number; failed: number }> {
	const result = { sent: 0, failed: 0 };
	const due = await db.claimDue(now, new Date(now.getTime() + LEASE_MS), BATCH);
	for (const mail of due) {
		try {
			await mailer.send(mail);
			await db.markSent(mail.id, new Date());
			result.sent++;
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			await db.markFailed(mail.id, message, new Date(now.getTime() + retryDelayMs(mail.attempts)));
			result.failed++;
		}
	}
	if (result.failed > 0) log.warn('mail: some sends failed, retried later', result);
	return result;
}

// The app's dispatcher: one per process, kept across Vite's module reloads in development.
const key = Symbol.for('atlante.mail-dispatcher');
interface Dispatcher {
	mailer: Mailer;
	timer: NodeJS.Timeout;
	running: Promise<void> | null;
	again: boolean;
}
type Holder = typeof globalThis & { [key]?: Dispatcher };

/** Starts sending (the app only, when mail is configured). */
export function startDispatcher(settings: { url: string; from: string }, mailer: Mailer = smtpMailer(settings)): void {
	stopDispatcher();
	const dispatcher: Dispatcher = { mailer, timer: setInterval(() => wake(), POLL_MS).unref(), running: null, again: false };
	(globalThis as Holder)[key] = dispatcher;
	wake();
}

export function stopDispatcher(): void {
	const dispatcher = (globalThis as Holder)[key];
	if (!dispatcher) return;
	clearInterval(dispatcher.timer);
	dispatcher.mailer.close();
	delete (globalThis as Holder)[key];
}

/** Runs a delivery round soon (after a commit that queued mail); rounds never overlap. */
export function wake(): void {
	const dispatcher = (globalThis as Holder)[key];
	if (!dispatcher) return;
	if (dispatcher.running) {
		dispatcher.again = true;
		return;
	}
	dispatcher.running = (async () => {
		do {
			dispatcher.again = false;
			try {
				await deliverDue(dispatcher.mailer);
			} catch (error) {
				log.error('mail: delivery round failed, retried at the next tick', { error: error instanceof Error ? error.message : String(error) });
			}
		} while (dispatcher.again);
		dispatcher.running = null;
	})();
}

/** What administrators see of the queue: the newest messages (never their bodies) and counts. */
export async function outboxStatus(limit = 200) {
	const [rows, counts] = await Promise.all([db.recent(limit), db.counts()]);
	return { enabled: mailEnabled(), rows, counts };
}
