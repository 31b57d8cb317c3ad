import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { isUuid } from '../../domain/ids';
import type { Role, User } from '../db/accounts';
import * as accounts from '../db/accounts';
import * as audit from '../db/audit';

/**
 * Who may use which route: one table, checked by hooks.server.ts on every request (pages, their
 * data requests, form actions and endpoints alike) before any load, action or handler runs.
 * Deny by default: a route missing from the table is refused (and a test fails). Record-level
 * checks (which organisation, which plan) come on top, in the server modules, through
 * `requireOrganization` and friends, answering 404 whether the record is missing or forbidden.
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

const PUBLIC = 'public';
const SIGNED_IN = 'signed-in';
const ADMIN: readonly Role[] = ['admin'];
// Plans: social workers lead them, partners' staff take part; the plan module checks which plans.
const PLAN_STAFF: readonly Role[] = ['worker', 'partner'];
const PARTNER: readonly Role[] = ['partner', 'admin'];
// Planning: aggregates for the Ufficio di Piano and the assessorato, never a household. Exported:
// the scenario service checks the same list.
export const PLANNING: readonly Role[] = ['planner', 'admin'];

/** Route id (as SvelteKit names it) → who may use it. */
export const ROUTE_ACCESS = {
	'/': PUBLIC,
	'/risorse/[id=uuid]': PUBLIC,
	'/trova-aiuto': PUBLIC,
	'/api/[...rest]': PUBLIC,
	'/api/audiences': PUBLIC,
	'/api/categories': PUBLIC,
	'/api/match': PUBLIC,
	'/api/needs': PUBLIC,
	'/api/neighbourhoods': PUBLIC,
	'/api/places': PUBLIC,
	'/api/resources': PUBLIC,
	'/api/resources/[id=uuid]': PUBLIC,
	'/basemap/areas.geojson': PUBLIC,
	'/basemap/lake.geojson': PUBLIC,
	'/basemap/transit.geojson': PUBLIC,
	'/patto': PUBLIC,
	// Public: a new applicant opens their account with the application. The form's actions then
	// decide by who is signed in (server/pact/submit.ts).
	'/aderisci': PUBLIC,
	'/login': PUBLIC,
	'/logout': SIGNED_IN,
	'/api/me': SIGNED_IN,
	'/account': SIGNED_IN,
	// The applicant's own application only (the page reads by the signed-in user, never by id).
	'/aderisci/domanda': SIGNED_IN,
	'/admin': ADMIN,
	'/admin/users': ADMIN,
	'/admin/audit': ADMIN,
	// Territory (issue 11): residents per rione and the rioni's boundaries.
	'/admin/popolazione': ADMIN,
	'/admin/rioni': ADMIN,
	'/api/plans': PLAN_STAFF,
	'/api/plans/[id=uuid]': PLAN_STAFF,
	'/api/plans/[id=uuid]/audit': PLAN_STAFF,
	'/api/plans/[id=uuid]/consent': PLAN_STAFF,
	'/api/plans/[id=uuid]/export': PLAN_STAFF,
	'/api/plans/[id=uuid]/members': PLAN_STAFF,
	'/api/plans/[id=uuid]/referrals': PLAN_STAFF,
	'/api/plans/[id=uuid]/sharing': PLAN_STAFF,
	'/api/referrals': PLAN_STAFF,
	'/api/referrals/[id=uuid]': PLAN_STAFF,
	'/admin/modifiche': ADMIN,
	'/admin/da-verificare': ADMIN,
	// Partner self-service: the route lets partners and administrators in; which organisations a
	// partner may touch is checked per request by requireOrganization (404 for the others).
	'/partner': PARTNER,
	'/partner/[org=uuid]': PARTNER,
	'/partner/[org=uuid]/sedi/[location=uuid]': PARTNER,
	'/partner/[org=uuid]/servizi/[service=uuid]': PARTNER,
	'/admin/domande': ADMIN,
	'/admin/domande/[id=uuid]': ADMIN,
	'/piani': PLAN_STAFF,
	'/piani/nuovo': PLAN_STAFF,
	'/piani/[id=uuid]': PLAN_STAFF,
	'/piani/[id=uuid]/stampa': PLAN_STAFF,
	'/piani/[id=uuid]/registro': PLAN_STAFF,
	'/segnalazioni': PLAN_STAFF,
	'/api/planning/rioni': PLANNING,
	'/api/planning/rioni.csv': PLANNING,
	'/api/planning/cells': PLANNING,
	'/api/planning/scenario': PLANNING,
	'/pianificazione': PLANNING,
	'/pianificazione/stampa': PLANNING
} as const satisfies Record<string, Access>;

/**
 * Routes about households and plans do not even admit they exist to someone refused: 404 for
 * anonymous people, planners, administrators and non-members alike (record-level checks in
 * plans/plans.ts answer 404 too). Planning routes likewise answer 404 to anyone but planners and
 * administrators (issue 11).
 */
export function hidesItself(routeId: string | null): boolean {
	return routeId !== null && /^\/(api\/plans|api\/referrals|piani|segnalazioni|api\/planning|pianificazione)(\/|$)/.test(routeId);
}

export type Decision = 'allow' | 'sign-in' | 'forbidden' | 'unlisted';

export function decide(routeId: string | null, user: User | null): Decision {
	// No route matched: SvelteKit answers 404 itself.
	if (routeId === null) return 'allow';
	const access = (ROUTE_ACCESS as Record<string, Access>)[routeId];
	if (access === undefined) return 'unlisted';
	if (access === PUBLIC) return 'allow';
	if (!user) return 'sign-in';
	if (access === SIGNED_IN) return 'allow';
	return access.includes(user.role) ? 'allow' : 'forbidden';
}

export function isPublic(routeId: string | null): boolean {
	return routeId === null || (ROUTE_ACCESS as Record<string, Access>)[routeId] === PUBLIC;
}

/** The signed-in user, for loads and actions behind a non-public route (the hook already checked). */
export function requireUser(event: Pick<RequestEvent, 'locals'>): User {
	const user = event.locals.user;
	if (!user) error(401, 'Sign in first.');
	return user;
}

/**
 * Record-level check for an organisation's data: its staff (with `editor` for changes) and
 * administrators pass; anyone else gets 404, as if the organisation did not exist, and the
 * refusal is audited.
 */
export async function requireOrganization(
	event: Pick<RequestEvent, 'locals' | 'getClientAddress'>,
	organizationId: string,
	need: 'viewer' | 'editor'
): Promise<User> {
	const user = requireUser(event);
	if (user.role === 'admin') return user;
	const role = isUuid(organizationId) && user.role === 'partner' ? await accounts.organizationRole(user.id, organizationId) : null;
	if (role === 'editor' || (role === 'viewer' && need === 'viewer')) return user;
	await audit.recordRefusal({
		actorId: user.id,
		actorEmail: user.email,
		subjectType: 'organization',
		subjectId: organizationId.slice(0, 64),
		address: event.getClientAddress(),
		detail: { need }
	});
	error(404, 'Not found');
}

/**
 * For a record reached through an organisation the person may use (a location, a service) that
 * is not there, or belongs to another organisation: 404, audited like any refusal.
 */
export async function refuseRecord(
	event: Pick<RequestEvent, 'locals' | 'getClientAddress'>,
	subjectType: string,
	subjectId: string
): Promise<never> {
	const user = event.locals.user;
	await audit.recordRefusal({
		actorId: user?.id,
		actorEmail: user?.email,
		subjectType,
		subjectId: subjectId.slice(0, 64),
		address: event.getClientAddress()
	});
	error(404, 'Not found');
}

/** Where to send someone who must sign in first, back to where they were going. */
export function signInRedirect(url: URL): never {
	redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
}
