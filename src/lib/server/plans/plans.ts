import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { INT32_MAX, isPlausibleDate, todayInRome } from '../../domain/dates';
import { UUID } from '../../domain/ids';
import { PLAN_STATUSES, REFERRAL_STATUSES, STRENGTH_KINDS, type PlanProblem } from '../../domain/plan-forms';
import { textProblem, textProblemMessage } from '../../domain/text';
import { NEED_CODES } from '../../domain/taxonomy';
import { walkMinutes } from '../../domain/walking';
import { nextOpening, type NextOpening } from '../../domain/week-table';
import { contactShared, DECLINE_CODES, declineProblem } from '../../domain/referral-rules';
import { ApiError } from '../api/http';
import { REFERRAL_NOT_FOUND, requirePlan, requireReferral, type Actor } from '../auth/access';
import * as accounts from '../db/accounts';
import * as audit from '../db/audit';
import { sql } from '../db/client';
import * as match from '../db/match';
import * as db from '../db/plans';
import * as resources from '../db/resources';
import { currentKeyId, decryptIdentity, encryptIdentity, type Identity } from './crypto';
import * as notices from '../mail/notices';
import * as outbox from '../mail/outbox';

/**
 * The shared support plan. Every function here takes the acting user and asks auth/access.ts,
 * before anything else, whether that user may do it: the plan's lead worker, or staff of a member
 * organisation covered by the consent in force (or by an override recorded with its reason).
 * Anyone else gets 404, exactly as for a plan that does not exist, and the refusal is audited. Every read and write
 * is recorded in the audit trail; every write that spans rows runs in one transaction.
 */
export class PlanError extends ApiError {
	/**
	 * @param code names the refusal (e.g. 400 `outcome`, 409 `referralOpen`), so a page can say it
	 * in the person's language without checking again; the message is for API callers.
	 */
	constructor(
		readonly status: 400 | 403 | 404 | 409 | 503,
		message: string,
		readonly code?: PlanProblem
	) {
		super(status, message);
		this.name = 'PlanError';
	}
}

export type { Actor };

export interface PlanSettings {
	staleDays: number;
}

export { PLAN_NOT_FOUND as NOT_FOUND } from '../auth/access';
export { REFERRAL_NOT_FOUND };
export { PLAN_STATUSES, REFERRAL_STATUSES };

/** Who may move a referral from one status to the next: the receiving organisation, or the lead. */
const REFERRAL_STEPS: Record<db.ReferralStatus, { to: db.ReferralStatus; by: 'partner' | 'lead' }[]> = {
	sent: [
		{ to: 'accepted', by: 'partner' },
		{ to: 'declined', by: 'partner' },
		{ to: 'closed_no_outcome', by: 'lead' }
	],
	accepted: [
		{ to: 'in_progress', by: 'partner' },
		{ to: 'completed', by: 'partner' },
		{ to: 'closed_no_outcome', by: 'partner' },
		{ to: 'closed_no_outcome', by: 'lead' }
	],
	in_progress: [
		{ to: 'completed', by: 'partner' },
		{ to: 'closed_no_outcome', by: 'partner' },
		{ to: 'closed_no_outcome', by: 'lead' }
	],
	declined: [],
	completed: [],
	closed_no_outcome: []
};

/** An audit event about one plan, or (planId null) about the actor's plans in general. */
function auditEvent(actor: Actor, action: string, planId: string | null, detail: Record<string, unknown> = {}) {
	return { actorId: actor.user.id, actorEmail: actor.user.email, action, subjectType: 'plan', subjectId: planId, address: actor.address, detail };
}

/** The plan, if `actor` may see it (or, `lead`, lead it); otherwise refused by auth/access.ts. */
const access = (actor: Actor, planId: string, need: 'see' | 'lead' = 'see') => requirePlan(actor, planId, need);

/**
 * Parses a request's input. Refused with 400: the message (for API callers) names every problem;
 * `codes` names, by top-level field, the problem a page says in the person's language
 * (`plans.problem.<code>`), so pages do not repeat these checks to pick their words.
 */
function parse<T>(schema: z.ZodType<T>, input: unknown, codes: Partial<Record<string, PlanProblem>> = {}): T {
	const parsed = schema.safeParse(input);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
		// The field's own problem (not one inside a row of it, which the field's words would not fit).
		const code = parsed.error.issues.map((issue) => (issue.path.length === 1 ? codes[String(issue.path[0])] : undefined)).find(Boolean);
		throw new PlanError(400, problems.join('; '), code);
	}
	return parsed.data;
}

// Every text field: the one text rule (domain/text.ts), then trimmed and bounded.
const plain = () =>
	z.string().superRefine((value, context) => {
		const problem = textProblem(value);
		if (problem) context.addIssue({ code: 'custom', message: textProblemMessage(problem) });
	});
const text = (max: number) => plain().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const optionalText = (max: number) => plain().trim().max(max, `at most ${max} characters`);
const isoDate = z.string().refine(isPlausibleDate, 'must be a real day like 2026-11-24, from 2000 to 2099');
const uuid = z.string().regex(UUID, 'must be an id');
const needCode = z.enum(NEED_CODES, { error: `must be one of ${NEED_CODES.join(', ')}` });

// A plain string is shorthand: "text" for { kind: 'other', text }, "code" for { need: code }.
const strengthInput = z.preprocess(
	(s) => (typeof s === 'string' ? { kind: 'other', text: s } : s),
	z.object({ kind: z.enum(STRENGTH_KINDS, { error: `must be one of ${STRENGTH_KINDS.join(', ')}` }).default('other'), text: text(500) })
);
const needInput = z.preprocess(
	(n) => (typeof n === 'string' ? { need: n } : n),
	z.object({ need: needCode, words: optionalText(500).default('') })
);
const uniqueNeeds = z.array(needInput).max(16).refine((needs) => new Set(needs.map((n) => n.need)).size === needs.length, 'each need only once');

const newPlanSchema = z.object({
	household: z.object({
		name: text(200),
		neighbourhood: optionalText(100).optional(),
		phone: optionalText(50).optional(),
		address: optionalText(300).optional(),
		notes: optionalText(2000).optional(),
		point: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).optional()
	}),
	strengths: z.array(strengthInput).min(1, 'name at least one of the family’s strengths: they are the centre of the plan').max(30),
	needs: uniqueNeeds.default([])
});

export type NewPlanInput = z.input<typeof newPlanSchema>;

async function newCode(): Promise<string> {
	const alphabet = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
	for (;;) {
		const code = `F-${Array.from({ length: 6 }, () => alphabet[randomInt(alphabet.length)]).join('').padEnd(6, 'X')}`;
		if (!(await db.codeExists(code))) return code;
	}
}

/** A social worker opens a household and its plan, and leads it. */
export async function createPlan(actor: Actor, input: unknown): Promise<{ id: string; code: string }> {
	if (actor.user.role !== 'worker') throw new PlanError(403, 'Only social workers open plans.');
	const plan = parse(newPlanSchema, input);
	let neighbourhoodId: number | null = null;
	if (plan.household.neighbourhood) {
		neighbourhoodId = await db.neighbourhoodId(plan.household.neighbourhood);
		if (neighbourhoodId === null) {
			throw new PlanError(400, `household.neighbourhood: unknown rione "${plan.household.neighbourhood}"; known: ${(await db.neighbourhoodNames()).join(', ')}`);
		}
	}
	// Never more precise than ~100 m.
	const point = plan.household.point ? { lon: Math.round(plan.household.point[0] * 1000) / 1000, lat: Math.round(plan.household.point[1] * 1000) / 1000 } : null;
	const identity: Identity = { name: plan.household.name };
	for (const key of ['phone', 'address', 'notes'] as const) if (plan.household[key]) identity[key] = plan.household[key];
	let sealed;
	try {
		sealed = encryptIdentity(identity);
	} catch (error) {
		throw new PlanError(503, error instanceof Error ? error.message : String(error));
	}
	const code = await newCode();
	const created = await sql.begin(async (tx) => {
		const row = await db.create(tx, {
			code,
			identityCiphertext: sealed.ciphertext,
			keyId: sealed.keyId,
			neighbourhoodId,
			point,
			leadUserId: actor.user.id,
			strengths: plan.strengths,
			needs: plan.needs
		});
		await audit.record(auditEvent(actor, 'plan.created', row.id, { household: code }), tx);
		return row;
	});
	return { id: created.id, code };
}

/** The rioni a household may be placed in, by name. */
export function neighbourhoods(): Promise<string[]> {
	return db.neighbourhoodNames();
}

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

type Referral = db.PlanContent['referrals'][number];
type Note = Omit<db.PlanContent['notes'][number], 'author_id' | 'author_organizations'>;

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
type FullView = Omit<PlanView, 'notes'> & { notes: db.PlanContent['notes'] };

/** The whole plan, household identity included: the lead's view, and the input of `partnerView`. */
function leadView(plan: db.PlanRow & { access: db.Access }, content: db.PlanContent, identity: Identity | null): FullView {
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

function publicNote(note: db.PlanContent['notes'][number]): Note {
	const { author_id: _id, author_organizations: _organizations, ...shown } = note;
	return shown;
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

/** The next opening, after a temporary closure under way (none while closed until further notice). */
function cardOpening(resource: resources.CardResource, now: Date): NextOpening | null {
	if (!resource.opening_hours) return null;
	const closure = resource.closure?.active ? resource.closure : null;
	if (closure && !closure.until) return null;
	let notBefore: string | null = null;
	if (closure?.until) {
		const [year, month, day] = closure.until.split('-').map(Number) as [number, number, number];
		notBefore = new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
	}
	return nextOpening(resource.opening_hours, now, { notBefore });
}

const withoutCollectorName = ({ collected_by_name: _name, ...consent }: NonNullable<FullView['consent']>) => consent;

/**
 * The plan as given to the family (GDPR access): everything about them, but the staff who worked
 * on it named by role and organisation, not by their email (staff's own personal data). The lead's
 * email stays: it is the family's contact for the plan.
 */
function familyView(full: FullView) {
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

/** The organisations through which `actor` takes part in a plan: theirs that are members covered by consent or override. */
async function partnerOrganizations(actor: Actor, planId: string, members?: db.PlanContent['members']): Promise<Set<string>> {
	const mine = new Set((await accounts.memberships(actor.user.id)).map((m) => m.id));
	const covered = members ? members.filter((m) => m.covered).map((m) => m.organization_id) : [...(await db.coveredOrganizations(sql, planId))];
	return new Set(covered.filter((id) => mine.has(id)));
}

const sharingSchema = z.object({ profile: z.boolean(), notes: z.boolean() });

/** What the lead shares with partner organisations (see `partnerView`); lead only. */
export async function setSharing(actor: Actor, planId: string, input: unknown): Promise<void> {
	const sharing = parse(sharingSchema, input);
	const plan = await access(actor, planId, 'lead');
	await sql.begin(async (tx) => {
		await db.setSharing(tx, plan.id, sharing);
		await db.touch(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.sharing_changed', plan.id, sharing), tx);
	});
}

const updateSchema = z.object({
	version: z.number().int().min(1).max(INT32_MAX, 'must be the version the plan was opened at'),
	status: z.enum(PLAN_STATUSES).optional(),
	outcome: optionalText(2000).optional(),
	strengths: z.array(strengthInput).min(1, 'keep at least one strength').max(30).optional(),
	needs: uniqueNeeds.optional(),
	goals: z.array(z.object({ text: text(500), due_on: isoDate.nullable().default(null), done: z.boolean().default(false) })).max(30).optional(),
	actions: z
		.array(
			z.object({
				text: text(500),
				organization_id: uuid.nullable().default(null),
				by_family: z.boolean().default(false),
				due_on: isoDate.nullable().default(null),
				done: z.boolean().default(false)
			})
		)
		.max(50)
		.optional()
});

/**
 * Changes the plan's content (lead only), from the version the editor started from: when someone
 * else saved in between, nothing is written and PlanError 409 says so.
 */
export async function updatePlan(actor: Actor, planId: string, input: unknown): Promise<{ version: number }> {
	const change = parse(updateSchema, input, { strengths: 'strengths', outcome: 'outcome' });
	if (change.status === 'closed' && !change.outcome) throw new PlanError(400, 'outcome: say how the plan ended when closing it', 'outcome');
	if (change.actions?.some((a) => a.by_family && a.organization_id)) throw new PlanError(400, 'actions: an action is for the family or for an organisation, not both');
	const organizationIds = [...new Set((change.actions ?? []).flatMap((a) => (a.organization_id ? [a.organization_id.toLowerCase()] : [])))];
	if (organizationIds.length > 0) {
		const known = await db.organizationsExist(organizationIds);
		const unknown = organizationIds.filter((id) => !known.includes(id));
		if (unknown.length > 0) throw new PlanError(400, `actions: no organisation has the id ${unknown.join(', ')}`);
	}
	const plan = await access(actor, planId, 'lead');
	return sql.begin(async (tx) => {
		const claimed = await db.bumpVersion(tx, plan.id, change.version, { status: change.status, outcome: change.outcome });
		if (!claimed) {
			throw new PlanError(409, `Someone else changed this plan since you opened it (you had version ${change.version}). Reload it, then make your change again.`);
		}
		if (change.strengths) await db.replaceStrengths(tx, plan.id, change.strengths);
		if (change.needs) await db.replaceNeeds(tx, plan.id, change.needs);
		if (change.goals) await db.replaceGoals(tx, plan.id, change.goals);
		if (change.actions) await db.replaceActions(tx, plan.id, change.actions);
		const fields = Object.keys(change).filter((k) => k !== 'version');
		await audit.record(auditEvent(actor, 'plan.updated', plan.id, { fields, version: change.version + 1 }), tx);
		return { version: change.version + 1 };
	});
}

const consentSchema = z.object({
	given_on: isoDate,
	document_ref: text(200),
	scope: z.array(uuid).max(50).default([])
});

/**
 * Records the family's consent (lead only): from then on the organisations in scope may take part.
 * `now` is the clock (tests pass their own): the consent may be dated up to today in Lecco.
 */
export async function recordConsent(actor: Actor, planId: string, input: unknown, now: Date = new Date()): Promise<void> {
	const consent = parse(consentSchema, input, { given_on: 'consentDate', document_ref: 'documentRef' });
	// Lecco's calendar day, not UTC's: between midnight and 01:00 (02:00 in summer) they differ.
	if (consent.given_on > todayInRome(now)) throw new PlanError(400, 'given_on: consent cannot be given in the future', 'consentDate');
	const scope = [...new Set(consent.scope.map((id) => id.toLowerCase()))];
	const known = await db.organizationsExist(scope);
	const unknown = scope.filter((id) => !known.includes(id));
	if (unknown.length > 0) throw new PlanError(400, `scope: no organisation has the id ${unknown.join(', ')}`);
	const plan = await access(actor, planId, 'lead');
	await sql.begin(async (tx) => {
		await db.recordConsent(tx, plan.id, { givenOn: consent.given_on, documentRef: consent.document_ref, collectedBy: actor.user.id, scope });
		await db.touch(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.consent_recorded', plan.id, { scope, given_on: consent.given_on }), tx);
	});
}

/** Withdraws consent: every partner's access ends at once (overrides stay, each with its reason). */
export async function withdrawConsent(actor: Actor, planId: string): Promise<void> {
	const plan = await access(actor, planId, 'lead');
	await sql.begin(async (tx) => {
		const count = await db.withdrawConsent(tx, plan.id, actor.user.id);
		if (count === 0) throw new PlanError(409, 'There is no consent in force to withdraw.');
		await db.touch(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.consent_withdrawn', plan.id), tx);
	});
}

const memberSchema = z.object({ organization_id: uuid, override_reason: optionalText(1000).optional() });

/**
 * Adds a partner organisation (lead only). Without a consent that covers it, refused, unless an
 * override reason of at least 10 characters is given: the override is then kept with its reason.
 */
export async function addMember(actor: Actor, planId: string, input: unknown): Promise<void> {
	const member = parse(memberSchema, input, { organization_id: 'organization' });
	const plan = await access(actor, planId, 'lead');
	if ((await db.organizationsExist([member.organization_id])).length === 0) throw new PlanError(400, `organization_id: no organisation has the id ${member.organization_id}`);
	await sql.begin(async (tx) => {
		const covered = await db.coveredOrganizations(tx, plan.id);
		if (!covered.has(member.organization_id.toLowerCase())) {
			if (!member.override_reason || member.override_reason.length < 10) {
				throw new PlanError(409, 'The family’s consent does not cover this organisation: record a consent that names it, or give an override reason (at least 10 characters), which is kept.');
			}
			await db.addOverride(tx, plan.id, member.organization_id, member.override_reason, actor.user.id);
			await audit.record(auditEvent(actor, 'plan.override', plan.id, { organization_id: member.organization_id }), tx);
		}
		await db.addMember(tx, plan.id, member.organization_id, actor.user.id);
		await db.touch(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.member_added', plan.id, { organization_id: member.organization_id }), tx);
	});
}

const referralSchema = z.object({ need: needCode, resource_id: uuid });

/** Refers a plan need to a public resource (lead only); its organisation joins the plan. */
export async function addReferral(actor: Actor, planId: string, input: unknown): Promise<{ id: string }> {
	const referral = parse(referralSchema, input);
	const plan = await access(actor, planId, 'lead');
	const resource = await resources.resourceOrganization(referral.resource_id);
	if (!resource) throw new PlanError(400, `resource_id: no public resource has the id ${referral.resource_id}`);
	if (!resource.needs.includes(referral.need)) throw new PlanError(400, `need: ${resource.name} does not offer "${referral.need}"`);
	if (!(await db.needCodes(plan.id)).includes(referral.need)) throw new PlanError(400, `need: "${referral.need}" is not one of this plan’s needs`);
	const duplicate = (status: string) =>
		new PlanError(
			409,
			`A referral for "${referral.need}" to ${resource.name} is already open (${status}). Wait for the organisation's answer, or close that referral before sending a new one.`,
			'referralOpen'
		);
	try {
		const sent = await sql.begin(async (tx) => {
			const covered = await db.coveredOrganizations(tx, plan.id);
			if (!covered.has(resource.organization_id)) {
				throw new PlanError(409, 'The family’s consent does not cover the organisation of this resource: record a consent that names it first.', 'referralNotCovered');
			}
			const open = await db.openReferral(tx, plan.id, referral.need, referral.resource_id);
			if (open) throw duplicate(open.status);
			await db.addMember(tx, plan.id, resource.organization_id, actor.user.id);
			const id = await db.createReferral(tx, { planId: plan.id, need: referral.need, resourceId: referral.resource_id, organizationId: resource.organization_id, by: actor.user.id });
			await db.touch(tx, plan.id);
			await audit.record(auditEvent(actor, 'plan.referral_sent', plan.id, { referral: id, organization_id: resource.organization_id, need: referral.need }), tx);
			await notices.referralSent(tx, { organizationId: resource.organization_id, planCode: plan.code });
			return { id };
		});
		outbox.wake();
		return sent;
	} catch (error) {
		// Two requests raced past the check: the partial unique index refused the second one.
		if (isUniqueViolation(error, db.OPEN_REFERRAL_INDEX)) throw duplicate('sent');
		throw error;
	}
}

function isUniqueViolation(error: unknown, index: string): boolean {
	const e = error as { code?: string; constraint_name?: string } | null;
	return e?.code === '23505' && e.constraint_name === index;
}

const referralStatusSchema = z.object({
	status: z.enum(REFERRAL_STATUSES),
	note: optionalText(1000).optional(),
	decline_code: z.enum(DECLINE_CODES, { error: `must be one of ${DECLINE_CODES.join(', ')}` }).optional()
});

/**
 * Moves a referral on: the receiving organisation's staff answer it; the lead may close it. A
 * decline names its code (`decline_code`, see referral-rules.ts) and its reason in words (`note`).
 */
export async function setReferralStatus(actor: Actor, referralId: string, input: unknown): Promise<void> {
	const change = parse(referralStatusSchema, input);
	const problem = declineProblem(change);
	if (problem === 'note') throw new PlanError(400, 'note: say why the referral is declined (for example: no places now)', 'reason');
	if (problem === 'decline_code') {
		throw new PlanError(
			400,
			change.status === 'declined'
				? `decline_code: say why the referral is declined, one of ${DECLINE_CODES.join(', ')}`
				: 'decline_code: only a decline has a decline code',
			'declineCode'
		);
	}
	// Checked (and a refusal audited) before the transaction, whose rollback would undo the audit row.
	const { isLead, isReceiver } = await requireReferral(actor, referralId);
	await sql.begin(async (tx) => {
		// Read again, locked, for the status it has now.
		const referral = await db.findReferral(tx, referralId);
		if (!referral) throw new PlanError(404, REFERRAL_NOT_FOUND);
		const allowed = REFERRAL_STEPS[referral.status].some((step) => step.to === change.status && ((step.by === 'partner' && isReceiver) || (step.by === 'lead' && isLead)));
		if (!allowed) throw new PlanError(409, `A referral that is "${referral.status}" cannot become "${change.status}" by you.`);
		await db.setReferralStatus(tx, referral, change.status, actor.user.id, change.note ?? null, change.decline_code ?? null);
		await db.touch(tx, referral.plan_id);
		await audit.record(
			auditEvent(actor, 'referral.status_changed', referral.plan_id, {
				referral: referral.id,
				from: referral.status,
				to: change.status,
				...(change.decline_code ? { decline_code: change.decline_code } : {})
			}),
			tx
		);
		// The organisation answered: the lead is told (not when the lead moves their own referral on).
		if (!isLead) await notices.referralAnswered(tx, { id: referral.id, status: change.status, declineCode: change.decline_code ?? null });
	});
	outbox.wake();
}

const messageSchema = z.object({ text: text(1000) });

/**
 * A message on a referral's thread, from the plan's lead or the receiving organisation's staff
 * (the same people who may move the referral on); the other side is told by email. Audited
 * without its words.
 */
export async function sendReferralMessage(actor: Actor, referralId: string, input: unknown): Promise<void> {
	const message = parse(messageSchema, input, { text: 'messageEmpty' });
	// Checked (and a refusal audited) before the transaction, whose rollback would undo the audit row.
	const { referral, isLead } = await requireReferral(actor, referralId);
	const side = isLead ? 'lead' : 'organization';
	await sql.begin(async (tx) => {
		await db.addReferralMessage(tx, { referralId: referral.id, authorId: actor.user.id, side, text: message.text });
		await db.touch(tx, referral.plan_id);
		await audit.record(auditEvent(actor, 'referral.message_sent', referral.plan_id, { referral: referral.id, side }), tx);
		await notices.referralMessage(tx, { id: referral.id, organizationId: referral.organization_id, from: side });
	});
	outbox.wake();
}

/** A note visible to every member (lead or member). */
export async function addNote(actor: Actor, planId: string, input: unknown): Promise<void> {
	const note = parse(z.object({ text: text(4000) }), input, { text: 'noteEmpty' });
	const plan = await access(actor, planId);
	await sql.begin(async (tx) => {
		await db.addNote(tx, plan.id, actor.user.id, note.text);
		await db.touch(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.note_added', plan.id), tx);
	});
}

export async function addMeeting(actor: Actor, planId: string, input: unknown): Promise<void> {
	const meeting = parse(z.object({ held_on: isoDate, summary: optionalText(4000).default('') }), input, { held_on: 'meetingDate' });
	const plan = await access(actor, planId, 'lead');
	await sql.begin(async (tx) => {
		await db.addMeeting(tx, plan.id, meeting.held_on, meeting.summary);
		await db.touch(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.meeting_added', plan.id), tx);
	});
}

/**
 * Who did what with this plan (reading it is itself recorded): all of it for its lead; for a
 * partner, what its own organisation's staff did (the rest names other organisations' referrals).
 */
export async function planAudit(actor: Actor, planId: string) {
	const plan = await access(actor, planId);
	const organizations = plan.access === 'lead' ? null : await partnerOrganizations(actor, plan.id);
	const events = await db.trail(plan.id, organizations ? [...organizations] : null);
	await audit.record(auditEvent(actor, 'plan.audit_read', plan.id));
	return events.map((e) => ({ at: e.at, actor: e.actor_email, actor_name: e.actor_name, action: e.action, detail: e.detail }));
}

export interface Suggestion {
	id: string;
	name: string;
	organization_id: string;
	organization: string;
	walk_min: number;
	open_now: boolean | null;
	accepting: boolean | null;
	/** Among the nearest the match engine proposes (false: added because its organisation is covered). */
	nearest: boolean;
	/** Its organisation is covered by the consent in force or an override: a referral may be sent. */
	covered: boolean;
}

const SUGGESTION_REACH_M = 10_000;

/**
 * For each plan need, nearby resources from the household's rounded place (or its rione): the
 * match engine's nearest, then any other resource of an organisation the consent already covers
 * that offers the need (so a partner the family agreed to is always on offer).
 */
export async function suggestions(actor: Actor, planId: string): Promise<{ need: string; resources: Suggestion[] }[]> {
	const plan = await access(actor, planId);
	const needs = await db.needCodes(plan.id);
	if (plan.lon === null || plan.lat === null || needs.length === 0) return [];
	const at = { lon: plan.lon, lat: plan.lat };
	const rows = await match.matchResources({ at, needs, maxDistanceM: SUGGESTION_REACH_M, limit: 5 });
	const covered = await db.coveredOrganizations(sql, plan.id);
	const [organizationOf, ofCovered] = await Promise.all([
		resources.resourceOrganizations([...new Set(rows.map((r) => r.id))]),
		resources.resourcesOfOrganizations({ at, needs, organizationIds: [...covered], maxDistanceM: SUGGESTION_REACH_M })
	]);
	return needs.map((need) => {
		const nearest: Suggestion[] = rows
			.filter((r) => r.need === need)
			.map((r) => {
				const organizationId = organizationOf.get(r.id) ?? '';
				return { id: r.id, name: r.name, organization_id: organizationId, organization: r.organization, walk_min: walkMinutes(r.distance_m), open_now: r.open_now, accepting: r.accepting_new, nearest: true, covered: covered.has(organizationId) };
			});
		const shown = new Set(nearest.map((r) => r.id));
		const partners: Suggestion[] = ofCovered
			.filter((r) => r.need === need && !shown.has(r.id))
			.map((r) => ({ id: r.id, name: r.name, organization_id: r.organization_id, organization: r.organization, walk_min: walkMinutes(r.distance_m), open_now: null, accepting: r.accepting_new, nearest: false, covered: true }));
		return { need, resources: [...nearest, ...partners] };
	});
}

/**
 * Organisations that could take part in the plan (lead only): those with a public resource for
 * one of the plan's needs near the household, nearest first. The lead chooses among them when
 * recording the family's consent or adding a member.
 */
export async function organizationsNearby(actor: Actor, planId: string): Promise<{ id: string; name: string; walk_min: number }[]> {
	const plan = await access(actor, planId, 'lead');
	if (plan.lon === null || plan.lat === null) return [];
	const rows = await resources.organizationsNear({ at: { lon: plan.lon, lat: plan.lat }, needs: await db.needCodes(plan.id), maxDistanceM: SUGGESTION_REACH_M, limit: 50 });
	return rows.map((r) => ({ id: r.id, name: r.name, walk_min: walkMinutes(r.distance_m) }));
}

/** What a referral may become next, and by whom: the receiving organisation ('partner') or the lead. */
export function nextReferralStatuses(status: db.ReferralStatus, by: 'partner' | 'lead'): db.ReferralStatus[] {
	return REFERRAL_STEPS[status].filter((step) => step.by === by).map((step) => step.to);
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

/**
 * Erasure where the law allows (lead only): the household's identifiers and place are destroyed,
 * the plan soft-deleted; the pseudonymous code and the audit trail remain.
 */
export async function erase(actor: Actor, planId: string): Promise<void> {
	const plan = await access(actor, planId, 'lead');
	await sql.begin(async (tx) => {
		await db.eraseIdentity(tx, plan.household_id);
		await db.softDelete(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.erased', plan.id, { household: plan.code }), tx);
	});
}

export async function inbox(actor: Actor) {
	const rows = await db.inbox(actor.user.id);
	if (rows.length > 0) await audit.record(auditEvent(actor, 'referral.inbox_read', null, { count: rows.length }));
	return rows;
}

/* Maintenance, run by `npm run admin`. */

/** Erases the identity of households whose plans all closed more than `months` ago. */
export async function applyRetention(months: number): Promise<number> {
	const due = await db.dueForErasure(months);
	for (const household of due) {
		await sql.begin(async (tx) => {
			await db.eraseIdentity(tx, household.household_id);
			for (const planId of household.plan_ids) {
				await audit.record({ actorEmail: 'retention', action: 'plan.erased', subjectType: 'plan', subjectId: planId, detail: { retention_months: months } }, tx);
			}
		});
	}
	return due.length;
}

/** Re-encrypts every household identity with the current key (after a key change). */
export async function rotateHouseholdKey(): Promise<number> {
	let count = 0;
	for (const household of await db.encryptedIdentities()) {
		if (household.key_id === currentKeyId()) continue;
		const sealed = encryptIdentity(decryptIdentity(household.identity_ciphertext));
		await sql.begin((tx) => db.setIdentity(tx, household.id, sealed.ciphertext, sealed.keyId));
		count += 1;
	}
	await audit.record({ actorEmail: 'npm run admin', action: 'household.key_rotated', detail: { count } });
	return count;
}
