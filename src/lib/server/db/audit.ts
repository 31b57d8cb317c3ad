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
	action: string;
	subject_type: string | null;
	subject_id: string | null;
	address: string | null;
	detail: Record<string, unknown>;
}

export async function list(filter: { action?: string; subjectType?: string; subjectId?: string; limit?: number } = {}): Promise<AuditRow[]> {
	return sql<AuditRow[]>`
		SELECT id::int, at, actor_email, action, subject_type, subject_id, address, detail FROM audit_event
		WHERE (${filter.action ?? null}::text IS NULL OR starts_with(action, ${filter.action ?? ''}))
			AND (${filter.subjectType ?? null}::text IS NULL OR subject_type = ${filter.subjectType ?? null})
			AND (${filter.subjectId ?? null}::text IS NULL OR subject_id = ${filter.subjectId ?? null})
		ORDER BY id DESC LIMIT ${filter.limit ?? 200}`;
}
