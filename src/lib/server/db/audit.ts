import { sql, type Sql, type TransactionSql } from './client';

/**
 * The append-only audit trail (table audit_event; the database refuses updates and deletes).
 * Never put secrets or household details in `detail`: ids and short facts only.
 */
export interface AuditEvent {
	actorId?: string | null;
	actorEmail?: string | null;
	/** Dotted lower-case name, e.g. `login.failure`, `authz.denied`, `organization.update`. */
	action: string;
	subjectType?: string | null;
	subjectId?: string | null;
	address?: string | null;
	detail?: Record<string, unknown>;
}

export async function record(event: AuditEvent, db: Sql | TransactionSql = sql): Promise<void> {
	await db`
		INSERT INTO audit_event (actor_id, actor_email, action, subject_type, subject_id, address, detail)
		VALUES (${event.actorId ?? null}::uuid, ${event.actorEmail ?? null}, ${event.action}, ${event.subjectType ?? null},
			${event.subjectId ?? null}, ${event.address?.slice(0, 64) ?? null}, ${sql.json((event.detail ?? {}) as never)})`;
}

export interface AuditRow {
	id: number;
	at: Date;
	actor_email: string | null;
	/** The actor's display name, else the email kept on the event (what the audit pages show). */
	actor_name: string | null;
	action: string;
	subject_type: string | null;
	subject_id: string | null;
	address: string | null;
	detail: Record<string, unknown>;
}

/**
 * Refusals anyone can cause without an account (a refused route, a throttled sign-in), kept
 * bounded: the trail is append-only. At most one row per kind, address and minute (the first;
 * later ones that minute are not written), and at most this many per kind and minute from all
 * addresses together, so rotating addresses cannot flood it either. A signed-in person's
 * refusals are all recorded.
 */
export const ANONYMOUS_REFUSALS_PER_MINUTE = 60;

/** `plan.denied`: a refusal on a plan (auth/access.ts), always by a signed-in person. */
export type Refusal = 'authz.denied' | 'plan.denied' | 'login.throttled';

/** A refusal (by default `authz.denied`): always recorded for a signed-in actor, bounded otherwise. */
export async function recordRefusal(event: Omit<AuditEvent, 'action'> & { action?: Refusal }): Promise<boolean> {
	const action = event.action ?? 'authz.denied';
	if (event.actorId) {
		await record({ ...event, action });
		return true;
	}
	const address = event.address?.slice(0, 64) ?? null;
	// A literal in the SQL text, not a parameter, so the planner can prove the partial index
	// audit_event_anonymous_refusal_idx (migration 0008) applies.
	const kind = action === 'login.throttled' ? sql`'login.throttled'` : sql`'authz.denied'`;
	const written = await sql`
		INSERT INTO audit_event (actor_id, actor_email, action, subject_type, subject_id, address, detail)
		SELECT NULL, ${event.actorEmail ?? null}, ${kind}, ${event.subjectType ?? null}, ${event.subjectId ?? null}, ${address},
			${sql.json({ ...event.detail, first_this_minute: true } as never)}
		WHERE NOT EXISTS (
				SELECT 1 FROM audit_event
				WHERE actor_id IS NULL AND action = ${kind} AND at >= date_trunc('minute', now())
					AND address IS NOT DISTINCT FROM ${address})
			AND (SELECT count(*) FROM audit_event
				WHERE actor_id IS NULL AND action = ${kind} AND at >= date_trunc('minute', now())) < ${ANONYMOUS_REFUSALS_PER_MINUTE}`;
	return written.count > 0;
}

export interface AuditFilter {
	/** Actions starting with this, e.g. `login.` or `authz.denied`. */
	action?: string;
	/** The actor's email (any case), or null for events without one (people not signed in). */
	actor?: string | null;
	subjectType?: string;
	subjectId?: string;
	/** Calendar days in Rome (YYYY-MM-DD, valid dates), both included. */
	fromDay?: string;
	toDay?: string;
	/** Keyset paging: only events older than this id. */
	before?: number;
	limit?: number;
}

/** Events matching every given filter, newest first. */
export async function list(filter: AuditFilter = {}): Promise<AuditRow[]> {
	const conditions = [
		filter.action ? sql`starts_with(e.action, ${filter.action})` : null,
		filter.actor === null ? sql`e.actor_email IS NULL` : filter.actor ? sql`e.actor_email = ${filter.actor.trim().toLowerCase()}` : null,
		filter.subjectType ? sql`e.subject_type = ${filter.subjectType}` : null,
		filter.subjectId ? sql`e.subject_id = ${filter.subjectId}` : null,
		filter.fromDay ? sql`e.at >= (${filter.fromDay}::date::timestamp AT TIME ZONE 'Europe/Rome')` : null,
		filter.toDay ? sql`e.at < ((${filter.toDay}::date + 1)::timestamp AT TIME ZONE 'Europe/Rome')` : null,
		filter.before ? sql`e.id < ${filter.before}` : null
	].filter((condition) => condition !== null);
	const where = conditions.reduce((all, condition) => sql`${all} AND ${condition}`, sql`TRUE`);
	return sql<AuditRow[]>`
		SELECT e.id::int, e.at, e.actor_email, COALESCE(u.name, e.actor_email) AS actor_name, e.action, e.subject_type, e.subject_id, e.address, e.detail
		FROM audit_event e LEFT JOIN app_user u ON u.id = e.actor_id
		WHERE ${where}
		ORDER BY e.id DESC LIMIT ${filter.limit ?? 200}`;
}
