import { z } from 'zod';
import { todayInRome } from '../../domain/dates';
import * as accounts from '../db/accounts';
import * as audit from '../db/audit';
import { sql } from '../db/client';
import * as db from '../db/plans';
import { access, auditEvent, type Actor } from './context';
import { PlanError } from './errors';
import { isoDate, optionalText, parse, text, uuid } from './input';

/* Who takes part in a plan: the family's consent, member organisations, what the lead shares with them. */

/** The organisations through which `actor` takes part in a plan: theirs that are members covered by consent or override. */
export async function partnerOrganizations(actor: Actor, planId: string, members?: db.PlanContent['members']): Promise<Set<string>> {
	const mine = new Set((await accounts.memberships(actor.user.id)).map((m) => m.id));
	const covered = members ? members.filter((m) => m.covered).map((m) => m.organization_id) : [...(await db.coveredOrganizations(sql, planId))];
	return new Set(covered.filter((id) => mine.has(id)));
}

export const sharingSchema = z.object({ profile: z.boolean(), notes: z.boolean() });

/** What the lead shares with partner organisations (see `partnerView`); lead only. */
export async function setSharing(actor: Actor, planId: string, input: unknown): Promise<void> {
	const sharing = parse(sharingSchema, input);
	const plan = await access(actor, planId, 'lead');
	await sql.begin(async (tx) => {
		await db.setSharing(tx, plan.id, sharing);
		await db.touch(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.sharing_changed', plan.id, sharing), tx);
	});
}

const consentSchema = z.object({
	given_on: isoDate,
	document_ref: text(200),
	scope: z.array(uuid).max(50).default([])
});

/**
 * Records the family's consent (lead only): from then on the organisations in scope may take part.
 * `now` is the clock (tests pass their own): the consent may be dated up to today in Lecco.
 */
export async function recordConsent(actor: Actor, planId: string, input: unknown, now: Date = new Date()): Promise<void> {
	const consent = parse(consentSchema, input, { given_on: 'consentDate', document_ref: 'documentRef' });
	// Lecco's calendar day, not UTC's: between midnight and 01:00 (02:00 in summer) they differ.
	if (consent.given_on > todayInRome(now)) throw new PlanError(400, 'given_on: consent cannot be given in the future', 'consentDate');
	const scope = [...new Set(consent.scope.map((id) => id.toLowerCase()))];
	const known = await db.organizationsExist(scope);
	const unknown = scope.filter((id) => !known.includes(id));
	if (unknown.length > 0) throw new PlanError(400, `scope: no organisation has the id ${unknown.join(', ')}`);
	const plan = await access(actor, planId, 'lead');
	await sql.begin(async (tx) => {
		await db.recordConsent(tx, plan.id, { givenOn: consent.given_on, documentRef: consent.document_ref, collectedBy: actor.user.id, scope });
		await db.touch(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.consent_recorded', plan.id, { scope, given_on: consent.given_on }), tx);
	});
}

/** Withdraws consent: every partner's access ends at once (overrides stay, each with its reason). */
export async function withdrawConsent(actor: Actor, planId: string): Promise<void> {
	const plan = await access(actor, planId, 'lead');
	await sql.begin(async (tx) => {
		const count = await db.withdrawConsent(tx, plan.id, actor.user.id);
		if (count === 0) throw new PlanError(409, 'There is no consent in force to withdraw.');
		await db.touch(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.consent_withdrawn', plan.id), tx);
	});
}

const memberSchema = z.object({ organization_id: uuid, override_reason: optionalText(1000).optional() });

/**
 * Adds a partner organisation (lead only). Without a consent that covers it, refused, unless an
 * override reason of at least 10 characters is given: the override is then kept with its reason.
 */
export async function addMember(actor: Actor, planId: string, input: unknown): Promise<void> {
	const member = parse(memberSchema, input, { organization_id: 'organization' });
	const plan = await access(actor, planId, 'lead');
	if ((await db.organizationsExist([member.organization_id])).length === 0) throw new PlanError(400, `organization_id: no organisation has the id ${member.organization_id}`);
	await sql.begin(async (tx) => {
		const covered = await db.coveredOrganizations(tx, plan.id);
		if (!covered.has(member.organization_id.toLowerCase())) {
			if (!member.override_reason || member.override_reason.length < 10) {
				throw new PlanError(409, 'The family’s consent does not cover this organisation: record a consent that names it, or give an override reason (at least 10 characters), which is kept.');
			}
			await db.addOverride(tx, plan.id, member.organization_id, member.override_reason, actor.user.id);
			await audit.record(auditEvent(actor, 'plan.override', plan.id, { organization_id: member.organization_id }), tx);
		}
		await db.addMember(tx, plan.id, member.organization_id, actor.user.id);
		await db.touch(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.member_added', plan.id, { organization_id: member.organization_id }), tx);
	});
}
