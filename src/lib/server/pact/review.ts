import { isRealDate, todayInRome } from '../../domain/dates';
import type { ApplicationPayload } from '../../domain/pact-application';
import type { FieldProblems } from '../../domain/problems';
import { LIMITS, LOCATION_NOTES, issueCode, optionalText, requiredText } from '../../domain/records';
import type { User } from '../db/accounts';
import * as accounts from '../db/accounts';
import { validateOrganization, DirectoryValidationError } from '../db/directory';
import * as pact from '../db/pact';
import { applicationDecided } from '../mail/notices';
import { wake } from '../mail/outbox';
import type { BundleOrganization } from '../seed/bundle';

/**
 * Joining the pact: the administrator's review of a submitted application — approving it (the
 * organisation enters the directory), rejecting it or asking for changes.
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
	const outcome = await pact.approve({
		id,
		revision: input.revision,
		reviewer,
		signedAt: input.signedAt,
		signedBy: signedBy.data,
		note: note.data,
		organization,
		verifiedAt: today,
		commitments: application.payload.commitments,
		freeCommitment: application.payload.free_commitment,
		address,
		then: (tx, applicationId) => applicationDecided(tx, applicationId, 'approved')
	});
	wake();
	return outcome.ok ? { ok: true } : { ok: false, errors: {}, problem: outcome.refusal };
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
	const outcome = await pact.decide({ id, revision: input.revision, reviewer, status: decision, note: note.data, address, then: (tx, applicationId) => applicationDecided(tx, applicationId, decision) });
	wake();
	return outcome.ok ? { ok: true } : { ok: false, errors: {}, problem: outcome.refusal };
}

/**
 * For the reviewer: other organisations of this name in the directory (a possible duplicate). The
 * organisation an approved application created is not one of them: it is this application's own.
 */
export async function sameNameOrganizations(name: string, ownOrganizationId: string | null = null): Promise<{ id: string; name: string }[]> {
	return (await accounts.findOrganizations(name)).filter((org) => org.id !== ownOrganizationId);
}
