import { nextChange, type NextOpening } from '../../domain/week-table';
import { contactShared } from '../../domain/referral-rules';
import * as audit from '../db/audit';
import * as db from '../db/plans';
import * as resources from '../db/resources';
import { access, auditEvent, type Actor, type PlanSettings } from './context';

/** One place on the family's card: where to go, when it is next open, whom to ask. */
export interface CardPlace extends resources.CardResource {
	/** The family's needs this place took on (one referral each), in the order they were sent. */
	needs: string[];
	/** What the organisation wrote when it accepted the family (often whom to ask for), if anything. */
	notes: string[];
	/** Null: no opening within a fortnight, no hours known, or closed until further notice. */
	next: NextOpening | null;
}

/**
 * The family's card (lead only): their strengths in their own words, and each place that has
 * taken them on (a referral accepted or in progress, see referral-rules.ts), once however many
 * needs it took on, with its address, rione, next opening, phones and the organisation's note.
 * Never the household's name or contact details: the card leaves the office. Audited as
 * `plan.card_read` with the referrals shown.
 */
export async function familyCard(actor: Actor, planId: string, settings: PlanSettings, now = new Date()) {
	const plan = await access(actor, planId, 'lead');
	const content = await db.content(plan.id, settings.staleDays);
	const taken = content.referrals.filter((r) => contactShared(r.status));
	await audit.record(auditEvent(actor, 'plan.card_read', plan.id, { referrals: taken.map((r) => r.id) }));
	const found = await resources.forFamilyCard([...new Set(taken.map((r) => r.resource_id))], now);
	const places = new Map<string, CardPlace>();
	for (const referral of taken) {
		const resource = found.get(referral.resource_id);
		if (!resource) continue;
		const place = places.get(resource.id) ?? { ...resource, needs: [], notes: [], next: cardOpening(resource, now) };
		places.set(resource.id, place);
		if (!place.needs.includes(referral.need)) place.needs.push(referral.need);
		const note = referral.history.findLast((step) => step.to_status === 'accepted')?.note?.trim();
		if (note && !place.notes.includes(note)) place.notes.push(note);
	}
	return { id: plan.id, code: plan.code, lead: plan.lead_email, strengths: content.strengths.map((s) => s.text), places: [...places.values()] };
}

/** The next opening, after a temporary closure (none while closed until further notice). */
function cardOpening(resource: resources.CardResource, now: Date): NextOpening | null {
	return nextChange(resource.opening_hours, resource.closure, now);
}
