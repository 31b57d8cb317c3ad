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
 * why (for example: no places now). Checked by the plan service; the controls ask for it.
 */
export const REASON_STATUSES = ['declined'] as const;

export function reasonRequired(status: string): boolean {
	return (REASON_STATUSES as readonly string[]).includes(status);
}
