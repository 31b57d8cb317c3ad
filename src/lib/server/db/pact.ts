import type { ApplicationPayload, ApplicationStatus } from '../../domain/pact-application';
import { isUuid } from '../../domain/ids';
import { sql, type TransactionSql } from './client';

/**
 * Pact applications (tables pact_application, pact_application_event) and the public list of
 * signatories: the SQL only. Each transition runs in the caller's transaction (the services in
 * server/pact open it, audit and queue notices in it): it checks the state it starts from while
 * holding the row, writes the history event with it, and changes nothing when the state is not
 * the expected one.
 */

/** The source of records partners keep themselves (migration 0001). */
export const PARTNER_SOURCE = 'partner';

export interface Application {
	id: string;
	applicant_id: string;
	applicant_email: string;
	status: ApplicationStatus;
	payload: ApplicationPayload;
	revision: number;
	review_note: string | null;
	reviewer_email: string | null;
	/** The reviewer's display name, else the email (what the pages show). */
	reviewer_name: string | null;
	reviewed_at: Date | null;
	/** ISO date. */
	signed_at: string | null;
	signed_by: string | null;
	organization_id: string | null;
	submitted_at: Date;
	created_at: Date;
	updated_at: Date;
}

export interface ApplicationEvent {
	at: Date;
	actor_email: string | null;
	/** The actor's display name, else the email (what the pages show). */
	actor_name: string | null;
	from_status: ApplicationStatus | null;
	to_status: ApplicationStatus;
	note: string | null;
}

export interface ApplicationSummary {
	id: string;
	status: ApplicationStatus;
	organization_name: string;
	kind: string;
	applicant_email: string;
	submitted_at: Date;
	updated_at: Date;
}


const applicationColumns = () => sql`
	a.id::text, a.applicant_id::text, u.email AS applicant_email, a.status, a.payload, a.revision, a.review_note,
	r.email AS reviewer_email, COALESCE(r.name, r.email) AS reviewer_name, a.reviewed_at, to_char(a.signed_at, 'YYYY-MM-DD') AS signed_at, a.signed_by,
	a.organization_id::text, a.submitted_at, a.created_at, a.updated_at`;

/** Any application by id (administrators), or null. */
export async function get(id: string): Promise<Application | null> {
	return getWhere(id, sql`TRUE`);
}

/** The application if `applicantId` made it; null when it is missing or someone else's. */
export async function getForApplicant(id: string, applicantId: string): Promise<Application | null> {
	return getWhere(id, sql`a.applicant_id = ${applicantId}::uuid`);
}

async function getWhere(id: string, condition: ReturnType<typeof sql>): Promise<Application | null> {
	if (!isUuid(id)) return null;
	const [row] = await sql<Application[]>`
		SELECT ${applicationColumns()} FROM pact_application a
		JOIN app_user u ON u.id = a.applicant_id LEFT JOIN app_user r ON r.id = a.reviewer_id
		WHERE a.id = ${id}::uuid AND ${condition}`;
	return row ?? null;
}

/** The applicant's applications, newest first. */
export async function listForApplicant(applicantId: string): Promise<Application[]> {
	return sql<Application[]>`
		SELECT ${applicationColumns()} FROM pact_application a
		JOIN app_user u ON u.id = a.applicant_id LEFT JOIN app_user r ON r.id = a.reviewer_id
		WHERE a.applicant_id = ${applicantId}::uuid ORDER BY a.created_at DESC, a.id`;
}

/** The applicant's open (submitted or changes requested) application's id, if any. */
export async function openFor(applicantId: string): Promise<string | null> {
	const [row] = await sql<{ id: string }[]>`
		SELECT id::text FROM pact_application
		WHERE applicant_id = ${applicantId}::uuid AND status IN ('submitted', 'changes_requested')`;
	return row?.id ?? null;
}

export async function history(applicationId: string): Promise<ApplicationEvent[]> {
	return sql<ApplicationEvent[]>`
		SELECT e.at, u.email AS actor_email, COALESCE(u.name, u.email) AS actor_name, e.from_status, e.to_status, e.note
		FROM pact_application_event e LEFT JOIN app_user u ON u.id = e.actor_id
		WHERE e.application_id = ${applicationId}::uuid ORDER BY e.id`;
}

/** Applications for review, oldest submission first (the queue's order), optionally of one status. */
export async function list(status: ApplicationStatus | null): Promise<ApplicationSummary[]> {
	return sql<ApplicationSummary[]>`
		SELECT a.id::text, a.status, a.payload->'organization'->>'name' AS organization_name,
			a.payload->'organization'->>'kind' AS kind, u.email AS applicant_email, a.submitted_at, a.updated_at
		FROM pact_application a JOIN app_user u ON u.id = a.applicant_id
		WHERE ${status}::text IS NULL OR a.status = ${status}
		ORDER BY a.submitted_at, a.id`;
}

export async function countByStatus(): Promise<Record<ApplicationStatus, number>> {
	const rows = await sql<{ status: ApplicationStatus; n: number }[]>`
		SELECT status, count(*)::int AS n FROM pact_application GROUP BY status`;
	const counts = { submitted: 0, changes_requested: 0, approved: 0, rejected: 0 };
	for (const row of rows) counts[row.status] = row.n;
	return counts;
}

/**
 * Sign-ups through the application form from `address` in the last `minutes`: accounts opened,
 * and attempts naming an address that had one already (both count, or the form would tell them
 * apart by its limit).
 */
export async function recentSignUps(address: string, minutes: number): Promise<number> {
	const [row] = await sql<{ n: number }[]>`
		SELECT count(*)::int AS n FROM audit_event
		WHERE address = ${address.slice(0, 64)} AND at > now() - make_interval(mins => ${minutes})
			AND ((action = 'pact.application.submitted' AND detail->>'new_account' = 'true') OR action = 'pact.signup.known_address')`;
	return row?.n ?? 0;
}

/** A new application and its first history event, in the caller's transaction; its id. */
export async function insertApplication(tx: TransactionSql, applicantId: string, payload: ApplicationPayload): Promise<string> {
	const [row] = await tx<{ id: string }[]>`
		INSERT INTO pact_application (applicant_id, payload) VALUES (${applicantId}::uuid, ${tx.json(payload as never)})
		RETURNING id::text`;
	if (!row) throw new Error('the application was not written');
	await tx`
		INSERT INTO pact_application_event (application_id, actor_id, from_status, to_status, payload)
		VALUES (${row.id}::uuid, ${applicantId}::uuid, NULL, 'submitted', ${tx.json(payload as never)})`;
	return row.id;
}

/** The unique index that keeps one open application per applicant: a second insert violates it. */
export const ONE_OPEN_APPLICATION_INDEX = 'pact_application_one_open_idx';

/**
 * The applicant's changed application back to review, with its history event; false (nothing
 * written) unless it is theirs and awaiting changes.
 */
export async function resubmit(tx: TransactionSql, input: { id: string; applicantId: string; payload: ApplicationPayload }): Promise<boolean> {
	const updated = await tx`
		UPDATE pact_application SET payload = ${tx.json(input.payload as never)}, status = 'submitted', revision = revision + 1,
			submitted_at = now(), updated_at = now()
		WHERE id = ${input.id}::uuid AND applicant_id = ${input.applicantId}::uuid AND status = 'changes_requested'`;
	if (updated.count !== 1) return false;
	await tx`
		INSERT INTO pact_application_event (application_id, actor_id, from_status, to_status, payload)
		VALUES (${input.id}::uuid, ${input.applicantId}::uuid, 'changes_requested', 'submitted', ${tx.json(input.payload as never)})`;
	return true;
}

/** Why a review did not happen: no such application, not awaiting review, or changed since it was read. */
export type ReviewRefusal = 'missing' | 'not_pending' | 'stale' | 'invalid_payload';

/** Locks the application and checks it is submitted and still at the revision the reviewer read. */
export async function lockForReview(tx: TransactionSql, id: string, revision: number): Promise<{ refusal: ReviewRefusal } | { applicant_id: string; created_at: Date }> {
	if (!isUuid(id)) return { refusal: 'missing' };
	const [row] = await tx<{ status: ApplicationStatus; revision: number; applicant_id: string; created_at: Date }[]>`
		SELECT status, revision, applicant_id::text, created_at FROM pact_application WHERE id = ${id}::uuid FOR UPDATE`;
	if (!row) return { refusal: 'missing' };
	if (row.status !== 'submitted') return { refusal: 'not_pending' };
	if (row.revision !== revision) return { refusal: 'stale' };
	return row;
}

/** A locked, submitted application rejected or sent back for changes, with the reviewer's note and its history event. */
export async function recordDecision(
	tx: TransactionSql,
	input: { id: string; reviewerId: string; status: 'rejected' | 'changes_requested'; note: string }
): Promise<void> {
	const updated = await tx`
		UPDATE pact_application SET status = ${input.status}, review_note = ${input.note}, reviewer_id = ${input.reviewerId}::uuid,
			reviewed_at = now(), revision = revision + 1, updated_at = now()
		WHERE id = ${input.id}::uuid`;
	if (updated.count !== 1) throw new Error(`application ${input.id} was not updated`);
	await tx`
		INSERT INTO pact_application_event (application_id, actor_id, from_status, to_status, note)
		VALUES (${input.id}::uuid, ${input.reviewerId}::uuid, 'submitted', ${input.status}, ${input.note})`;
}

/**
 * A locked, submitted application approved, once its organisation is in the directory: the pact
 * membership signed with its commitments, the applicant made its editor, the application closed
 * and linked to it, with its history event.
 */
export async function recordApproval(
	tx: TransactionSql,
	input: {
		id: string;
		applicantId: string;
		/** When they first applied, however many rounds of changes followed. */
		requestedAt: Date;
		organizationId: string;
		reviewerId: string;
		signedAt: string;
		signedBy: string;
		note: string | null;
		commitments: string[];
		freeCommitment: string | null;
	}
): Promise<void> {
	const membership = await tx`
		INSERT INTO pact_membership (organization_id, status, requested_at, signed_at, signed_by, free_commitment)
		VALUES (${input.organizationId}::uuid, 'signed', ${input.requestedAt}, ${input.signedAt}::date, ${input.signedBy}, ${input.freeCommitment})`;
	if (membership.count !== 1) throw new Error('the pact membership was not written');
	if (input.commitments.length > 0) {
		const rows = input.commitments.map((commitment) => ({ organization_id: input.organizationId, commitment }));
		const inserted = await tx`INSERT INTO pact_membership_commitment ${tx(rows, 'organization_id', 'commitment')}`;
		if (inserted.count !== rows.length) throw new Error('the commitments were not all written');
	}
	const member = await tx`
		INSERT INTO organization_member (user_id, organization_id, role) VALUES (${input.applicantId}::uuid, ${input.organizationId}::uuid, 'editor')
		ON CONFLICT (user_id, organization_id) DO UPDATE SET role = 'editor'`;
	if (member.count !== 1) throw new Error('the applicant was not made an editor');

	const updated = await tx`
		UPDATE pact_application SET status = 'approved', organization_id = ${input.organizationId}::uuid, signed_at = ${input.signedAt}::date,
			signed_by = ${input.signedBy}, review_note = ${input.note}, reviewer_id = ${input.reviewerId}::uuid, reviewed_at = now(),
			revision = revision + 1, updated_at = now()
		WHERE id = ${input.id}::uuid`;
	if (updated.count !== 1) throw new Error(`application ${input.id} was not updated`);
	await tx`
		INSERT INTO pact_application_event (application_id, actor_id, from_status, to_status, note)
		VALUES (${input.id}::uuid, ${input.reviewerId}::uuid, 'submitted', 'approved', ${input.note})`;
}

/* The public list of signatories. */

export interface Signatory {
	id: string;
	name: string;
	kind: string;
	/** ISO date. */
	signed_at: string;
	commitments: string[];
	free_commitment: string | null;
	demo: boolean;
	/** The organisation's public pins (resource pages), by name. */
	resources: { id: string; name: string }[];
}

/** Every organisation whose pact membership is signed, most recent signature first. */
export async function signatories(): Promise<Signatory[]> {
	return sql<Signatory[]>`
		SELECT o.id::text, o.name, o.kind, to_char(m.signed_at, 'YYYY-MM-DD') AS signed_at, m.free_commitment, o.demo,
			ARRAY(SELECT c.commitment FROM pact_membership_commitment c JOIN pact_commitment pc ON pc.code = c.commitment
				WHERE c.organization_id = o.id ORDER BY pc.position) AS commitments,
			COALESCE((SELECT json_agg(json_build_object('id', r.id, 'name', r.name) ORDER BY r.name, r.id)
				FROM public_resource r WHERE r.organization_id = o.id), '[]'::json) AS resources
		FROM pact_membership m JOIN organization o ON o.id = m.organization_id
		WHERE m.status = 'signed'
		ORDER BY m.signed_at DESC, o.name`;
}
