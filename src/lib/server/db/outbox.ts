import { sql, type Sql, type TransactionSql } from './client';

/**
 * The mail outbox (table mail_outbox, migration 0015): SQL only. What goes in a message, when to
 * retry and how to send are decided by src/lib/server/mail/.
 */
export interface OutgoingMail {
	kind: string;
	recipient: string;
	locale: string;
	subject: string;
	text: string;
	html: string;
}

export interface ClaimedMail extends OutgoingMail {
	id: number;
	attempts: number;
}

export interface OutboxRow {
	id: number;
	kind: string;
	recipient: string;
	locale: string;
	subject: string;
	created_at: Date;
	next_attempt_at: Date;
	attempts: number;
	last_error: string | null;
	sent_at: Date | null;
}

/** Queues messages in the caller's transaction: they exist only if it commits. */
export async function insert(tx: TransactionSql | Sql, mails: OutgoingMail[], now: Date): Promise<number> {
	if (mails.length === 0) return 0;
	const rows = mails.map((mail) => ({
		kind: mail.kind,
		recipient: mail.recipient,
		locale: mail.locale,
		subject: mail.subject,
		body_text: mail.text,
		body_html: mail.html,
		created_at: now,
		next_attempt_at: now
	}));
	const inserted = await tx`INSERT INTO mail_outbox ${tx(rows)} RETURNING id`;
	return inserted.length;
}

/**
 * Takes up to `limit` messages due at `now` for one attempt: in one statement, so two app
 * instances never take the same message, and each taken message is leased until `leaseUntil`
 * (retried after it if the process dies mid-send).
 */
export async function claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedMail[]> {
	return sql<ClaimedMail[]>`
		UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = ${leaseUntil}
		WHERE id IN (
			SELECT id FROM mail_outbox
			WHERE sent_at IS NULL AND next_attempt_at <= ${now}
			ORDER BY next_attempt_at, id
			LIMIT ${limit}
			FOR UPDATE SKIP LOCKED)
		RETURNING id, attempts, kind, recipient, locale, subject, body_text AS text, body_html AS html`;
}

/** Sent: the bodies go (a link may hold a single-use token), the record of the send stays. */
export async function markSent(id: number, at: Date): Promise<void> {
	await sql`UPDATE mail_outbox SET sent_at = ${at}, body_text = NULL, body_html = NULL, last_error = NULL WHERE id = ${id}`;
}

export async function markFailed(id: number, error: string, retryAt: Date): Promise<void> {
	await sql`UPDATE mail_outbox SET last_error = ${error.slice(0, 500)}, next_attempt_at = ${retryAt} WHERE id = ${id} AND sent_at IS NULL`;
}

/** The newest messages, for administrators (no bodies). */
export async function recent(limit: number): Promise<OutboxRow[]> {
	return sql<OutboxRow[]>`
		SELECT id, kind, recipient, locale, subject, created_at, next_attempt_at, attempts, last_error, sent_at
		FROM mail_outbox ORDER BY created_at DESC, id DESC LIMIT ${limit}`;
}

export async function counts(): Promise<{ waiting: number; failing: number; sent: number }> {
	const [row] = await sql<{ waiting: number; failing: number; sent: number }[]>`
		SELECT count(*) FILTER (WHERE sent_at IS NULL)::int AS waiting,
			count(*) FILTER (WHERE sent_at IS NULL AND last_error IS NOT NULL)::int AS failing,
			count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sent
		FROM mail_outbox`;
	return row!;
}
