import { error, type RequestEvent } from '@sveltejs/kit';
import { isUuid } from '../../domain/ids';
import * as accounts from '../db/accounts';
import type { OrganizationRole, User } from '../db/accounts';
import * as audit from '../db/audit';
import { sql } from '../db/client';
import * as pact from '../db/pact';
import * as plans from '../db/plans';
import { requireUser } from './guards';

/**
 * Record-level access, in one place (the route table in guards.ts says who may use a route at
 * all; this says which records). Each `require…` returns the record, or the facts about it the
 * caller needs, when the person may use it; otherwise it calls {@link refuse}, which writes one
 * audit row and answers 404 as if the record did not exist, for a missing record and a forbidden
 * one alike, so nobody learns what exists by trying ids.
 *
 * The answer is SvelteKit's HttpError (`error(404, …)`): routes answer it as it is, and the plan
 * API and pages (plans/http.ts, plans/pages.ts) turn it into their own answers.
 *
 * Never call these inside a transaction: a refusal's audit row must outlive the rollback that
 * follows it, and the embedded backend has one connection, which the transaction holds.
 */

/** Who asks, and from where (for the audit trail). */
export interface Actor {
	user: User;
	address: string | null;
}

/** The signed-in person of a request, as an actor (401 when there is none: the hook let a public route through). */
export function actorOf(event: Pick<RequestEvent, 'locals' | 'getClientAddress'>): Actor {
	return { user: requireUser(event), address: event.getClientAddress() };
}

/** What may be refused, named as the audit trail names its subject. */
export type Subject = 'plan' | 'referral' | 'organization' | 'location' | 'service' | 'application' | 'error_report' | 'route';

export const PLAN_NOT_FOUND = 'No such plan, or it is not shared with you.';
export const REFERRAL_NOT_FOUND = 'No such referral, or it is not shared with you.';
export const LEAD_ONLY = 'Only the plan’s lead worker can do this.';
const NOT_FOUND: Record<Subject, string> = {
	plan: PLAN_NOT_FOUND,
	referral: REFERRAL_NOT_FOUND,
	organization: 'Not found',
	location: 'Not found',
	service: 'Not found',
	application: 'Not found',
	error_report: 'Not found',
	route: 'Not found'
};

/**
 * Writes the audit row of one refusal. A plan's refusals are `plan.denied` on the plan, so they
 * are in the trail its lead reads (and out of the family's export, which leaves out `*.denied`);
 * every other one is `authz.denied`. Anonymous refusals are bounded (audit.recordRefusal).
 */
export async function recordRefusal(
	actor: { user: Pick<User, 'id' | 'email'> | null; address: string | null },
	what: Subject,
	id: string | null,
	detail: Record<string, unknown> = {}
): Promise<void> {
	await audit.recordRefusal({
		action: what === 'plan' ? 'plan.denied' : 'authz.denied',
		actorId: actor.user?.id,
		actorEmail: actor.user?.email,
		subjectType: what,
		subjectId: id?.slice(0, 64) ?? null,
		address: actor.address,
		detail
	});
}

/**
 * The one refusal: audited once, then 404 as if `what` `id` did not exist. `detail` says what was
 * asked (ids and short facts only); `answer` is the 404's message when it is not the subject's own
 * (a referral refused through its plan is audited on the plan, answered as a missing referral).
 */
export async function refuse(actor: Actor, what: Subject, id: string, detail: Record<string, unknown> = {}, answer: string = NOT_FOUND[what]): Promise<never> {
	await recordRefusal(actor, what, id, detail);
	error(404, answer);
}

/* Plans and referrals. */

/** A plan the actor may use, with how: `lead` (its lead worker) or `member` (staff of a covered member organisation). */
export type VisiblePlan = plans.PlanRow & { access: plans.Access };

/**
 * The plan, when the actor is its lead worker or staff of a member organisation covered by the
 * consent in force or an override (db/plans.ts writes that rule once). `lead`: only its lead
 * worker may do this; a member is told so (403: they see the plan already), audited too.
 */
export async function requirePlan(actor: Actor, planId: string, need: 'see' | 'lead' = 'see'): Promise<VisiblePlan> {
	const plan = await plans.find(planId, actor.user.id);
	if (!plan?.access) return refuse(actor, 'plan', planId);
	if (need === 'lead' && plan.access !== 'lead') {
		await recordRefusal(actor, 'plan', plan.id, { need: 'lead' });
		error(403, LEAD_ONLY);
	}
	return plan as VisiblePlan;
}

/** A referral the actor may answer: as its receiving organisation's editor, or as the plan's lead. */
export interface ReferralAccess {
	referral: plans.ReferralRow;
	isLead: boolean;
	isReceiver: boolean;
}

/**
 * The referral, when the actor may move it on: an editor of the receiving organisation who sees
 * the plan, or the plan's lead. Refused on its plan (`plan.denied`, so the lead sees the attempt).
 */
export async function requireReferral(actor: Actor, referralId: string): Promise<ReferralAccess> {
	const referral = await plans.findReferral(sql, referralId);
	if (!referral) return refuse(actor, 'referral', referralId);
	const plan = await plans.find(referral.plan_id, actor.user.id);
	const isLead = plan?.access === 'lead';
	const isReceiver = plan?.access === 'member' && (await accounts.organizationRole(actor.user.id, referral.organization_id)) === 'editor';
	if (!isLead && !isReceiver) return refuse(actor, 'plan', referral.plan_id, { referral: referral.id }, REFERRAL_NOT_FOUND);
	return { referral, isLead, isReceiver };
}

/* Organisations (partner self-service). */

/** How the user may use the organisation's records: administrators edit every one; partners as their membership says. */
async function organizationRole(user: User, organizationId: string): Promise<OrganizationRole | null> {
	if (user.role === 'admin') return 'editor';
	if (user.role !== 'partner' || !isUuid(organizationId)) return null;
	return accounts.organizationRole(user.id, organizationId);
}

/** Whether the person may change the organisation's records (its editors and administrators). */
export async function canEdit(user: User, organizationId: string): Promise<boolean> {
	return (await organizationRole(user, organizationId)) === 'editor';
}

/**
 * The organisation's staff (with `editor` for changes) and administrators pass, and get their
 * user back; anyone else is refused, as if the organisation did not exist.
 */
export async function requireOrganization(actor: Actor, organizationId: string, need: 'viewer' | 'editor'): Promise<User> {
	const role = await organizationRole(actor.user, organizationId);
	if (role === 'editor' || (role === 'viewer' && need === 'viewer')) return actor.user;
	return refuse(actor, 'organization', organizationId, { need });
}

/* Pact applications. */

/** An application, for its reviewers (administrators); the applicant reads theirs by account, never by id. */
export async function requireApplication(actor: Actor, applicationId: string): Promise<pact.Application> {
	const application = actor.user.role === 'admin' ? await pact.get(applicationId) : null;
	return application ?? refuse(actor, 'application', applicationId);
}
