/**
 * What every route answers to each kind of person, written by hand and NOT derived from the
 * route table (src/lib/server/auth/guards.ts) nor from its helpers: a wrong entry there, or here,
 * makes tests/unit/guards.test.ts (the rule) and tests/api/auth.test.ts (the built app) fail.
 *
 * Answers: `allow` (the route runs; it may still say 404 for a missing record), `sign-in`
 * (redirect to the sign-in page, or 401 for the API and for writes), 403, or 404 (the route hides
 * itself: plans, referrals and planning).
 */
export type Expected = 'allow' | 'sign-in' | 403 | 404;
export const WHO = ['anonymous', 'admin', 'worker', 'planner', 'partner'] as const;
export type Who = (typeof WHO)[number];
type Row = Readonly<Record<Who, Expected>>;

const ANYONE: Row = { anonymous: 'allow', admin: 'allow', worker: 'allow', planner: 'allow', partner: 'allow' };
const ANY_ACCOUNT: Row = { anonymous: 'sign-in', admin: 'allow', worker: 'allow', planner: 'allow', partner: 'allow' };
const ADMINISTRATORS: Row = { anonymous: 'sign-in', admin: 'allow', worker: 403, planner: 403, partner: 403 };
const PLAN_STAFF: Row = { anonymous: 404, admin: 404, worker: 'allow', planner: 404, partner: 'allow' };
const PARTNERS: Row = { anonymous: 'sign-in', admin: 'allow', worker: 403, planner: 403, partner: 'allow' };
const PLANNERS: Row = { anonymous: 404, admin: 'allow', worker: 404, planner: 'allow', partner: 404 };

export const ROUTE_MATRIX: Record<string, Row> = {
	'/': ANYONE,
	'/risorse/[id=uuid]': ANYONE,
	'/trova-aiuto': ANYONE,
	'/api/[...rest]': ANYONE,
	'/api/audiences': ANYONE,
	'/api/categories': ANYONE,
	'/api/match': ANYONE,
	'/api/needs': ANYONE,
	'/api/neighbourhoods': ANYONE,
	'/api/places': ANYONE,
	'/api/places/gazetteer.json': ANYONE,
	'/api/resources': ANYONE,
	'/api/resources/[id=uuid]': ANYONE,
	'/api/tiles/[z=uint]/[x=uint]/[y=uint].mvt': ANYONE,
	'/basemap/areas.geojson': ANYONE,
	'/basemap/frame.svg': ANYONE,
	'/basemap/lake.geojson': ANYONE,
	'/basemap/layers.geojson': ANYONE,
	'/basemap/transit.geojson': ANYONE,
	'/basemap/territory.geojson': ANYONE,
	'/hsds': ANYONE,
	'/hsds/[...rest]': ANYONE,
	'/hsds/datapackage.zip': ANYONE,
	'/hsds/openapi.json': ANYONE,
	'/hsds/organizations': ANYONE,
	'/hsds/organizations/[id=uuid]': ANYONE,
	'/hsds/profile': ANYONE,
	'/hsds/schema/[name]': ANYONE,
	'/hsds/service_at_locations': ANYONE,
	'/hsds/services': ANYONE,
	'/hsds/services/[id=uuid]': ANYONE,
	'/hsds/taxonomies': ANYONE,
	'/hsds/taxonomy_terms': ANYONE,
	'/api/export/directory.geojson': ANYONE,
	'/patto': ANYONE,
	'/fonti': ANYONE,
	'/aderisci': ANYONE,
	'/login': ANYONE,
	'/imposta-password/[token]': ANYONE,
	'/password-dimenticata': ANYONE,
	'/logout': ANY_ACCOUNT,
	'/api/me': ANY_ACCOUNT,
	'/account': ANY_ACCOUNT,
	'/aderisci/domanda': ANY_ACCOUNT,
	'/admin': ADMINISTRATORS,
	'/admin/users': ADMINISTRATORS,
	'/admin/utenti': ADMINISTRATORS,
	'/admin/posta': ADMINISTRATORS,
	'/api/admin/users': ADMINISTRATORS,
	'/api/admin/users/[id=uuid]': ADMINISTRATORS,
	'/api/admin/users/[id=uuid]/reset': ADMINISTRATORS,
	'/admin/audit': ADMINISTRATORS,
	'/admin/modifiche': ADMINISTRATORS,
	'/admin/da-verificare': ADMINISTRATORS,
	'/admin/errori': ADMINISTRATORS,
	'/admin/domande': ADMINISTRATORS,
	'/admin/domande/[id=uuid]': ADMINISTRATORS,
	'/admin/popolazione': ADMINISTRATORS,
	'/admin/rioni': ADMINISTRATORS,
	'/admin/import': ADMINISTRATORS,
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
	'/piani': PLAN_STAFF,
	'/piani/nuovo': PLAN_STAFF,
	'/piani/[id=uuid]': PLAN_STAFF,
	'/piani/[id=uuid]/stampa': PLAN_STAFF,
	'/piani/[id=uuid]/scheda': PLAN_STAFF,
	'/piani/[id=uuid]/registro': PLAN_STAFF,
	'/segnalazioni': PLAN_STAFF,
	'/partner': PARTNERS,
	'/partner/[org=uuid]': PARTNERS,
	'/partner/[org=uuid]/sedi/nuova': PARTNERS,
	'/partner/[org=uuid]/sedi/[location=uuid]': PARTNERS,
	'/partner/[org=uuid]/servizi/nuovo': PARTNERS,
	'/partner/[org=uuid]/servizi/[service=uuid]': PARTNERS,
	'/api/planning/rioni': PLANNERS,
	'/api/planning/rioni.csv': PLANNERS,
	'/api/planning/cells': PLANNERS,
	'/api/planning/scenario': PLANNERS,
	'/pianificazione': PLANNERS,
	'/pianificazione/stampa': PLANNERS
};
