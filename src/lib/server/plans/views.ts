import { contactShared } from '../../domain/referral-rules';
import type * as db from '../db/plans';
import type { Identity } from './crypto';

/* What each person sees of a plan: the lead's whole view, the partner projection, the family's copy. */

export type Referral = db.PlanContent['referrals'][number];
export type Note = Omit<db.PlanContent['notes'][number], 'author_id' | 'author_organizations'>;

/** What a receiving organisation may know of the family to work with it (see referral-rules.ts). */
export type Contact = Pick<Identity, 'name' | 'phone' | 'address'>;

/**
 * A plan as one person may see it. The lead sees everything; a partner sees the projection made
 * by `partnerView`. Fields a partner may not see are absent (`household.name`, `phone`, `address`,
 * `notes`) or empty lists, so pages and the API handle both with one shape.
 */
export interface PlanView {
	id: string;
	code: string;
	status: db.PlanStatus;
	outcome: string | null;
	version: number;
	access: db.Access;
	/** `name`: the display name (else the email), what pages show; `email`: how to reach the lead. */
	lead: { id: string; email: string; name: string };
	/** What the lead shares with partners: the family's profile (strengths, needs, goals), the notes. */
	sharing: { profile: boolean; notes: boolean };
	household: { code: string; erased: boolean; neighbourhood: string | null; name?: string | null; phone?: string; address?: string; notes?: string };
	created_at: Date;
	updated_at: Date;
	strengths: db.PlanContent['strengths'];
	needs: db.PlanContent['needs'];
	goals: db.PlanContent['goals'];
	actions: db.PlanContent['actions'];
	meetings: db.PlanContent['meetings'];
	notes: Note[];
	members: db.PlanContent['members'];
	consent: db.PlanContent['consent'];
	overrides: db.PlanContent['overrides'];
	/** `contact`: only in a partner's view, on its own referrals while it works with the family. */
	referrals: (Referral & { contact?: Contact })[];
}

/** The whole plan with what is needed to project it (each note's author organisations). */
export type FullView = Omit<PlanView, 'notes'> & { notes: db.PlanContent['notes'] };

/** The whole plan, household identity included: the lead's view, and the input of `partnerView`. */
export function leadView(plan: db.PlanRow & { access: db.Access }, content: db.PlanContent, identity: Identity | null): FullView {
	return {
		id: plan.id,
		code: plan.code,
		status: plan.status,
		outcome: plan.outcome,
		version: plan.version,
		access: plan.access,
		lead: { id: plan.lead_user_id, email: plan.lead_email, name: plan.lead_name },
		sharing: { profile: plan.share_profile, notes: plan.share_notes },
		household: { code: plan.code, erased: plan.erased, neighbourhood: plan.neighbourhood, ...(identity ?? { name: null }) },
		created_at: plan.created_at,
		updated_at: plan.updated_at,
		...content
	};
}

/**
 * The one definition of what staff of a partner organisation (editor or viewer alike) see of a
 * plan, given the organisations through which they take part (`organizations`: theirs that are
 * members covered by consent or override):
 * - the household's code and rione; its notes only when the lead shares notes;
 * - the family's strengths, needs and goals when the lead shares the profile (the default);
 * - the actions assigned to their organisation;
 * - their organisation's referrals only, and on those that are accepted or in progress the
 *   family's contact details (name, phone, address), which they need to meet the family;
 * - meetings and the plan's notes when the lead shares notes, else only notes their
 *   organisation's staff wrote;
 * - their own membership; never the consent's other organisations nor the overrides' reasons.
 * The lead's email stays: it is whom partners contact about the plan.
 */
export function partnerView(full: FullView, organizations: ReadonlySet<string>): PlanView {
	const identity = full.household;
	const contact = (): Contact | undefined => {
		if (identity.erased || !identity.name) return undefined;
		const shown: Contact = { name: identity.name };
		if (identity.phone) shown.phone = identity.phone;
		if (identity.address) shown.address = identity.address;
		return shown;
	};
	const profile = full.sharing.profile;
	const notes = full.sharing.notes;
	return {
		id: full.id,
		code: full.code,
		status: full.status,
		outcome: notes ? full.outcome : null,
		version: full.version,
		access: 'member',
		lead: full.lead,
		sharing: full.sharing,
		household: {
			code: identity.code,
			erased: identity.erased,
			neighbourhood: identity.neighbourhood,
			...(notes && identity.notes ? { notes: identity.notes } : {})
		},
		created_at: full.created_at,
		updated_at: full.updated_at,
		strengths: profile ? full.strengths : [],
		needs: profile ? full.needs : [],
		goals: profile ? full.goals : [],
		actions: full.actions.filter((a) => a.organization_id !== null && organizations.has(a.organization_id)),
		meetings: notes ? full.meetings : [],
		notes: full.notes.filter((n) => notes || n.author_organizations.some((o) => organizations.has(o))).map(publicNote),
		members: full.members.filter((m) => organizations.has(m.organization_id)),
		consent: null,
		overrides: [],
		referrals: full.referrals
			.filter((r) => organizations.has(r.organization_id))
			.map((r) => {
				const shown = contactShared(r.status) ? contact() : undefined;
				return shown ? { ...r, contact: shown } : r;
			})
	};
}

type Step = PlanView['referrals'][number]['history'][number];

/**
 * A plan as its pages get it: staff named by their display name only. Of the emails only the
 * lead's stays (the members list links to it, the way to reach the lead); the others are left out
 * of the page's data, not only of what it shows. The JSON API keeps them (staff tools).
 */
export type PlanPageView = Omit<PlanView, 'notes' | 'consent' | 'overrides' | 'referrals'> & {
	notes: Omit<Note, 'author_email'>[];
	consent: Omit<NonNullable<PlanView['consent']>, 'collected_by'> | null;
	overrides: Omit<PlanView['overrides'][number], 'by_email'>[];
	referrals: (Omit<PlanView['referrals'][number], 'history'> & { history: Omit<Step, 'actor_email'>[] })[];
};

export function pageView(plan: PlanView): PlanPageView {
	const withoutCollector = ({ collected_by: _email, ...consent }: NonNullable<PlanView['consent']>) => consent;
	return {
		...plan,
		notes: plan.notes.map(({ author_email: _email, ...note }) => note),
		consent: plan.consent && withoutCollector(plan.consent),
		overrides: plan.overrides.map(({ by_email: _email, ...override }) => override),
		referrals: plan.referrals.map((r) => ({ ...r, history: r.history.map(({ actor_email: _email, ...step }) => step) }))
	};
}

export function publicNote(note: db.PlanContent['notes'][number]): Note {
	const { author_id: _id, author_organizations: _organizations, ...shown } = note;
	return shown;
}

const withoutCollectorName = ({ collected_by_name: _name, ...consent }: NonNullable<FullView['consent']>) => consent;

/**
 * The plan as given to the family (GDPR access): everything about them, but the staff who worked
 * on it named by role and organisation, not by their email (staff's own personal data). The lead's
 * email stays: it is the family's contact for the plan.
 */
export function familyView(full: FullView) {
	const organizationNames = new Map(full.members.map((m) => [m.organization_id, m.name]));
	const lead = full.lead.email;
	const byOrganizations = (ids: string[]) => ids.map((id) => organizationNames.get(id)).filter((name): name is string => Boolean(name));
	return {
		...full,
		notes: full.notes.map(({ author_id, author_organizations, author_email: _email, author_name: _name, ...note }) => ({
			...note,
			by: author_id === full.lead.id ? 'lead' : byOrganizations(author_organizations).join(', ') || 'partner'
		})),
		consent: full.consent && { ...withoutCollectorName(full.consent), collected_by: full.consent.collected_by === lead ? 'lead' : 'social worker' },
		overrides: full.overrides.map(({ by_email, by_name: _name, ...override }) => ({ ...override, by: by_email === lead ? 'lead' : 'social worker' })),
		referrals: full.referrals.map((r) => ({
			...r,
			history: r.history.map(({ actor_email, actor_name: _name, ...step }) => ({ ...step, by: actor_email === lead ? 'lead' : r.organization_name })),
			// Staff are named by their side, not by name or email (their own personal data).
			messages: r.messages.map(({ author: _author, ...message }) => message)
		}))
	};
}
