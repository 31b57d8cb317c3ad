import { isRealDate, todayInRome } from '../../domain/dates';
import type { ApplicationPayload } from '../../domain/pact-application';
import type { FieldProblems } from '../../domain/problems';
import { LIMITS, LOCATION_NOTES, issueCode, optionalText, requiredText } from '../../domain/records';
import type { User } from '../db/accounts';
import * as accounts from '../db/accounts';
import * as audit from '../db/audit';
import { sql } from '../db/client';
import { validateOrganization, writeOrganization, DirectoryValidationError } from '../db/directory';
import * as pact from '../db/pact';
import { applicationDecided } from '../mail/notices';
import { wake } from '../mail/outbox';
import type { BundleOrganization } from '../seed/bundle';

/**
 * Joining the pact: the administrator's review of a submitted application — approving it (the
 * organisation enters the directory), rejecting it or asking for changes. Each is one transaction,
 * opened here: the application locked at the revision the reviewer read, the writes (SQL in
 * db/pact.ts and db/directory.ts), the audit events and the applicant's notice.
 */

export type ReviewResult = { ok: true } | { ok: false; errors: FieldProblems; problem?: pact.ReviewRefusal };

const reviewNote = requiredText(2000);

/** The directory record an approved application becomes (source `partner`). */
export function organizationFor(applicationId: string, payload: ApplicationPayload): BundleOrganization {
	const phones = (number: string | null) => (number ? [{ number }] : []);
	return {
		ref: `application-${applicationId}`,
		name: payload.organization.name,
		kind: payload.organization.kind,
		description: payload.organization.description,
		email: payload.organization.email ?? undefined,
		website: payload.organization.website ?? undefined,
		phones: phones(payload.organization.phone),
		locations: payload.locations.map((l, i) => ({
			ref: `location-${i + 1}`,
			name: l.name,
			lon: l.lon,
			lat: l.lat,
			address: l.address,
			postal_code: l.postal_code ?? undefined,
			city: l.city,
			confidential: l.confidential,
			...Object.fromEntries(LOCATION_NOTES.map((note) => [note, l[note] ?? undefined]))
		})),
		services: payload.services.map((s, i) => ({
			ref: `service-${i + 1}`,
			name: s.name,
			description: s.description,
			category: s.category,
			needs: s.needs,
			audiences: s.audiences,
			accepting_new: s.accepting_new,
			email: s.email ?? undefined,
			phones: phones(s.phone),
			at: s.locations.map((index) => ({ location: `location-${index + 1}`, opening_hours: s.opening_hours }))
		}))
	};
}

export interface ApproveInput {
	/** The revision the administrator read. */
	revision: number;
	/** ISO date the pact was signed. */
	signedAt: string;
	/** Who signed for the organisation. */
	signedBy: string;
	note: string;
}

/**
 * Approves a submitted application: in one transaction the organisation enters the directory
 * (locations, services, needs, audiences, hours, phones; verified today), its pact membership is
 * signed with its commitments, the applicant becomes its editor and the application is closed.
 */
export async function approve(id: string, reviewer: User, input: ApproveInput, address: string): Promise<ReviewResult> {
	const errors: FieldProblems = {};
	const today = todayInRome();
	if (!isRealDate(input.signedAt)) errors['signed_at'] = 'date';
	else if (input.signedAt > today) errors['signed_at'] = 'date_future';
	else if (input.signedAt < '2000-01-01') errors['signed_at'] = 'date';
	const signedBy = requiredText(LIMITS.person).safeParse(input.signedBy);
	if (!signedBy.success) errors['signed_by'] = issueCode(signedBy.error.issues[0]);
	const note = optionalText(2000).safeParse(input.note);
	if (!note.success) errors['note'] = issueCode(note.error.issues[0]);
	if (Object.keys(errors).length > 0 || !signedBy.success || !note.success) return { ok: false, errors };

	const application = await pact.get(id);
	if (!application) return { ok: false, errors: {}, problem: 'missing' };
	const organization = organizationFor(application.id, application.payload);
	try {
		validateOrganization(organization);
	} catch (error) {
		// A payload validated at submission that no longer passes (the rules changed): ask for changes instead.
		if (error instanceof DirectoryValidationError) return { ok: false, errors: {}, problem: 'invalid_payload' };
		throw error;
	}
	const refusal = await sql.begin(async (tx) => {
		const locked = await pact.lockForReview(tx, id, input.revision);
		if ('refusal' in locked) return locked.refusal;
		const organizationId = await writeOrganization(tx, organization, { sourceId: pact.PARTNER_SOURCE, demo: false, verifiedAt: today });
		await pact.recordApproval(tx, {
			id,
			applicantId: locked.applicant_id,
			requestedAt: locked.created_at,
			organizationId,
			reviewerId: reviewer.id,
			signedAt: input.signedAt,
			signedBy: signedBy.data,
			note: note.data,
			commitments: application.payload.commitments,
			freeCommitment: application.payload.free_commitment
		});
		const actor = { actorId: reviewer.id, actorEmail: reviewer.email, address };
		await audit.record({ ...actor, action: 'pact.application.approved', subjectType: 'pact_application', subjectId: id, detail: { organization: organizationId } }, tx);
		await audit.record({ ...actor, action: 'organization.created', subjectType: 'organization', subjectId: organizationId, detail: { application: id } }, tx);
		await audit.record({ ...actor, action: 'pact.membership.signed', subjectType: 'organization', subjectId: organizationId, detail: { signed_at: input.signedAt } }, tx);
		await applicationDecided(tx, id, 'approved');
		return null;
	});
	wake();
	return refusal ? { ok: false, errors: {}, problem: refusal } : { ok: true };
}

/** Rejects a submitted application (a reason is required) or asks the applicant for changes (a message is required). */
export async function decide(
	id: string,
	reviewer: User,
	decision: 'rejected' | 'changes_requested',
	input: { revision: number; note: string },
	address: string
): Promise<ReviewResult> {
	const note = reviewNote.safeParse(input.note);
	if (!note.success) return { ok: false, errors: { note: issueCode(note.error.issues[0]) } };
	const refusal = await sql.begin(async (tx) => {
		const locked = await pact.lockForReview(tx, id, input.revision);
		if ('refusal' in locked) return locked.refusal;
		await pact.recordDecision(tx, { id, reviewerId: reviewer.id, status: decision, note: note.data });
		await audit.record(
			{
				actorId: reviewer.id,
				actorEmail: reviewer.email,
				action: decision === 'rejected' ? 'pact.application.rejected' : 'pact.application.changes_requested',
				subjectType: 'pact_application',
				subjectId: id,
				address
			},
			tx
		);
		await applicationDecided(tx, id, decision);
		return null;
	});
	wake();
	return refusal ? { ok: false, errors: {}, problem: refusal } : { ok: true };
}

/**
 * For the reviewer: other organisations of this name in the directory (a possible duplicate). The
 * organisation an approved application created is not one of them: it is this application's own.
 */
export async function sameNameOrganizations(name: string, ownOrganizationId: string | null = null): Promise<{ id: string; name: string }[]> {
	return (await accounts.findOrganizations(name)).filter((org) => org.id !== ownOrganizationId);
}
