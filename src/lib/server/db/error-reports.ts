import type { ReportDecision, ReportFields, ReportKind } from '../../domain/error-reports';
import { isUuid } from '../../domain/ids';
import { sql, type Sql, type TransactionSql } from './client';

/**
 * The citizens' error reports (table error_report, migration 0023): SQL only. Access and audit are
 * src/lib/server/reports/reports.ts's; every read and write here is scoped by organisation when the
 * caller names one, so another organisation's report is simply "not found".
 */

type Db = Sql | TransactionSql;

/**
 * A new report on a public resource (a service at a location the public pages show), stamped with
 * the app's clock. Null when no public resource has that id (removed meanwhile, or never was).
 */
export async function insert(db: Db, resourceId: string, report: ReportFields, now: Date): Promise<{ id: string; organization_id: string } | null> {
	if (!isUuid(resourceId)) return null;
	const [row] = await db<{ id: string; organization_id: string }[]>`
		INSERT INTO error_report (service_at_location_id, service_id, organization_id, kind, note, reply_email, created_at)
		SELECT pr.id, pr.service_id, pr.organization_id, ${report.kind}, ${report.note}, ${report.reply_email}, ${now}
		FROM public_resource pr WHERE pr.id = ${resourceId}::uuid
		RETURNING id::text, organization_id::text`;
	return row ?? null;
}

export interface ReportRow {
	id: string;
	kind: ReportKind;
	note: string | null;
	reply_email: string | null;
	created_at: Date;
	/** The public resource's id (its page is /risorse/<id>). */
	resource_id: string;
	service_name: string;
	location_name: string;
	organization_id: string;
	organization_name: string;
}

/** Open reports, oldest first: of one organisation, or of all (null, for the administrators). */
export async function listOpen(organizationId: string | null, limit = 200): Promise<ReportRow[]> {
	if (organizationId !== null && !isUuid(organizationId)) return [];
	return sql<ReportRow[]>`
		SELECT r.id::text, r.kind, r.note, r.reply_email, r.created_at, r.service_at_location_id::text AS resource_id,
			s.name AS service_name, l.name AS location_name, o.id::text AS organization_id, o.name AS organization_name
		FROM error_report r
		JOIN service s ON s.id = r.service_id
		JOIN service_at_location sal ON sal.id = r.service_at_location_id
		JOIN location l ON l.id = sal.location_id
		JOIN organization o ON o.id = r.organization_id
		WHERE r.status = 'open' ${organizationId ? sql`AND r.organization_id = ${organizationId}::uuid` : sql``}
		ORDER BY r.created_at, r.id
		LIMIT ${limit}`;
}

/** How many reports wait: of one organisation, or of all (null). */
export async function countOpen(organizationId: string | null, db: Db = sql): Promise<number> {
	if (organizationId !== null && !isUuid(organizationId)) return 0;
	const [row] = await db<{ n: number }[]>`
		SELECT count(*)::int AS n FROM error_report
		WHERE status = 'open' ${organizationId ? sql`AND organization_id = ${organizationId}::uuid` : sql``}`;
	return row?.n ?? 0;
}

/**
 * Closes an open report (resolved or dismissed) and erases the reply email, which was kept only
 * for the answer. Scoped to `organizationId` unless null (an administrator). Null when no open
 * report of that organisation has the id.
 */
export async function close(
	db: Db,
	input: { id: string; organizationId: string | null; decision: ReportDecision; userId: string; now: Date }
): Promise<{ id: string; organization_id: string; kind: ReportKind } | null> {
	if (!isUuid(input.id) || (input.organizationId !== null && !isUuid(input.organizationId))) return null;
	const [row] = await db<{ id: string; organization_id: string; kind: ReportKind }[]>`
		UPDATE error_report SET status = ${input.decision}, resolved_by = ${input.userId}::uuid, resolved_at = ${input.now}, reply_email = NULL
		WHERE id = ${input.id}::uuid AND status = 'open'
			${input.organizationId ? sql`AND organization_id = ${input.organizationId}::uuid` : sql``}
		RETURNING id::text, organization_id::text, kind`;
	return row ?? null;
}
