/**
 * Rules about referrals shared by the plan service and the plan page (pure, no I/O).
 * The status list itself is REFERRAL_STATUSES in plan-forms.ts.
 */

/**
 * A referral is open while it is not final: sent, accepted or in progress. A plan has at most one
 * open referral per need and resource (checked by the plan service, backed by the partial unique
 * index `referral_open_idx` of migration 0007); after a final status a new one may be sent.
 */
export const OPEN_REFERRAL_STATUSES = ['sent', 'accepted', 'in_progress'] as const;

export function isOpenReferral(status: string): boolean {
	return (OPEN_REFERRAL_STATUSES as readonly string[]).includes(status);
}

/**
 * Statuses in which the receiving organisation works with the family and so sees its contact
 * details (name, phone, address) on that referral: accepted, then in progress. Before it accepts,
 * and once the referral is over, it sees the pseudonymous code only.
 */
export const CONTACT_STATUSES = ['accepted', 'in_progress'] as const;

export function contactShared(status: string): boolean {
	return (CONTACT_STATUSES as readonly string[]).includes(status);
}

/**
 * Statuses a referral moves to only with a reason (the note): declining one tells the lead worker
 * why in words (for example: no places now), besides its code below.
 */
export const REASON_STATUSES = ['declined'] as const;

export function reasonRequired(status: string): boolean {
	return (REASON_STATUSES as readonly string[]).includes(status);
}

/**
 * Why a referral is declined, as a code (the free-text note says it in the worker's words). The
 * planners' figures count `no_capacity` as unmet demand (src/lib/server/planning/demand.ts).
 * Required for every decline since migration 0012; older declines have none.
 */
export const DECLINE_CODES = ['no_capacity', 'not_eligible', 'family_declined', 'other'] as const;
export type DeclineCode = (typeof DECLINE_CODES)[number];

export function isDeclineCode(value: unknown): value is DeclineCode {
	return (DECLINE_CODES as readonly unknown[]).includes(value);
}

/**
 * The one rule for a referral's answer: a decline names its reason in words (`note`) and its code;
 * a code goes with a decline only. Returns the field at fault, or null.
 */
export function declineProblem(answer: { status: string; decline_code?: string | null; note?: string | null }): 'decline_code' | 'note' | null {
	if (reasonRequired(answer.status) && !answer.note?.trim()) return 'note';
	if (answer.status === 'declined') return isDeclineCode(answer.decline_code) ? null : 'decline_code';
	return answer.decline_code ? 'decline_code' : null;
}
