import type { Sql, TransactionSql } from '../db/client';
import { sql } from '../db/client';
import * as accounts from '../db/accounts';
import * as audit from '../db/audit';
import { NOTICE_KINDS, type NoticeKind } from './messages';
import { queue, type Notice } from './outbox';

/**
 * Who is told of what, by email. Each function runs inside the transaction of the change it
 * announces (a rolled-back change tells nobody) and queues at most a link, an organisation's name,
 * a plan's pseudonymous code and a decline's reason as a code — never a household, its place, its
 * need or words someone typed. Accounts that are disabled, or whose person turned the kind off on
 * the account page, are not told.
 */
export { NOTICE_KINDS, type NoticeKind };

/** Which kinds of notice a role can receive (the account page offers these to turn off). */
export const NOTICES_BY_ROLE: Record<string, readonly NoticeKind[]> = {
	partner: ['referral.new', 'referral.message', 'pact.decision', 'report.new'],
	worker: ['referral.answered', 'referral.stale', 'referral.message'],
	admin: ['pact.application'],
	planner: []
};

/** A referral was sent to an organisation: its editors are told one waits in their inbox. */
export async function referralSent(tx: TransactionSql | Sql, referral: { organizationId: string; planCode: string }, now: Date = new Date()): Promise<number> {
	const editors = await accounts.organizationEditors(tx, referral.organizationId, 'referral.new');
	return queue(
		tx,
		editors.map((editor) => ({
			kind: 'referral.new' as const,
			to: editor,
			values: { path: '/segnalazioni', code: referral.planCode, organization: editor.organization_name }
		})),
		now
	);
}

/**
 * A citizen reported an error on one of the organisation's public records: its editors are told
 * that a report waits, with a link to their page — never the report's words nor its email. Only
 * when it is the one report waiting: a burst of reports (or a bot's) sends one email, not one each.
 */
export async function errorReported(tx: TransactionSql | Sql, organizationId: string, now: Date = new Date()): Promise<number> {
	const editors = await accounts.organizationEditors(tx, organizationId, 'report.new');
	return queue(
		tx,
		editors.map((editor) => ({ kind: 'report.new' as const, to: editor, values: { path: `/partner/${organizationId}#errori`, organization: editor.organization_name } })),
		now
	);
}

/** The receiving organisation answered (accepted, declined — with its reason as a code — or completed): the lead is told. */
export async function referralAnswered(
	tx: TransactionSql,
	referral: { id: string; status: string; declineCode: string | null },
	now: Date = new Date()
): Promise<number> {
	if (!['accepted', 'declined', 'completed'].includes(referral.status)) return 0;
	const lead = await accounts.referralLead(tx, referral.id, 'referral.answered');
	if (!lead) return 0;
	return queue(
		tx,
		[
			{
				kind: 'referral.answered',
				to: lead,
				values: { path: `/piani/${lead.plan_id}`, code: lead.code, organization: lead.organization_name, status: referral.status, reason: referral.declineCode ?? 'none' }
			}
		],
		now
	);
}

/** A message on a referral's thread: the other side is told (the organisation's editors, or the lead). */
export async function referralMessage(tx: TransactionSql, referral: { id: string; organizationId: string; from: 'lead' | 'organization' }, now: Date = new Date()): Promise<number> {
	const lead = await accounts.referralLead(tx, referral.id, referral.from === 'lead' ? null : 'referral.message');
	if (!lead) return 0;
	if (referral.from === 'organization') {
		return queue(tx, [{ kind: 'referral.message', to: lead, values: { path: `/piani/${lead.plan_id}`, code: lead.code, organization: lead.organization_name } }], now);
	}
	const editors = await accounts.organizationEditors(tx, referral.organizationId, 'referral.message');
	return queue(
		tx,
		editors.map((editor) => ({ kind: 'referral.message' as const, to: editor, values: { path: '/segnalazioni', code: lead.code, organization: editor.organization_name } })),
		now
	);
}

/**
 * The referrals sent more than `staleDays` ago and still unanswered: each lead is told once per
 * referral. Run by the app's mail dispatcher (hourly); returns how many notices were queued.
 */
export async function staleReferrals(staleDays: number, now: Date = new Date()): Promise<number> {
	return sql.begin(async (tx) => {
		const stale = await accounts.takeStaleReferrals(tx, new Date(now.getTime() - staleDays * 86_400_000), now);
		const notices: Notice[] = [];
		for (const { referral_id } of stale) {
			const lead = await accounts.referralLead(tx, referral_id, 'referral.stale');
			if (lead) notices.push({ kind: 'referral.stale', to: lead, values: { path: `/piani/${lead.plan_id}`, code: lead.code, organization: lead.organization_name, days: staleDays } });
		}
		return queue(tx, notices, now);
	});
}

/** A pact application was submitted (or sent again after changes): the administrators are told. */
export async function applicationSubmitted(tx: TransactionSql, applicationId: string, now: Date = new Date()): Promise<number> {
	const admins = await accounts.administrators(tx, 'pact.application');
	return queue(
		tx,
		admins.map((admin) => ({ kind: 'pact.application' as const, to: admin, values: { path: `/admin/domande/${applicationId}` } })),
		now
	);
}

/** An administrator decided on a pact application: the applicant is told which way. */
export async function applicationDecided(tx: TransactionSql, applicationId: string, status: 'approved' | 'rejected' | 'changes_requested', now: Date = new Date()): Promise<number> {
	const applicant = await accounts.applicant(tx, applicationId, 'pact.decision');
	if (!applicant) return 0;
	return queue(tx, [{ kind: 'pact.decision', to: applicant, values: { path: status === 'approved' ? '/partner' : '/aderisci/domanda', status } }], now);
}

/** An invitation or a password reset: the single-use link, to the account's own address (never muted). */
export async function accountLink(
	tx: TransactionSql | Sql,
	to: { email: string; locale: string },
	purpose: 'invitation' | 'reset',
	path: string,
	now: Date = new Date()
): Promise<number> {
	return queue(tx, [{ kind: purpose === 'invitation' ? 'account.invitation' : 'account.reset', to, values: { path } }], now);
}

/** The kinds this person turned off, and turning them off or on (the account page). */
export const mutedNotices = (userId: string) => accounts.mutedNotices(userId);

/** Mutes `muted`, of the kinds offered to `role` (any other is ignored); returns what is muted now. */
export async function setMutedNotices(userId: string, role: string, muted: string[]): Promise<NoticeKind[]> {
	const offered = NOTICES_BY_ROLE[role] ?? [];
	const kept = offered.filter((kind) => muted.includes(kind));
	await accounts.setMutedNotices(userId, kept);
	return kept;
}

/** The account page's choice: of the kinds offered to the person's role, those not `wanted` are muted; audited. */
export async function setWantedNotices(actor: { user: { id: string; email: string; role: string }; address: string }, wanted: ReadonlySet<string>): Promise<void> {
	const { user } = actor;
	const muted = await setMutedNotices(user.id, user.role, (NOTICES_BY_ROLE[user.role] ?? []).filter((kind) => !wanted.has(kind)));
	await audit.record({ actorId: user.id, actorEmail: user.email, action: 'notices.changed', address: actor.address, detail: { muted } });
}
