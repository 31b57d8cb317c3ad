import { OPEN_REFERRAL_STATUSES } from '../../domain/referral-rules';
import { isUuid } from '../../domain/ids';
import { sql, type TransactionSql } from './client';

/**
 * Support plans and households: SQL only. Who may read or change what is decided in
 * src/lib/server/plans/plans.ts, which calls these after its checks and records the audit trail.
 */

export type PlanStatus = 'draft' | 'active' | 'under_review' | 'closed';
export type ReferralStatus = 'sent' | 'accepted' | 'declined' | 'in_progress' | 'completed' | 'closed_no_outcome';
export type Access = 'lead' | 'member';

/** The partial unique index behind that rule (migration 0007): its violation is a duplicate. */
export const OPEN_REFERRAL_INDEX = 'referral_open_idx';

/**
 * The one rule of whose staff may work with a family: the organisations the consent in force
 * names, and those with an open override (kept with its reason). Rows (plan_id, organization_id),
 * an organisation possibly twice; a subquery to join or filter on. UNION ALL, not UNION, so
 * PostgreSQL can push the caller's plan and organisation into both halves (their indexes).
 */
function covered() {
	return sql`(
		SELECT c.plan_id, cs.organization_id FROM plan_consent c JOIN plan_consent_scope cs ON cs.consent_id = c.id WHERE c.withdrawn_at IS NULL
		UNION ALL
		SELECT o.plan_id, o.organization_id FROM plan_override o WHERE o.ended_at IS NULL)`;
}

/** SQL deciding whether `userId` may see plan `p`: its lead worker, or staff of a member
 * organisation covered by consent or override (`covered`). */
function accessFor(userId: string) {
	return sql`CASE
		WHEN p.lead_user_id = ${userId}::uuid THEN 'lead'
		WHEN EXISTS (
			SELECT 1 FROM organization_member om
			JOIN plan_member pm ON pm.organization_id = om.organization_id AND pm.plan_id = p.id AND pm.removed_at IS NULL
			JOIN ${covered()} cov ON cov.plan_id = p.id AND cov.organization_id = om.organization_id
			WHERE om.user_id = ${userId}::uuid
		) THEN 'member'
	END`;
}

export interface PlanSummary {
	id: string;
	code: string;
	status: PlanStatus;
	neighbourhood: string | null;
	updated_at: Date;
	access: Access;
	/** Referrals sent and not answered yet. */
	waiting_referrals: number;
	/** Of those, the ones waiting longer than the stale days. */
	stale_referrals: number;
	/** The household's sealed identity, only where this user may read its name: the lead, or a
	 * partner whose organisation accepted one of the plan's referrals. */
	identity_ciphertext: string | null;
}

/** The plans a user may see (never another's). */
export async function listFor(userId: string, staleDays: number): Promise<PlanSummary[]> {
	return sql<PlanSummary[]>`
		SELECT * FROM (
			SELECT p.id::text, h.code, p.status, n.name AS neighbourhood, p.updated_at, ${accessFor(userId)} AS access,
				(SELECT count(*)::int FROM referral r WHERE r.plan_id = p.id AND r.status = 'sent') AS waiting_referrals,
				(SELECT count(*)::int FROM referral r WHERE r.plan_id = p.id AND r.status = 'sent'
					AND r.created_at < now() - make_interval(days => ${staleDays})) AS stale_referrals,
				CASE WHEN h.erased_at IS NULL AND (p.lead_user_id = ${userId}::uuid OR EXISTS (
					SELECT 1 FROM referral r JOIN organization_member m ON m.organization_id = r.organization_id AND m.user_id = ${userId}::uuid
					WHERE r.plan_id = p.id AND r.status IN ('accepted', 'in_progress', 'completed')))
				THEN h.identity_ciphertext END AS identity_ciphertext
			FROM support_plan p JOIN household h ON h.id = p.household_id
			LEFT JOIN neighbourhood n ON n.id = h.neighbourhood_id
			WHERE p.deleted_at IS NULL
		) visible WHERE access IS NOT NULL ORDER BY updated_at DESC`;
}

export interface PlanRow {
	id: string;
	household_id: string;
	code: string;
	identity_ciphertext: string | null;
	erased: boolean;
	neighbourhood: string | null;
	lon: number | null;
	lat: number | null;
	lead_user_id: string;
	lead_email: string;
	/** The lead's display name, else the email (so on every `*_name` below: staff see names, not emails). */
	lead_name: string;
	status: PlanStatus;
	outcome: string | null;
	version: number;
	share_profile: boolean;
	share_notes: boolean;
	created_at: Date;
	updated_at: Date;
	access: Access | null;
}

/** The plan with the caller's access (null access = none); null when there is no such plan. */
export async function find(planId: string, userId: string, db: TransactionSql | typeof sql = sql): Promise<PlanRow | null> {
	if (!isUuid(planId)) return null;
	const [row] = await db<PlanRow[]>`
		SELECT p.id::text, h.id::text AS household_id, h.code, h.identity_ciphertext, h.erased_at IS NOT NULL AS erased,
			n.name AS neighbourhood,
			ST_X(COALESCE(h.rounded_point, n.label_point)) AS lon, ST_Y(COALESCE(h.rounded_point, n.label_point)) AS lat,
			p.lead_user_id::text, u.email AS lead_email, COALESCE(u.name, u.email) AS lead_name, p.status, p.outcome, p.version, p.share_profile, p.share_notes,
			p.created_at, p.updated_at,
			${accessFor(userId)} AS access
		FROM support_plan p JOIN household h ON h.id = p.household_id JOIN app_user u ON u.id = p.lead_user_id
		LEFT JOIN neighbourhood n ON n.id = h.neighbourhood_id
		WHERE p.id = ${planId}::uuid AND p.deleted_at IS NULL`;
	return row ?? null;
}

export async function neighbourhoodId(name: string): Promise<number | null> {
	const [row] = await sql<{ id: number }[]>`SELECT id FROM neighbourhood WHERE lower(name) = lower(${name.trim()})`;
	return row?.id ?? null;
}

export async function neighbourhoodNames(): Promise<string[]> {
	return (await sql<{ name: string }[]>`SELECT name FROM neighbourhood ORDER BY name`).map((r) => r.name);
}

export interface NewPlan {
	code: string;
	identityCiphertext: string;
	keyId: string;
	neighbourhoodId: number | null;
	point: { lon: number; lat: number } | null;
	leadUserId: string;
	strengths: { kind: string; text: string }[];
	needs: { need: string; words: string }[];
}

export async function create(tx: TransactionSql, plan: NewPlan): Promise<{ id: string; household_id: string }> {
	const [household] = await tx<{ id: string }[]>`
		INSERT INTO household (code, identity_ciphertext, key_id, neighbourhood_id, rounded_point, created_by)
		VALUES (${plan.code}, ${plan.identityCiphertext}, ${plan.keyId}, ${plan.neighbourhoodId},
			${plan.point ? tx`ST_SetSRID(ST_MakePoint(${plan.point.lon}, ${plan.point.lat}), 4326)` : null},
			${plan.leadUserId}::uuid)
		RETURNING id::text`;
	const [created] = await tx<{ id: string }[]>`
		INSERT INTO support_plan (household_id, lead_user_id) VALUES (${household!.id}::uuid, ${plan.leadUserId}::uuid) RETURNING id::text`;
	await replaceStrengths(tx, created!.id, plan.strengths);
	await replaceNeeds(tx, created!.id, plan.needs);
	return { id: created!.id, household_id: household!.id };
}

/** The plan's need codes, in the plan's order. */
export async function needCodes(planId: string): Promise<string[]> {
	return (await sql<{ need: string }[]>`SELECT need FROM plan_need WHERE plan_id = ${planId}::uuid ORDER BY position`).map((r) => r.need);
}

export async function replaceStrengths(tx: TransactionSql, planId: string, strengths: { kind: string; text: string }[]): Promise<void> {
	await tx`DELETE FROM plan_strength WHERE plan_id = ${planId}::uuid`;
	for (const [position, s] of strengths.entries()) {
		await tx`INSERT INTO plan_strength (plan_id, kind, text, position) VALUES (${planId}::uuid, ${s.kind}, ${s.text}, ${position})`;
	}
}

export async function replaceNeeds(tx: TransactionSql, planId: string, needs: { need: string; words: string }[]): Promise<void> {
	await tx`DELETE FROM plan_need WHERE plan_id = ${planId}::uuid`;
	for (const [position, n] of needs.entries()) {
		await tx`INSERT INTO plan_need (plan_id, need, words, position) VALUES (${planId}::uuid, ${n.need}, ${n.words}, ${position})`;
	}
}

export async function replaceGoals(tx: TransactionSql, planId: string, goals: { text: string; due_on: string | null; done: boolean }[]): Promise<void> {
	await tx`UPDATE plan_action SET goal_id = NULL WHERE plan_id = ${planId}::uuid`;
	await tx`DELETE FROM plan_goal WHERE plan_id = ${planId}::uuid`;
	for (const [position, g] of goals.entries()) {
		await tx`INSERT INTO plan_goal (plan_id, text, due_on, done, position) VALUES (${planId}::uuid, ${g.text}, ${g.due_on}::date, ${g.done}, ${position})`;
	}
}

export async function replaceActions(
	tx: TransactionSql,
	planId: string,
	actions: { text: string; organization_id: string | null; by_family: boolean; due_on: string | null; done: boolean }[]
): Promise<void> {
	await tx`DELETE FROM plan_action WHERE plan_id = ${planId}::uuid`;
	for (const [position, a] of actions.entries()) {
		await tx`INSERT INTO plan_action (plan_id, text, organization_id, by_family, due_on, done, position)
			VALUES (${planId}::uuid, ${a.text}, ${a.organization_id}::uuid, ${a.by_family}, ${a.due_on}::date, ${a.done}, ${position})`;
	}
}

/**
 * Claims the next version of a plan: succeeds only when nobody changed it since `version`.
 * Returns false on a conflict (the caller's transaction then rolls back).
 */
export async function bumpVersion(tx: TransactionSql, planId: string, version: number, changes: { status?: PlanStatus; outcome?: string | null } = {}): Promise<boolean> {
	const updated = await tx`
		UPDATE support_plan SET version = version + 1, updated_at = now(),
			status = COALESCE(${changes.status ?? null}, status),
			outcome = CASE WHEN ${changes.outcome !== undefined} THEN ${changes.outcome ?? null} ELSE outcome END,
			closed_at = CASE WHEN ${changes.status ?? null} = 'closed' THEN now() WHEN ${changes.status ?? null}::text IS NOT NULL THEN NULL ELSE closed_at END,
			-- The first time the plan comes into force (migration 0012): the planners' 12-month view needs it.
			activated_at = COALESCE(activated_at, CASE WHEN ${changes.status ?? null} IN ('active', 'under_review') THEN now() END)
		WHERE id = ${planId}::uuid AND version = ${version} AND deleted_at IS NULL`;
	return updated.count === 1;
}

export async function touch(tx: TransactionSql, planId: string): Promise<void> {
	await tx`UPDATE support_plan SET updated_at = now() WHERE id = ${planId}::uuid`;
}

export interface PlanContent {
	strengths: { id: string; kind: string; text: string }[];
	needs: { id: string; need: string; words: string }[];
	goals: { id: string; text: string; due_on: string | null; done: boolean }[];
	actions: { id: string; text: string; organization_id: string | null; organization_name: string | null; by_family: boolean; due_on: string | null; done: boolean }[];
	meetings: { id: string; held_on: string; summary: string }[];
	/** `author_organizations`: the author's organisations, for deciding which partner sees the note. */
	notes: { id: string; author_id: string; author_email: string; author_name: string; author_organizations: string[]; text: string; created_at: Date }[];
	members: { organization_id: string; name: string; added_at: Date; covered: boolean }[];
	consent: { id: string; given_on: string; document_ref: string; collected_by: string; collected_by_name: string; recorded_at: Date; scope: { id: string; name: string }[] } | null;
	referrals: {
		id: string;
		need: string;
		resource_id: string;
		resource_name: string;
		organization_id: string;
		organization_name: string;
		status: ReferralStatus;
		reason: string | null;
		/** Why it was declined, as a code (DECLINE_CODES); null otherwise and for declines before migration 0012. */
		decline_code: string | null;
		created_at: Date;
		updated_at: Date;
		stale: boolean;
		history: { at: string; actor_email: string; actor_name: string; from_status: string | null; to_status: string; note: string | null }[];
		/** The resource's place and its rione: which site, when the service has several. */
		location_name: string;
		location_neighbourhood: string | null;
		/** The thread between the lead and the organisation (migration 0019), oldest first; `author` is the display name, else the email. */
		messages: ReferralMessage[];
	}[];
	overrides: { organization_id: string; reason: string; by_email: string; by_name: string; at: Date; ended_at: Date | null }[];
}

export interface ReferralMessage {
	at: string;
	author: string;
	side: 'lead' | 'organization';
	text: string;
}

/** The thread of the referral aliased `r`, as JSON, for the plan and the inbox reads. */
const messagesOf = () => sql`
	COALESCE((SELECT json_agg(json_build_object('at', m.created_at, 'author', COALESCE(u.name, u.email), 'side', m.side, 'text', m.text) ORDER BY m.created_at, m.id)
		FROM referral_message m JOIN app_user u ON u.id = m.author_id WHERE m.referral_id = r.id), '[]'::json)`;

export async function addReferralMessage(tx: TransactionSql, message: { referralId: string; authorId: string; side: 'lead' | 'organization'; text: string }): Promise<void> {
	await tx`
		INSERT INTO referral_message (referral_id, author_id, side, text)
		VALUES (${message.referralId}::uuid, ${message.authorId}::uuid, ${message.side}, ${message.text})`;
}

export async function content(planId: string, staleDays: number): Promise<PlanContent> {
	const id = planId;
	const [strengths, needs, goals, actions, meetings, notes, members, consents, referrals, overrides] = await Promise.all([
		sql`SELECT id::text, kind, text FROM plan_strength WHERE plan_id = ${id}::uuid ORDER BY position`,
		sql`SELECT id::text, need, words FROM plan_need WHERE plan_id = ${id}::uuid ORDER BY position`,
		sql`SELECT id::text, text, to_char(due_on, 'YYYY-MM-DD') AS due_on, done FROM plan_goal WHERE plan_id = ${id}::uuid ORDER BY position`,
		sql`SELECT a.id::text, a.text, a.organization_id::text, o.name AS organization_name, a.by_family,
				to_char(a.due_on, 'YYYY-MM-DD') AS due_on, a.done
			FROM plan_action a LEFT JOIN organization o ON o.id = a.organization_id WHERE a.plan_id = ${id}::uuid ORDER BY a.position`,
		sql`SELECT id::text, to_char(held_on, 'YYYY-MM-DD') AS held_on, summary FROM plan_meeting WHERE plan_id = ${id}::uuid ORDER BY held_on DESC`,
		sql`SELECT n.id::text, n.author_id::text, u.email AS author_email, COALESCE(u.name, u.email) AS author_name,
				ARRAY(SELECT om.organization_id::text FROM organization_member om WHERE om.user_id = n.author_id) AS author_organizations,
				n.text, n.created_at
			FROM plan_note n JOIN app_user u ON u.id = n.author_id
			WHERE n.plan_id = ${id}::uuid ORDER BY n.created_at`,
		sql`SELECT pm.organization_id::text, o.name, pm.added_at,
				EXISTS (SELECT 1 FROM ${covered()} cov WHERE cov.plan_id = pm.plan_id AND cov.organization_id = pm.organization_id) AS covered
			FROM plan_member pm JOIN organization o ON o.id = pm.organization_id
			WHERE pm.plan_id = ${id}::uuid AND pm.removed_at IS NULL ORDER BY o.name`,
		sql`SELECT c.id::text, to_char(c.given_on, 'YYYY-MM-DD') AS given_on, c.document_ref, u.email AS collected_by, COALESCE(u.name, u.email) AS collected_by_name, c.recorded_at,
				COALESCE((SELECT json_agg(json_build_object('id', o.id, 'name', o.name) ORDER BY o.name)
					FROM plan_consent_scope cs JOIN organization o ON o.id = cs.organization_id WHERE cs.consent_id = c.id), '[]'::json) AS scope
			FROM plan_consent c JOIN app_user u ON u.id = c.collected_by WHERE c.plan_id = ${id}::uuid AND c.withdrawn_at IS NULL`,
		sql`SELECT r.id::text, r.need, r.service_at_location_id::text AS resource_id, s.name AS resource_name,
				r.organization_id::text, o.name AS organization_name, r.status, r.reason, r.decline_code, r.created_at, r.updated_at,
				(r.status = 'sent' AND r.created_at < now() - make_interval(days => ${staleDays})) AS stale,
				COALESCE((SELECT json_agg(json_build_object('at', e.at, 'actor_email', u.email, 'actor_name', COALESCE(u.name, u.email), 'from_status', e.from_status,
						'to_status', e.to_status, 'note', e.note) ORDER BY e.at, e.id)
					FROM referral_event e JOIN app_user u ON u.id = e.actor_id WHERE e.referral_id = r.id), '[]'::json) AS history,
				l.name AS location_name, ln.name AS location_neighbourhood, ${messagesOf()} AS messages
			FROM referral r JOIN organization o ON o.id = r.organization_id
			JOIN service_at_location sal ON sal.id = r.service_at_location_id JOIN service s ON s.id = sal.service_id
			JOIN location l ON l.id = sal.location_id LEFT JOIN neighbourhood ln ON ln.id = l.neighbourhood_id
			WHERE r.plan_id = ${id}::uuid ORDER BY r.created_at`,
		sql`SELECT ov.organization_id::text, ov.reason, u.email AS by_email, COALESCE(u.name, u.email) AS by_name, ov.at, ov.ended_at
			FROM plan_override ov JOIN app_user u ON u.id = ov.by_user WHERE ov.plan_id = ${id}::uuid ORDER BY ov.at`
	]);
	return {
		strengths,
		needs,
		goals,
		actions,
		meetings,
		notes,
		members,
		consent: (consents[0] as PlanContent['consent']) ?? null,
		referrals,
		overrides
	} as unknown as PlanContent;
}

/* Consent, members, overrides. */

export async function recordConsent(
	tx: TransactionSql,
	planId: string,
	consent: { givenOn: string; documentRef: string; collectedBy: string; scope: string[] }
): Promise<string> {
	// A new consent replaces the one in force (recorded as withdrawn by the same person).
	await tx`UPDATE plan_consent SET withdrawn_at = now(), withdrawn_by = ${consent.collectedBy}::uuid
		WHERE plan_id = ${planId}::uuid AND withdrawn_at IS NULL`;
	const [row] = await tx<{ id: string }[]>`
		INSERT INTO plan_consent (plan_id, given_on, collected_by, document_ref)
		VALUES (${planId}::uuid, ${consent.givenOn}::date, ${consent.collectedBy}::uuid, ${consent.documentRef}) RETURNING id::text`;
	for (const org of consent.scope) await tx`INSERT INTO plan_consent_scope (consent_id, organization_id) VALUES (${row!.id}::uuid, ${org}::uuid)`;
	return row!.id;
}

export async function withdrawConsent(tx: TransactionSql, planId: string, by: string): Promise<number> {
	const updated = await tx`UPDATE plan_consent SET withdrawn_at = now(), withdrawn_by = ${by}::uuid
		WHERE plan_id = ${planId}::uuid AND withdrawn_at IS NULL`;
	return updated.count;
}

/** Organisations the consent in force covers, and those with an open override (`covered`). */
export async function coveredOrganizations(db: TransactionSql | typeof sql, planId: string): Promise<Set<string>> {
	const rows = await db<{ id: string }[]>`
		SELECT DISTINCT cov.organization_id::text AS id FROM ${covered()} cov WHERE cov.plan_id = ${planId}::uuid`;
	return new Set(rows.map((r) => r.id));
}

export async function organizationsExist(ids: string[]): Promise<string[]> {
	if (ids.length === 0) return [];
	const rows = await sql<{ id: string }[]>`SELECT id::text FROM organization WHERE id = ANY(${ids}::uuid[])`;
	return rows.map((r) => r.id);
}

export async function addMember(tx: TransactionSql, planId: string, organizationId: string, by: string): Promise<void> {
	await tx`INSERT INTO plan_member (plan_id, organization_id, added_by) VALUES (${planId}::uuid, ${organizationId}::uuid, ${by}::uuid)
		ON CONFLICT (plan_id, organization_id) DO UPDATE SET removed_at = NULL`;
}

export async function addOverride(tx: TransactionSql, planId: string, organizationId: string, reason: string, by: string): Promise<void> {
	await tx`INSERT INTO plan_override (plan_id, organization_id, reason, by_user) VALUES (${planId}::uuid, ${organizationId}::uuid, ${reason}, ${by}::uuid)`;
}

/* Notes, meetings. */

export async function addNote(tx: TransactionSql, planId: string, authorId: string, text: string): Promise<void> {
	await tx`INSERT INTO plan_note (plan_id, author_id, text) VALUES (${planId}::uuid, ${authorId}::uuid, ${text})`;
}

export async function addMeeting(tx: TransactionSql, planId: string, heldOn: string, summary: string): Promise<void> {
	await tx`INSERT INTO plan_meeting (plan_id, held_on, summary) VALUES (${planId}::uuid, ${heldOn}::date, ${summary})`;
}

/* Referrals. */

/** The open referral (see OPEN_REFERRAL_STATUSES in domain/referral-rules.ts) of a plan for a need and resource, if any. */
export async function openReferral(tx: TransactionSql, planId: string, need: string, resourceId: string): Promise<{ id: string; status: ReferralStatus; created_at: Date } | null> {
	const [row] = await tx<{ id: string; status: ReferralStatus; created_at: Date }[]>`
		SELECT id::text, status, created_at FROM referral
		WHERE plan_id = ${planId}::uuid AND need = ${need} AND service_at_location_id = ${resourceId}::uuid
			AND status = ANY(${[...OPEN_REFERRAL_STATUSES]}::text[])`;
	return row ?? null;
}

export async function createReferral(
	tx: TransactionSql,
	referral: { planId: string; need: string; resourceId: string; organizationId: string; by: string }
): Promise<string> {
	const [row] = await tx<{ id: string }[]>`
		INSERT INTO referral (plan_id, need, service_at_location_id, organization_id, created_by)
		VALUES (${referral.planId}::uuid, ${referral.need}, ${referral.resourceId}::uuid, ${referral.organizationId}::uuid, ${referral.by}::uuid)
		RETURNING id::text`;
	await tx`INSERT INTO referral_event (referral_id, actor_id, from_status, to_status) VALUES (${row!.id}::uuid, ${referral.by}::uuid, NULL, 'sent')`;
	return row!.id;
}

export interface ReferralRow {
	id: string;
	plan_id: string;
	organization_id: string;
	status: ReferralStatus;
}

export async function findReferral(tx: TransactionSql | typeof sql, referralId: string): Promise<ReferralRow | null> {
	if (!isUuid(referralId)) return null;
	const [row] = await tx<ReferralRow[]>`
		SELECT id::text, plan_id::text, organization_id::text, status FROM referral WHERE id = ${referralId}::uuid FOR UPDATE`;
	return row ?? null;
}

export async function setReferralStatus(
	tx: TransactionSql,
	referral: ReferralRow,
	to: ReferralStatus,
	by: string,
	note: string | null,
	declineCode: string | null = null
): Promise<void> {
	await tx`UPDATE referral SET status = ${to}, reason = COALESCE(${to === 'declined' ? note : null}, reason),
			decline_code = ${to === 'declined' ? declineCode : null}, updated_at = now()
		WHERE id = ${referral.id}::uuid`;
	await tx`INSERT INTO referral_event (referral_id, actor_id, from_status, to_status, note)
		VALUES (${referral.id}::uuid, ${by}::uuid, ${referral.status}, ${to}, ${note})`;
}

export interface InboxRow {
	id: string;
	plan_id: string;
	code: string;
	need: string;
	resource_name: string;
	organization_name: string;
	status: ReferralStatus;
	created_at: Date;
	/** Who sent it: the display name, else the email (null only if that account is gone). */
	referred_by: string | null;
	location_name: string;
	location_neighbourhood: string | null;
	messages: ReferralMessage[];
	/** The user is one of the organisation's editors: may answer and write. */
	can_write: boolean;
}

/** Referrals sent to the user's organisations on plans the user may see. */
export async function inbox(userId: string): Promise<InboxRow[]> {
	return sql<InboxRow[]>`
		SELECT r.id::text, r.plan_id::text, h.code, r.need, s.name AS resource_name, o.name AS organization_name, r.status, r.created_at,
			(SELECT COALESCE(u.name, u.email) FROM referral_event e JOIN app_user u ON u.id = e.actor_id
				WHERE e.referral_id = r.id AND e.to_status = 'sent' ORDER BY e.id LIMIT 1) AS referred_by,
			l.name AS location_name, ln.name AS location_neighbourhood, ${messagesOf()} AS messages, om.role = 'editor' AS can_write
		FROM referral r
		JOIN support_plan p ON p.id = r.plan_id AND p.deleted_at IS NULL
		JOIN household h ON h.id = p.household_id
		JOIN organization o ON o.id = r.organization_id
		JOIN service_at_location sal ON sal.id = r.service_at_location_id JOIN service s ON s.id = sal.service_id
		JOIN location l ON l.id = sal.location_id LEFT JOIN neighbourhood ln ON ln.id = l.neighbourhood_id
		JOIN organization_member om ON om.organization_id = r.organization_id AND om.user_id = ${userId}::uuid
		WHERE ${accessFor(userId)} IS NOT NULL
		ORDER BY r.status = 'sent' DESC, r.created_at DESC`;
}

/* Privacy: export, erasure, retention, key rotation. */

/** What the lead worker shares with partner organisations (see migration 0007). */
export async function setSharing(tx: TransactionSql, planId: string, sharing: { profile: boolean; notes: boolean }): Promise<void> {
	await tx`UPDATE support_plan SET share_profile = ${sharing.profile}, share_notes = ${sharing.notes} WHERE id = ${planId}::uuid`;
}

/**
 * The plan's audit trail, newest first: all of it, or (`organizationIds` given) only what staff of
 * those organisations did, which is what a partner organisation may read.
 */
/**
 * The plan's trail, newest first: everything for the lead (`organizationIds` null), else only what
 * staff of those organisations did. `before`: only events older than that event id (the next page).
 */
export async function trail(
	planId: string,
	organizationIds: string[] | null,
	page: { limit?: number; before?: number | null } = {}
): Promise<{ id: number; at: Date; actor_email: string | null; actor_name: string | null; action: string; detail: Record<string, unknown> }[]> {
	const { limit = 1000, before = null } = page;
	return sql`
		SELECT e.id::int AS id, e.at, e.actor_email, COALESCE(u.name, e.actor_email) AS actor_name, e.action, e.detail
		FROM audit_event e LEFT JOIN app_user u ON u.id = e.actor_id
		WHERE e.subject_type = 'plan' AND e.subject_id = ${planId}
			AND (${before}::bigint IS NULL OR e.id < ${before}::bigint)
			AND (${organizationIds === null} OR EXISTS (SELECT 1 FROM organization_member om
				WHERE om.user_id = e.actor_id AND om.organization_id = ANY(${organizationIds ?? []}::uuid[])))
		ORDER BY e.id DESC LIMIT ${limit}`;
}

export interface TrailRow {
	at: Date;
	action: string;
	actor_role: string | null;
	lead: boolean;
	organizations: string[];
	detail: Record<string, unknown>;
}

/**
 * The plan's audit trail as the family may receive it (GDPR access): who by role and
 * organisation, what and when. Left out: staff addresses (`address`), staff emails, and refused
 * attempts (`*.denied`), which are about other people, not about the family's data being used.
 */
export async function familyTrail(planId: string): Promise<TrailRow[]> {
	return sql<TrailRow[]>`
		SELECT e.at, e.action, u.role AS actor_role, COALESCE(e.actor_id = p.lead_user_id, false) AS lead,
			ARRAY(SELECT o.name FROM organization_member om JOIN organization o ON o.id = om.organization_id
				JOIN plan_member pm ON pm.organization_id = om.organization_id AND pm.plan_id = p.id
				WHERE om.user_id = e.actor_id ORDER BY o.name) AS organizations,
			e.detail
		FROM audit_event e JOIN support_plan p ON p.id::text = e.subject_id
		LEFT JOIN app_user u ON u.id = e.actor_id
		WHERE e.subject_type = 'plan' AND e.subject_id = ${planId} AND e.action NOT LIKE '%.denied'
		ORDER BY e.id`;
}

export async function softDelete(tx: TransactionSql, planId: string): Promise<void> {
	await tx`UPDATE support_plan SET deleted_at = now() WHERE id = ${planId}::uuid`;
}

export async function eraseIdentity(tx: TransactionSql, householdId: string): Promise<void> {
	await tx`UPDATE household SET identity_ciphertext = NULL, key_id = NULL, rounded_point = NULL, erased_at = now()
		WHERE id = ${householdId}::uuid`;
}

/** Households whose plans all closed (or were deleted) more than `months` ago, identity still kept. */
export async function dueForErasure(months: number): Promise<{ household_id: string; plan_ids: string[] }[]> {
	return sql`
		SELECT h.id::text AS household_id, array_agg(p.id::text) AS plan_ids
		FROM household h JOIN support_plan p ON p.household_id = h.id
		WHERE h.erased_at IS NULL
		GROUP BY h.id
		HAVING bool_and(COALESCE(p.deleted_at, p.closed_at) < now() - make_interval(months => ${months}))`;
}

export async function encryptedIdentities(): Promise<{ id: string; identity_ciphertext: string; key_id: string }[]> {
	return sql`SELECT id::text, identity_ciphertext, key_id FROM household WHERE identity_ciphertext IS NOT NULL`;
}

/** One stored identity per key id (the newest), to check at start that the configured keys open them. */
export async function identitySamples(): Promise<{ key_id: string; identity_ciphertext: string }[]> {
	return sql`
		SELECT DISTINCT ON (key_id) key_id, identity_ciphertext FROM household
		WHERE identity_ciphertext IS NOT NULL ORDER BY key_id, created_at DESC`;
}

export async function setIdentity(tx: TransactionSql, householdId: string, ciphertext: string, keyId: string): Promise<void> {
	await tx`UPDATE household SET identity_ciphertext = ${ciphertext}, key_id = ${keyId} WHERE id = ${householdId}::uuid`;
}

export async function codeExists(code: string): Promise<boolean> {
	const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM household WHERE code = ${code}`;
	return row!.n > 0;
}
