import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { INT32_MAX, isPlausibleDate, todayInRome } from '../../domain/dates';
import { UUID } from '../../domain/ids';
import { PLAN_STATUSES, REFERRAL_STATUSES, STRENGTH_KINDS } from '../../domain/plan-forms';
import { textProblem, textProblemMessage } from '../../domain/text';
import { NEED_CODES } from '../../domain/taxonomy';
import { walkMinutes } from '../../domain/walking';
import type { User } from '../db/accounts';
import * as audit from '../db/audit';
import { sql, type TransactionSql } from '../db/client';
import * as match from '../db/match';
import * as db from '../db/plans';
import { currentKeyId, decryptIdentity, encryptIdentity, type Identity } from './crypto';

/**
 * The shared support plan. Every function here takes the acting user and decides, before
 * anything else, whether that user may do it: the plan's lead worker, or staff of a member
 * organisation covered by the consent in force (or by an override recorded with its reason).
 * Anyone else gets PlanError 404, exactly as for a plan that does not exist. Every read and write
 * is recorded in the audit trail; every write that spans rows runs in one transaction.
 */
export class PlanError extends Error {
	constructor(
		readonly status: 400 | 403 | 404 | 409 | 503,
		message: string
	) {
		super(message);
	}
}

export interface Actor {
	user: User;
	address: string | null;
}

export interface PlanSettings {
	staleDays: number;
}

const NOT_FOUND = 'No such plan, or it is not shared with you.';
export { PLAN_STATUSES, REFERRAL_STATUSES };

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

/** An audit event about one plan, or (planId null) about the actor's plans in general. */
function auditEvent(actor: Actor, action: string, planId: string | null, detail: Record<string, unknown> = {}) {
	return { actorId: actor.user.id, actorEmail: actor.user.email, action, subjectType: 'plan', subjectId: planId, address: actor.address, detail };
}

/** The plan, if `actor` may see it; otherwise a 404 (and the refusal is audited). */
async function access(actor: Actor, planId: string, need: 'see' | 'lead' = 'see', tx?: TransactionSql): Promise<db.PlanRow & { access: db.Access }> {
	const plan = await db.find(planId, actor.user.id, tx ?? sql);
	if (!plan || !plan.access) {
		if (plan) await audit.record(auditEvent(actor, 'plan.denied', plan.id));
		throw new PlanError(404, NOT_FOUND);
	}
	if (need === 'lead' && plan.access !== 'lead') {
		await audit.record(auditEvent(actor, 'plan.denied', plan.id, { need: 'lead' }));
		throw new PlanError(403, 'Only the plan’s lead worker can do this.');
	}
	return plan as db.PlanRow & { access: db.Access };
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
	const parsed = schema.safeParse(input);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
		throw new PlanError(400, problems.join('; '));
	}
	return parsed.data;
}

// Every text field: the one text rule (domain/text.ts), then trimmed and bounded.
const plain = () =>
	z.string().superRefine((value, context) => {
		const problem = textProblem(value);
		if (problem) context.addIssue({ code: 'custom', message: textProblemMessage(problem) });
	});
const text = (max: number) => plain().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const optionalText = (max: number) => plain().trim().max(max, `at most ${max} characters`);
const isoDate = z.string().refine(isPlausibleDate, 'must be a real day like 2026-11-24, from 2000 to 2099');
const uuid = z.string().regex(UUID, 'must be an id');
const needCode = z.enum(NEED_CODES, { error: `must be one of ${NEED_CODES.join(', ')}` });

// A plain string is shorthand: "text" for { kind: 'other', text }, "code" for { need: code }.
const strengthInput = z.preprocess(
	(s) => (typeof s === 'string' ? { kind: 'other', text: s } : s),
	z.object({ kind: z.enum(STRENGTH_KINDS, { error: `must be one of ${STRENGTH_KINDS.join(', ')}` }).default('other'), text: text(500) })
);
const needInput = z.preprocess(
	(n) => (typeof n === 'string' ? { need: n } : n),
	z.object({ need: needCode, words: optionalText(500).default('') })
);
const uniqueNeeds = z.array(needInput).max(16).refine((needs) => new Set(needs.map((n) => n.need)).size === needs.length, 'each need only once');

const newPlanSchema = z.object({
	household: z.object({
		name: text(200),
		neighbourhood: optionalText(100).optional(),
		phone: optionalText(50).optional(),
		address: optionalText(300).optional(),
		notes: optionalText(2000).optional(),
		point: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).optional()
	}),
	strengths: z.array(strengthInput).min(1, 'name at least one of the family’s strengths: they are the centre of the plan').max(30),
	needs: uniqueNeeds.default([])
});

export type NewPlanInput = z.input<typeof newPlanSchema>;

async function newCode(): Promise<string> {
	const alphabet = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
	for (;;) {
		const code = `F-${Array.from({ length: 6 }, () => alphabet[randomInt(alphabet.length)]).join('').padEnd(6, 'X')}`;
		if (!(await db.codeExists(code))) return code;
	}
}

/** A social worker opens a household and its plan, and leads it. */
export async function createPlan(actor: Actor, input: unknown): Promise<{ id: string; code: string }> {
	if (actor.user.role !== 'worker') throw new PlanError(403, 'Only social workers open plans.');
	const plan = parse(newPlanSchema, input);
	let neighbourhoodId: number | null = null;
	if (plan.household.neighbourhood) {
		neighbourhoodId = await db.neighbourhoodId(plan.household.neighbourhood);
		if (neighbourhoodId === null) {
			throw new PlanError(400, `household.neighbourhood: unknown rione "${plan.household.neighbourhood}"; known: ${(await db.neighbourhoodNames()).join(', ')}`);
		}
	}
	// Never more precise than ~100 m.
	const point = plan.household.point ? { lon: Math.round(plan.household.point[0] * 1000) / 1000, lat: Math.round(plan.household.point[1] * 1000) / 1000 } : null;
	const identity: Identity = { name: plan.household.name };
	for (const key of ['phone', 'address', 'notes'] as const) if (plan.household[key]) identity[key] = plan.household[key];
	let sealed;
	try {
		sealed = encryptIdentity(identity);
	} catch (error) {
		throw new PlanError(503, error instanceof Error ? error.message : String(error));
	}
	const code = await newCode();
	const created = await sql.begin(async (tx) => {
		const row = await db.create(tx, {
			code,
			identityCiphertext: sealed.ciphertext,
			keyId: sealed.keyId,
			neighbourhoodId,
			point,
			leadUserId: actor.user.id,
			strengths: plan.strengths,
			needs: plan.needs
		});
		await audit.record(auditEvent(actor, 'plan.created', row.id, { household: code }), tx);
		return row;
	});
	return { id: created.id, code };
}

/** The rioni a household may be placed in, by name. */
export function neighbourhoods(): Promise<string[]> {
	return db.neighbourhoodNames();
}

export async function listPlans(actor: Actor, settings: PlanSettings) {
	const plans = await db.listFor(actor.user.id, settings.staleDays);
	if (plans.length > 0) await audit.record(auditEvent(actor, 'plan.listed', null, { count: plans.length }));
	return plans;
}

export type PlanView = Awaited<ReturnType<typeof getPlan>>;

/** The whole plan for its lead and members, household identity included. Audited as a read. */
export async function getPlan(actor: Actor, planId: string, settings: PlanSettings) {
	const plan = await access(actor, planId);
	const content = await db.content(plan.id, settings.staleDays);
	await audit.record(auditEvent(actor, 'plan.read', plan.id));
	const identity = plan.identity_ciphertext ? decryptIdentity(plan.identity_ciphertext) : null;
	return {
		id: plan.id,
		code: plan.code,
		status: plan.status,
		outcome: plan.outcome,
		version: plan.version,
		access: plan.access,
		lead: { id: plan.lead_user_id, email: plan.lead_email },
		household: { code: plan.code, erased: plan.erased, neighbourhood: plan.neighbourhood, ...(identity ?? { name: null }) },
		created_at: plan.created_at,
		updated_at: plan.updated_at,
		...content
	};
}

const updateSchema = z.object({
	version: z.number().int().min(1).max(INT32_MAX, 'must be the version the plan was opened at'),
	status: z.enum(PLAN_STATUSES).optional(),
	outcome: optionalText(2000).optional(),
	strengths: z.array(strengthInput).min(1, 'keep at least one strength').max(30).optional(),
	needs: uniqueNeeds.optional(),
	goals: z.array(z.object({ text: text(500), due_on: isoDate.nullable().default(null), done: z.boolean().default(false) })).max(30).optional(),
	actions: z
		.array(
			z.object({
				text: text(500),
				organization_id: uuid.nullable().default(null),
				by_family: z.boolean().default(false),
				due_on: isoDate.nullable().default(null),
				done: z.boolean().default(false)
			})
		)
		.max(50)
		.optional()
});

/**
 * Changes the plan's content (lead only), from the version the editor started from: when someone
 * else saved in between, nothing is written and PlanError 409 says so.
 */
export async function updatePlan(actor: Actor, planId: string, input: unknown): Promise<{ version: number }> {
	const change = parse(updateSchema, input);
	if (change.status === 'closed' && !change.outcome) throw new PlanError(400, 'outcome: say how the plan ended when closing it');
	if (change.actions?.some((a) => a.by_family && a.organization_id)) throw new PlanError(400, 'actions: an action is for the family or for an organisation, not both');
	const organizationIds = [...new Set((change.actions ?? []).flatMap((a) => (a.organization_id ? [a.organization_id.toLowerCase()] : [])))];
	if (organizationIds.length > 0) {
		const known = await db.organizationsExist(organizationIds);
		const unknown = organizationIds.filter((id) => !known.includes(id));
		if (unknown.length > 0) throw new PlanError(400, `actions: no organisation has the id ${unknown.join(', ')}`);
	}
	const plan = await access(actor, planId, 'lead');
	return sql.begin(async (tx) => {
		const claimed = await db.bumpVersion(tx, plan.id, change.version, { status: change.status, outcome: change.outcome });
		if (!claimed) {
			throw new PlanError(409, `Someone else changed this plan since you opened it (you had version ${change.version}). Reload it, then make your change again.`);
		}
		if (change.strengths) await db.replaceStrengths(tx, plan.id, change.strengths);
		if (change.needs) await db.replaceNeeds(tx, plan.id, change.needs);
		if (change.goals) await db.replaceGoals(tx, plan.id, change.goals);
		if (change.actions) await db.replaceActions(tx, plan.id, change.actions);
		const fields = Object.keys(change).filter((k) => k !== 'version');
		await audit.record(auditEvent(actor, 'plan.updated', plan.id, { fields, version: change.version + 1 }), tx);
		return { version: change.version + 1 };
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
	const consent = parse(consentSchema, input);
	// Lecco's calendar day, not UTC's: between midnight and 01:00 (02:00 in summer) they differ.
	if (consent.given_on > todayInRome(now)) throw new PlanError(400, 'given_on: consent cannot be given in the future');
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
	const member = parse(memberSchema, input);
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

const referralSchema = z.object({ need: needCode, resource_id: uuid });

/** Refers a plan need to a public resource (lead only); its organisation joins the plan. */
export async function addReferral(actor: Actor, planId: string, input: unknown): Promise<{ id: string }> {
	const referral = parse(referralSchema, input);
	const plan = await access(actor, planId, 'lead');
	const resource = await db.resourceOrganization(referral.resource_id);
	if (!resource) throw new PlanError(400, `resource_id: no public resource has the id ${referral.resource_id}`);
	if (!resource.needs.includes(referral.need)) throw new PlanError(400, `need: ${resource.name} does not offer "${referral.need}"`);
	if (!(await db.needCodes(plan.id)).includes(referral.need)) throw new PlanError(400, `need: "${referral.need}" is not one of this plan’s needs`);
	return sql.begin(async (tx) => {
		const covered = await db.coveredOrganizations(tx, plan.id);
		if (!covered.has(resource.organization_id)) {
			throw new PlanError(409, 'The family’s consent does not cover the organisation of this resource: record a consent that names it first.');
		}
		await db.addMember(tx, plan.id, resource.organization_id, actor.user.id);
		const id = await db.createReferral(tx, { planId: plan.id, need: referral.need, resourceId: referral.resource_id, organizationId: resource.organization_id, by: actor.user.id });
		await db.touch(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.referral_sent', plan.id, { referral: id, organization_id: resource.organization_id, need: referral.need }), tx);
		return { id };
	});
}

const referralStatusSchema = z.object({ status: z.enum(REFERRAL_STATUSES), note: optionalText(1000).optional() });

/** Moves a referral on: the receiving organisation's staff answer it; the lead may close it. */
export async function setReferralStatus(actor: Actor, referralId: string, input: unknown): Promise<void> {
	const change = parse(referralStatusSchema, input);
	if (change.status === 'declined' && !change.note) throw new PlanError(400, 'note: say why the referral is declined (for example: no places now)');
	await sql.begin(async (tx) => {
		const referral = await db.findReferral(tx, referralId);
		if (!referral) throw new PlanError(404, 'No such referral, or it is not shared with you.');
		const plan = await db.find(referral.plan_id, actor.user.id, tx);
		const memberships = await tx<{ organization_id: string }[]>`
			SELECT organization_id::text FROM organization_member WHERE user_id = ${actor.user.id}::uuid AND role = 'editor'`;
		const isReceiver = plan?.access === 'member' && memberships.some((m) => m.organization_id === referral.organization_id);
		const isLead = plan?.access === 'lead';
		if (!plan || (!isReceiver && !isLead)) {
			await audit.record(auditEvent(actor, 'plan.denied', referral.plan_id, { referral: referral.id }), tx);
			throw new PlanError(404, 'No such referral, or it is not shared with you.');
		}
		const allowed = REFERRAL_STEPS[referral.status].some((step) => step.to === change.status && ((step.by === 'partner' && isReceiver) || (step.by === 'lead' && isLead)));
		if (!allowed) throw new PlanError(409, `A referral that is "${referral.status}" cannot become "${change.status}" by you.`);
		await db.setReferralStatus(tx, referral, change.status, actor.user.id, change.note ?? null);
		await db.touch(tx, referral.plan_id);
		await audit.record(auditEvent(actor, 'referral.status_changed', referral.plan_id, { referral: referral.id, from: referral.status, to: change.status }), tx);
	});
}

/** A note visible to every member (lead or member). */
export async function addNote(actor: Actor, planId: string, input: unknown): Promise<void> {
	const note = parse(z.object({ text: text(4000) }), input);
	const plan = await access(actor, planId);
	await sql.begin(async (tx) => {
		await db.addNote(tx, plan.id, actor.user.id, note.text);
		await db.touch(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.note_added', plan.id), tx);
	});
}

export async function addMeeting(actor: Actor, planId: string, input: unknown): Promise<void> {
	const meeting = parse(z.object({ held_on: isoDate, summary: optionalText(4000).default('') }), input);
	const plan = await access(actor, planId, 'lead');
	await sql.begin(async (tx) => {
		await db.addMeeting(tx, plan.id, meeting.held_on, meeting.summary);
		await db.touch(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.meeting_added', plan.id), tx);
	});
}

/** Who did what with this plan: for its lead and members (reading it is itself recorded). */
export async function planAudit(actor: Actor, planId: string) {
	const plan = await access(actor, planId);
	const events = await audit.list({ subjectType: 'plan', subjectId: plan.id, limit: 1000 });
	await audit.record(auditEvent(actor, 'plan.audit_read', plan.id));
	return events.map((e) => ({ at: e.at, actor: e.actor_email, action: e.action, detail: e.detail }));
}

export interface Suggestion {
	id: string;
	name: string;
	organization_id: string;
	organization: string;
	walk_min: number;
	open_now: boolean | null;
	accepting: boolean | null;
	/** Among the nearest the match engine proposes (false: added because its organisation is covered). */
	nearest: boolean;
	/** Its organisation is covered by the consent in force or an override: a referral may be sent. */
	covered: boolean;
}

const SUGGESTION_REACH_M = 10_000;

/**
 * For each plan need, nearby resources from the household's rounded place (or its rione): the
 * match engine's nearest, then any other resource of an organisation the consent already covers
 * that offers the need (so a partner the family agreed to is always on offer).
 */
export async function suggestions(actor: Actor, planId: string): Promise<{ need: string; resources: Suggestion[] }[]> {
	const plan = await access(actor, planId);
	const needs = await db.needCodes(plan.id);
	if (plan.lon === null || plan.lat === null || needs.length === 0) return [];
	const at = { lon: plan.lon, lat: plan.lat };
	const rows = await match.matchResources({ at, needs, maxDistanceM: SUGGESTION_REACH_M, limit: 5 });
	const covered = await db.coveredOrganizations(sql, plan.id);
	const [organizationOf, ofCovered] = await Promise.all([
		db.resourceOrganizations([...new Set(rows.map((r) => r.id))]),
		db.resourcesOfOrganizations({ at, needs, organizationIds: [...covered], maxDistanceM: SUGGESTION_REACH_M })
	]);
	return needs.map((need) => {
		const nearest: Suggestion[] = rows
			.filter((r) => r.need === need)
			.map((r) => {
				const organizationId = organizationOf.get(r.id) ?? '';
				return { id: r.id, name: r.name, organization_id: organizationId, organization: r.organization, walk_min: walkMinutes(r.distance_m), open_now: r.open_now, accepting: r.accepting_new, nearest: true, covered: covered.has(organizationId) };
			});
		const shown = new Set(nearest.map((r) => r.id));
		const partners: Suggestion[] = ofCovered
			.filter((r) => r.need === need && !shown.has(r.id))
			.map((r) => ({ id: r.id, name: r.name, organization_id: r.organization_id, organization: r.organization, walk_min: walkMinutes(r.distance_m), open_now: null, accepting: r.accepting_new, nearest: false, covered: true }));
		return { need, resources: [...nearest, ...partners] };
	});
}

/**
 * Organisations that could take part in the plan (lead only): those with a public resource for
 * one of the plan's needs near the household, nearest first. The lead chooses among them when
 * recording the family's consent or adding a member.
 */
export async function organizationsNearby(actor: Actor, planId: string): Promise<{ id: string; name: string; walk_min: number }[]> {
	const plan = await access(actor, planId, 'lead');
	if (plan.lon === null || plan.lat === null) return [];
	const rows = await db.organizationsNear({ at: { lon: plan.lon, lat: plan.lat }, needs: await db.needCodes(plan.id), maxDistanceM: SUGGESTION_REACH_M, limit: 50 });
	return rows.map((r) => ({ id: r.id, name: r.name, walk_min: walkMinutes(r.distance_m) }));
}

/** What a referral may become next, and by whom: the receiving organisation ('partner') or the lead. */
export function nextReferralStatuses(status: db.ReferralStatus, by: 'partner' | 'lead'): db.ReferralStatus[] {
	return REFERRAL_STEPS[status].filter((step) => step.by === by).map((step) => step.to);
}

/** GDPR access: everything held about the household and its plan, for the family (lead only). */
export async function exportHousehold(actor: Actor, planId: string, settings: PlanSettings) {
	const plan = await access(actor, planId, 'lead');
	const view = await getPlan(actor, plan.id, settings);
	const trail = await audit.list({ subjectType: 'plan', subjectId: plan.id, limit: 5000 });
	await audit.record(auditEvent(actor, 'plan.exported', plan.id));
	return { exported_at: new Date().toISOString(), plan: view, audit: trail };
}

/**
 * Erasure where the law allows (lead only): the household's identifiers and place are destroyed,
 * the plan soft-deleted; the pseudonymous code and the audit trail remain.
 */
export async function erase(actor: Actor, planId: string): Promise<void> {
	const plan = await access(actor, planId, 'lead');
	await sql.begin(async (tx) => {
		await db.eraseIdentity(tx, plan.household_id);
		await db.softDelete(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.erased', plan.id, { household: plan.code }), tx);
	});
}

export async function inbox(actor: Actor) {
	const rows = await db.inbox(actor.user.id);
	if (rows.length > 0) await audit.record(auditEvent(actor, 'referral.inbox_read', null, { count: rows.length }));
	return rows;
}

/* Maintenance, run by `npm run admin`. */

/** Erases the identity of households whose plans all closed more than `months` ago. */
export async function applyRetention(months: number): Promise<number> {
	const due = await db.dueForErasure(months);
	for (const household of due) {
		await sql.begin(async (tx) => {
			await db.eraseIdentity(tx, household.household_id);
			for (const planId of household.plan_ids) {
				await audit.record({ actorEmail: 'retention', action: 'plan.erased', subjectType: 'plan', subjectId: planId, detail: { retention_months: months } }, tx);
			}
		});
	}
	return due.length;
}

/** Re-encrypts every household identity with the current key (after a key change). */
export async function rotateHouseholdKey(): Promise<number> {
	let count = 0;
	for (const household of await db.encryptedIdentities()) {
		if (household.key_id === currentKeyId()) continue;
		const sealed = encryptIdentity(decryptIdentity(household.identity_ciphertext));
		await sql.begin((tx) => db.setIdentity(tx, household.id, sealed.ciphertext, sealed.keyId));
		count += 1;
	}
	await audit.record({ actorEmail: 'npm run admin', action: 'household.key_rotated', detail: { count } });
	return count;
}
