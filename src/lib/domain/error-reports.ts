import { z } from 'zod';
import { codeOf, collectProblems, optionalEmail, optionalText } from './records';
import type { FieldProblems } from './problems';

/**
 * "Segnala un errore": what a citizen may tell about a public resource's record, and the one set of
 * rules for it (the form on the resource page, the service in server/reports, the tests). No
 * account, nothing personal required: a kind, an optional short note, and an email only if the
 * person wants a reply.
 */
export const REPORT_KINDS = ['closed', 'hours', 'contacts', 'other'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_STATUSES = ['open', 'resolved', 'dismissed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
/** What an editor or an administrator may do with an open report. */
export const REPORT_DECISIONS = ['resolved', 'dismissed'] as const;
export type ReportDecision = (typeof REPORT_DECISIONS)[number];

/** The same as the CHECKs of db/migrations/0023_error_reports.sql. */
export const REPORT_LIMITS = { note: 1000, email: 254 } as const;

/**
 * The form's field that people never see (hidden by CSS and from assistive technology): a bot that
 * fills every field fills it too, and its report is thanked for and dropped.
 */
export const REPORT_HONEYPOT = 'homepage';

export const reportFields = z
	.object({
		kind: codeOf(REPORT_KINDS),
		note: optionalText(REPORT_LIMITS.note),
		reply_email: optionalEmail()
	})
	// "Other" says nothing by itself: it needs a note.
	.refine((report) => report.kind !== 'other' || report.note !== null, { path: ['note'], message: 'required' });
export type ReportFields = z.output<typeof reportFields>;

export interface ReportValues {
	kind: string;
	note: string;
	reply_email: string;
}

/** The form's values as typed (capped, so a huge post is not kept in memory or echoed back). */
export function reportValuesFromForm(form: FormData): ReportValues {
	const text = (key: string, cap: number) => {
		const value = form.get(key);
		return typeof value === 'string' ? value.slice(0, cap) : '';
	};
	return { kind: text('kind', 20), note: text('note', REPORT_LIMITS.note + 100), reply_email: text('reply_email', REPORT_LIMITS.email + 10) };
}

export type ReportReading = { ok: true; report: ReportFields } | { ok: false; errors: FieldProblems };

export function readReport(values: ReportValues): ReportReading {
	const parsed = reportFields.safeParse(values);
	if (parsed.success) return { ok: true, report: parsed.data };
	const errors: FieldProblems = {};
	collectProblems(errors, '', parsed.error);
	return { ok: false, errors };
}
