import * as audit from '../db/audit';
import * as db from '../db/plans';
import { access, auditEvent, type Actor, type PlanSettings } from './context';
import { decryptIdentity } from './crypto';
import { partnerOrganizations } from './members';
import { familyView, leadView, partnerView, publicNote, type PlanView } from './views';

/* Reading plans, each read audited: the list, one plan, its trail, the family's export. */

export interface ListedPlan extends Omit<db.PlanSummary, 'identity_ciphertext'> {
	/** The household's name where this person may read it (see db.listFor), else null. */
	name: string | null;
}

/** Lower-case, without accents or extra spaces: "Famiglia Rossì" and "famiglia  rossi" match. */
const folded = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * The plans this person may see, with the household's name beside the code where they may read it
 * (decrypted here, audited as one read naming the plans), optionally only those whose code or name
 * holds `search` — matched after decryption: names are never stored or searched in clear.
 */
export async function listPlans(actor: Actor, settings: PlanSettings, search = ''): Promise<ListedPlan[]> {
	const rows = await db.listFor(actor.user.id, settings.staleDays);
	const wanted = folded(search.slice(0, 100));
	const named: ListedPlan[] = rows.map(({ identity_ciphertext, ...row }) => ({ ...row, name: identity_ciphertext ? decryptIdentity(identity_ciphertext).name : null }));
	const plans = wanted ? named.filter((p) => folded(p.code).includes(wanted) || (p.name !== null && folded(p.name).includes(wanted))) : named;
	if (plans.length > 0) {
		const names = plans.filter((p) => p.name !== null).map((p) => p.id);
		await audit.record(auditEvent(actor, 'plan.listed', null, { count: plans.length, ...(names.length > 0 ? { names_read: names } : {}), ...(wanted ? { searched: true } : {}) }));
	}
	// Unanswered referrals are the lead's to chase; a partner's list does not count other organisations' ones.
	return plans.map((p) => (p.access === 'lead' ? p : { ...p, stale_referrals: 0, waiting_referrals: 0 }));
}

/**
 * The plan as `actor` may see it: the whole plan for its lead, the partner projection for
 * member staff. Audited as a read; a partner's view that carries the family's contact details is
 * also recorded as a read of those identifiers (which referrals, which fields).
 */
export async function getPlan(actor: Actor, planId: string, settings: PlanSettings): Promise<PlanView> {
	const { plan, full } = await readPlan(actor, planId, settings);
	if (plan.access === 'lead') return { ...full, notes: full.notes.map(publicNote) };
	const view = partnerView(full, await partnerOrganizations(actor, plan.id, full.members));
	const contacts = view.referrals.filter((r) => r.contact);
	if (contacts.length > 0) {
		await audit.record(auditEvent(actor, 'plan.contact_read', plan.id, { referrals: contacts.map((r) => r.id), fields: Object.keys(contacts[0]!.contact!) }));
	}
	if (view.household.notes) await audit.record(auditEvent(actor, 'plan.notes_read', plan.id));
	return view;
}

/** The whole plan, for `getPlan` to project; the read is audited. */
async function readPlan(actor: Actor, planId: string, settings: PlanSettings, need: 'see' | 'lead' = 'see') {
	const plan = await access(actor, planId, need);
	const content = await db.content(plan.id, settings.staleDays);
	await audit.record(auditEvent(actor, 'plan.read', plan.id));
	const identity = plan.identity_ciphertext ? decryptIdentity(plan.identity_ciphertext) : null;
	return { plan, full: leadView(plan, content, identity) };
}

/**
 * Who did what with this plan (reading it is itself recorded): all of it for its lead; for a
 * partner, what its own organisation's staff did (the rest names other organisations' referrals).
 */
export async function planAudit(actor: Actor, planId: string) {
	return (await planAuditPage(actor, planId, { limit: 1000 })).events;
}

/**
 * One page of the plan's trail, newest first (the plan page's "registro"): `before` an event id
 * from the previous page's `older`, which is null on the last page. A busy plan's trail grows by
 * every read, so the page never renders it whole.
 */
export async function planAuditPage(actor: Actor, planId: string, page: { limit: number; before?: number | null }) {
	const plan = await access(actor, planId);
	const organizations = plan.access === 'lead' ? null : await partnerOrganizations(actor, plan.id);
	// One more than the page: whether there is an older page, without counting the whole trail.
	const rows = await db.trail(plan.id, organizations ? [...organizations] : null, { limit: page.limit + 1, before: page.before });
	await audit.record(auditEvent(actor, 'plan.audit_read', plan.id));
	const events = rows.slice(0, page.limit);
	return {
		events: events.map((e) => ({ at: e.at, actor: e.actor_email, actor_name: e.actor_name, action: e.action, detail: e.detail })),
		older: rows.length > page.limit ? events.at(-1)!.id : null
	};
}

/**
 * GDPR access: everything held about the household and its plan, for the family (lead only).
 * The trail says who used the family's data by role and organisation, what and when; it leaves
 * out what is other people's personal data: staff addresses and emails, and refused attempts.
 */
export async function exportHousehold(actor: Actor, planId: string, settings: PlanSettings) {
	const { plan, full } = await readPlan(actor, planId, settings, 'lead');
	const view = familyView(full);
	const trail = await db.familyTrail(plan.id);
	await audit.record(auditEvent(actor, 'plan.exported', plan.id));
	return {
		exported_at: new Date().toISOString(),
		plan: view,
		audit: trail.map((e) => ({
			at: e.at,
			action: e.action,
			// 'lead' (the family's social worker), 'partner' (with its organisations), or 'system' (retention, maintenance).
			role: e.lead ? 'lead' : (e.actor_role ?? 'system'),
			organizations: e.organizations,
			detail: e.detail
		}))
	};
}
