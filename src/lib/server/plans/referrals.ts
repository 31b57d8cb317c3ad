import { z } from 'zod';
import { REFERRAL_STATUSES } from '../../domain/plan-forms';
import { DECLINE_CODES, declineProblem } from '../../domain/referral-rules';
import { REFERRAL_NOT_FOUND, requireReferral } from '../auth/access';
import * as audit from '../db/audit';
import { sql } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import * as db from '../db/plans';
import * as resources from '../db/resources';
import * as notices from '../mail/notices';
import * as outbox from '../mail/outbox';
import { access, auditEvent, type Actor } from './context';
import { PlanError } from './errors';
import { needCode, optionalText, parse, text, uuid } from './input';

/* Referrals: sent by the lead, answered by the receiving organisation, with their message thread. */

/** Who may move a referral from one status to the next: the receiving organisation, or the lead. */
const REFERRAL_STEPS: Record<db.ReferralStatus, { to: db.ReferralStatus; by: 'partner' | 'lead' }[]> = {
	sent: [
		{ to: 'accepted', by: 'partner' },
		{ to: 'declined', by: 'partner' },
		{ to: 'closed_no_outcome', by: 'lead' }
	],
	accepted: [
		{ to: 'in_progress', by: 'partner' },
		{ to: 'completed', by: 'partner' },
		{ to: 'closed_no_outcome', by: 'partner' },
		{ to: 'closed_no_outcome', by: 'lead' }
	],
	in_progress: [
		{ to: 'completed', by: 'partner' },
		{ to: 'closed_no_outcome', by: 'partner' },
		{ to: 'closed_no_outcome', by: 'lead' }
	],
	declined: [],
	completed: [],
	closed_no_outcome: []
};

/** What a referral may become next, and by whom: the receiving organisation ('partner') or the lead. */
export function nextReferralStatuses(status: db.ReferralStatus, by: 'partner' | 'lead'): db.ReferralStatus[] {
	return REFERRAL_STEPS[status].filter((step) => step.by === by).map((step) => step.to);
}

const referralSchema = z.object({ need: needCode, resource_id: uuid });

/** Refers a plan need to a public resource (lead only); its organisation joins the plan. */
export async function addReferral(actor: Actor, planId: string, input: unknown): Promise<{ id: string }> {
	const referral = parse(referralSchema, input);
	const plan = await access(actor, planId, 'lead');
	const resource = await resources.resourceOrganization(referral.resource_id);
	if (!resource) throw new PlanError(400, `resource_id: no public resource has the id ${referral.resource_id}`);
	if (!resource.needs.includes(referral.need)) throw new PlanError(400, `need: ${resource.name} does not offer "${referral.need}"`);
	if (!(await db.needCodes(plan.id)).includes(referral.need)) throw new PlanError(400, `need: "${referral.need}" is not one of this plan’s needs`);
	const duplicate = (status: string) =>
		new PlanError(
			409,
			`A referral for "${referral.need}" to ${resource.name} is already open (${status}). Wait for the organisation's answer, or close that referral before sending a new one.`,
			'referralOpen'
		);
	try {
		const sent = await sql.begin(async (tx) => {
			const covered = await db.coveredOrganizations(tx, plan.id);
			if (!covered.has(resource.organization_id)) {
				throw new PlanError(409, 'The family’s consent does not cover the organisation of this resource: record a consent that names it first.', 'referralNotCovered');
			}
			const open = await db.openReferral(tx, plan.id, referral.need, referral.resource_id);
			if (open) throw duplicate(open.status);
			await db.addMember(tx, plan.id, resource.organization_id, actor.user.id);
			const id = await db.createReferral(tx, { planId: plan.id, need: referral.need, resourceId: referral.resource_id, organizationId: resource.organization_id, by: actor.user.id });
			await db.touch(tx, plan.id);
			await audit.record(auditEvent(actor, 'plan.referral_sent', plan.id, { referral: id, organization_id: resource.organization_id, need: referral.need }), tx);
			await notices.referralSent(tx, { organizationId: resource.organization_id, planCode: plan.code });
			return { id };
		});
		outbox.wake();
		return sent;
	} catch (error) {
		// Two requests raced past the check: the partial unique index refused the second one.
		if (isUniqueViolation(error, db.OPEN_REFERRAL_INDEX)) throw duplicate('sent');
		throw error;
	}
}

const referralStatusSchema = z.object({
	status: z.enum(REFERRAL_STATUSES),
	note: optionalText(1000).optional(),
	decline_code: z.enum(DECLINE_CODES, { error: `must be one of ${DECLINE_CODES.join(', ')}` }).optional()
});

/**
 * Moves a referral on: the receiving organisation's staff answer it; the lead may close it. A
 * decline names its code (`decline_code`, see referral-rules.ts) and its reason in words (`note`).
 */
export async function setReferralStatus(actor: Actor, referralId: string, input: unknown): Promise<void> {
	const change = parse(referralStatusSchema, input);
	const problem = declineProblem(change);
	if (problem === 'note') throw new PlanError(400, 'note: say why the referral is declined (for example: no places now)', 'reason');
	if (problem === 'decline_code') {
		throw new PlanError(
			400,
			change.status === 'declined'
				? `decline_code: say why the referral is declined, one of ${DECLINE_CODES.join(', ')}`
				: 'decline_code: only a decline has a decline code',
			'declineCode'
		);
	}
	// Checked (and a refusal audited) before the transaction, whose rollback would undo the audit row.
	const { isLead, isReceiver } = await requireReferral(actor, referralId);
	await sql.begin(async (tx) => {
		// Read again, locked, for the status it has now.
		const referral = await db.findReferral(tx, referralId);
		if (!referral) throw new PlanError(404, REFERRAL_NOT_FOUND);
		const allowed = REFERRAL_STEPS[referral.status].some((step) => step.to === change.status && ((step.by === 'partner' && isReceiver) || (step.by === 'lead' && isLead)));
		if (!allowed) throw new PlanError(409, `A referral that is "${referral.status}" cannot become "${change.status}" by you.`);
		await db.setReferralStatus(tx, referral, change.status, actor.user.id, change.note ?? null, change.decline_code ?? null);
		await db.touch(tx, referral.plan_id);
		await audit.record(
			auditEvent(actor, 'referral.status_changed', referral.plan_id, {
				referral: referral.id,
				from: referral.status,
				to: change.status,
				...(change.decline_code ? { decline_code: change.decline_code } : {})
			}),
			tx
		);
		// The organisation answered: the lead is told (not when the lead moves their own referral on).
		if (!isLead) await notices.referralAnswered(tx, { id: referral.id, status: change.status, declineCode: change.decline_code ?? null });
	});
	outbox.wake();
}

const messageSchema = z.object({ text: text(1000) });

/**
 * A message on a referral's thread, from the plan's lead or the receiving organisation's staff
 * (the same people who may move the referral on); the other side is told by email. Audited
 * without its words.
 */
export async function sendReferralMessage(actor: Actor, referralId: string, input: unknown): Promise<void> {
	const message = parse(messageSchema, input, { text: 'messageEmpty' });
	// Checked (and a refusal audited) before the transaction, whose rollback would undo the audit row.
	const { referral, isLead } = await requireReferral(actor, referralId);
	const side = isLead ? 'lead' : 'organization';
	await sql.begin(async (tx) => {
		await db.addReferralMessage(tx, { referralId: referral.id, authorId: actor.user.id, side, text: message.text });
		await db.touch(tx, referral.plan_id);
		await audit.record(auditEvent(actor, 'referral.message_sent', referral.plan_id, { referral: referral.id, side }), tx);
		await notices.referralMessage(tx, { id: referral.id, organizationId: referral.organization_id, from: side });
	});
	outbox.wake();
}

export async function inbox(actor: Actor) {
	const rows = await db.inbox(actor.user.id);
	if (rows.length > 0) await audit.record(auditEvent(actor, 'referral.inbox_read', null, { count: rows.length }));
	return rows;
}
