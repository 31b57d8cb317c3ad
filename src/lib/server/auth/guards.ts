import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Role, User } from '../db/accounts';

/**
 * Who may use which route: one table, checked by hooks.server.ts on every request (pages, their
 * data requests, form actions and endpoints alike) before any load, action or handler runs.
 * Deny by default: a route missing from the table is refused (and a test fails). Record-level
 * checks (which organisation, which plan) come on top, in auth/access.ts (`requirePlan`,
 * `requireOrganization` and friends), answering 404 whether the record is missing or forbidden.
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
	// The gazetteer kept by the service worker for the offline place search (issue 14).
	'/api/places/gazetteer.json': PUBLIC,
	'/api/resources': PUBLIC,
	'/api/resources/[id=uuid]': PUBLIC,
	// Vector tiles of the public resources (issue 15, item 5).
	'/api/tiles/[z=uint]/[x=uint]/[y=uint].mvt': PUBLIC,
	'/basemap/areas.geojson': PUBLIC,
	'/basemap/frame.svg': PUBLIC,
	'/basemap/lake.geojson': PUBLIC,
	'/basemap/layers.geojson': PUBLIC,
	'/basemap/transit.geojson': PUBLIC,
	'/basemap/territory.geojson': PUBLIC,
	// The HSDS 3.1 API and the open-data exports (issue 15): public data only.
	'/hsds': PUBLIC,
	'/hsds/[...rest]': PUBLIC,
	'/hsds/datapackage.zip': PUBLIC,
	'/hsds/openapi.json': PUBLIC,
	'/hsds/organizations': PUBLIC,
	'/hsds/organizations/[id=uuid]': PUBLIC,
	'/hsds/profile': PUBLIC,
	'/hsds/schema/[name]': PUBLIC,
	'/hsds/service_at_locations': PUBLIC,
	'/hsds/services': PUBLIC,
	'/hsds/services/[id=uuid]': PUBLIC,
	'/hsds/taxonomies': PUBLIC,
	'/hsds/taxonomy_terms': PUBLIC,
	'/api/export/directory.geojson': PUBLIC,
	'/patto': PUBLIC,
	// Every data source with its licence and attribution (issue 14, item 9).
	'/fonti': PUBLIC,
	// Public: a new applicant opens their account with the application. The form's actions then
	// decide by who is signed in (server/pact/submit.ts).
	'/aderisci': PUBLIC,
	'/login': PUBLIC,
	// Setting a password from a single-use link, and asking for one by email (issue 13).
	'/imposta-password/[token]': PUBLIC,
	'/password-dimenticata': PUBLIC,
	'/logout': SIGNED_IN,
	'/api/me': SIGNED_IN,
	'/account': SIGNED_IN,
	// The applicant's own application only (the page reads by the signed-in user, never by id).
	'/aderisci/domanda': SIGNED_IN,
	'/admin': ADMIN,
	// The accounts page (issue 13); /admin/users redirects to it.
	'/admin/utenti': ADMIN,
	'/admin/users': ADMIN,
	'/api/admin/users': ADMIN,
	'/api/admin/users/[id=uuid]': ADMIN,
	'/api/admin/users/[id=uuid]/reset': ADMIN,
	'/admin/audit': ADMIN,
	'/admin/posta': ADMIN,
	// Territory (issue 11): residents per rione and the rioni's boundaries.
	'/admin/popolazione': ADMIN,
	'/admin/rioni': ADMIN,
	// Imports of directory records from a file (issue 15).
	'/admin/import': ADMIN,
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
	'/api/referrals/[id=uuid]/messages': PLAN_STAFF,
	'/admin/modifiche': ADMIN,
	'/admin/da-verificare': ADMIN,
	// Citizens' error reports on public records (issue 14); partners see theirs on /partner/[org].
	'/admin/errori': ADMIN,
	// Partner self-service: the route lets partners and administrators in; which organisations a
	// partner may touch is checked per request by access.requireOrganization (404 for the others).
	'/partner': PARTNER,
	'/partner/[org=uuid]': PARTNER,
	'/partner/[org=uuid]/sedi/nuova': PARTNER,
	'/partner/[org=uuid]/sedi/[location=uuid]': PARTNER,
	'/partner/[org=uuid]/servizi/nuovo': PARTNER,
	'/partner/[org=uuid]/servizi/[service=uuid]': PARTNER,
	'/admin/domande': ADMIN,
	'/admin/domande/[id=uuid]': ADMIN,
	'/piani': PLAN_STAFF,
	'/piani/nuovo': PLAN_STAFF,
	'/piani/[id=uuid]': PLAN_STAFF,
	'/piani/[id=uuid]/stampa': PLAN_STAFF,
	'/piani/[id=uuid]/scheda': PLAN_STAFF,
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

/**
 * What the hook answers: go on (`allow`), sign in first (`sign-in`: a redirect to the sign-in
 * page, or 401 for the API and for writes), 403, or 404 for routes that hide themselves.
 */
export type RouteAnswer = 'allow' | 'sign-in' | 403 | 404;

export function routeAnswer(routeId: string | null, user: User | null): RouteAnswer {
	const decision = decide(routeId, user);
	if (decision === 'allow') return 'allow';
	// Plan and planning routes do not admit they exist to anyone refused, anonymous people included.
	if (hidesItself(routeId)) return 404;
	return decision === 'sign-in' ? 'sign-in' : 403;
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

/** The sign-in page, with the way back to where the person was going. */
export function signInLocation(url: URL): string {
	return `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
}

/** Where to send someone who must sign in first, back to where they were going. */
export function signInRedirect(url: URL): never {
	redirect(303, signInLocation(url));
}
