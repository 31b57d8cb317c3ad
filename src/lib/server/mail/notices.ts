import type { Sql, TransactionSql } from '../db/client';
import * as accounts from '../db/accounts';
import { queue } from './outbox';

/**
 * Who is told of what, by email. Each function runs inside the transaction of the change it
 * announces (so a rolled-back change tells nobody) and queues at most a link and a plan's
 * pseudonymous code: never the household, its place or its need.
 */

/** A referral was sent to an organisation: its editors are told one waits in their inbox. */
export async function referralSent(tx: TransactionSql | Sql, referral: { organizationId: string; planCode: string }, now: Date = new Date()): Promise<number> {
	const editors = await accounts.organizationEditors(tx, referral.organizationId);
	return queue(
		tx,
		editors.map((editor) => ({
			kind: 'referral.new' as const,
			to: { email: editor.email, locale: editor.locale },
			values: { path: '/segnalazioni', code: referral.planCode, organization: editor.organization_name }
		})),
		now
	);
}

/** An invitation or a password reset: the single-use link, to the account's own address. */
export async function accountLink(
	tx: TransactionSql | Sql,
	to: { email: string; locale: string },
	purpose: 'invitation' | 'reset',
	path: string,
	now: Date = new Date()
): Promise<number> {
	return queue(tx, [{ kind: purpose === 'invitation' ? 'account.invitation' : 'account.reset', to, values: { path } }], now);
}
