import { error } from '@sveltejs/kit';
import { REPORT_DECISIONS, REPORT_HONEYPOT, readReport, type ReportDecision, type ReportValues } from '../../domain/error-reports';
import type { FieldProblems } from '../../domain/problems';
import { refuse, requireOrganization, type Actor } from '../auth/access';
import * as audit from '../db/audit';
import { sql } from '../db/client';
import * as reports from '../db/error-reports';
import { errorReported } from '../mail/notices';
import { wake } from '../mail/outbox';
import * as throttle from './throttle';

/**
 * "Segnala un errore" (issue 14): citizens report an error on a public record without an account;
 * the organisation's editors (their partner page) and the administrators (/admin/errori) close the
 * report as resolved or dismissed. Each write is one transaction with its audit row; a new report
 * also queues the editors' notice. Nothing about the person is kept but the email they chose to
 * leave for a reply, erased when the report is closed; their client address only counts, as a
 * salted hash kept an hour, towards the hourly limit every instance shares (throttle.ts).
 */

export type SubmitOutcome =
	| { status: 'sent' }
	| { status: 'missing' }
	| { status: 'invalid'; errors: FieldProblems }
	| { status: 'throttled'; retryAfterSeconds: number };

export interface SubmitInput {
	/** The public resource's id (service at location). */
	resourceId: string;
	values: ReportValues;
	/** What came in the honeypot field (REPORT_HONEYPOT): people leave it empty. */
	honeypot: string;
	/** The client's address: counted towards the limit, never stored. */
	address: string;
	perHour: number;
	now?: Date;
}

export { REPORT_HONEYPOT };

export async function submit(input: SubmitInput): Promise<SubmitOutcome> {
	const now = input.now ?? new Date();
	const wait = await throttle.waitSeconds(input.address, input.perHour, now.getTime());
	if (wait > 0) return { status: 'throttled', retryAfterSeconds: wait };
	const reading = readReport(input.values);
	if (!reading.ok) return { status: 'invalid', errors: reading.errors };
	// A bot filled the field nobody sees: it is thanked as a person would be, and nothing is kept.
	if (input.honeypot !== '') {
		await throttle.count(input.address, now.getTime());
		return { status: 'sent' };
	}
	const created = await sql.begin(async (tx) => {
		const row = await reports.insert(tx, input.resourceId, reading.report, now);
		if (!row) return null;
		await audit.record(
			{ action: 'error_report.created', subjectType: 'error_report', subjectId: row.id, detail: { organization: row.organization_id, kind: reading.report.kind, reply: reading.report.reply_email !== null } },
			tx
		);
		if ((await reports.countOpen(row.organization_id, tx)) === 1) await errorReported(tx, row.organization_id, now);
		return row;
	});
	if (!created) return { status: 'missing' };
	await throttle.count(input.address, now.getTime());
	wake();
	return { status: 'sent' };
}

/** The open reports of an organisation, for its editors (and administrators); others get 404. */
export async function openFor(actor: Actor, organizationId: string): Promise<reports.ReportRow[]> {
	await requireOrganization(actor, organizationId, 'editor');
	return reports.listOpen(organizationId);
}

/** Every open report, for the administrators. */
export async function openAll(actor: Actor): Promise<reports.ReportRow[]> {
	if (actor.user.role !== 'admin') return refuse(actor, 'route', '/admin/errori');
	return reports.listOpen(null);
}

/**
 * Closes an open report as `resolved` or `dismissed`: through its organisation's page (an editor of
 * that organisation, `organizationId`), or the administrators' list (null). A report of another
 * organisation, a closed one or a missing one is 404; an unknown decision is 400.
 */
export async function close(actor: Actor, input: { organizationId: string | null; reportId: string; decision: string }, now = new Date()): Promise<void> {
	if (input.organizationId !== null) await requireOrganization(actor, input.organizationId, 'editor');
	else if (actor.user.role !== 'admin') return refuse(actor, 'route', '/admin/errori');
	if (!(REPORT_DECISIONS as readonly string[]).includes(input.decision)) error(400, 'Choose resolved or dismissed.');
	const decision = input.decision as ReportDecision;
	const closed = await sql.begin(async (tx) => {
		const row = await reports.close(tx, { id: input.reportId, organizationId: input.organizationId, decision, userId: actor.user.id, now });
		if (!row) return null;
		await audit.record(
			{ actorId: actor.user.id, actorEmail: actor.user.email, action: `error_report.${decision}`, subjectType: 'error_report', subjectId: row.id, address: actor.address, detail: { organization: row.organization_id } },
			tx
		);
		return row;
	});
	if (!closed) return refuse(actor, 'error_report', input.reportId.slice(0, 64), { organization: input.organizationId });
}
