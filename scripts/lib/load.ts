import autocannon from 'autocannon';

/**
 * HTTP load on the built app with autocannon: the endpoint table, the probe that leaves out routes
 * this build does not have, and one run per endpoint. Used by `npm run bench:load` (50 connections ×
 * 60 s) and by the shortened run in CI (tests/api/load.test.ts: 5 connections × 2 s).
 */

/** One endpoint under load. `path` is built from what the probe found in the store. */
export interface LoadEndpoint {
	name: string;
	/** The request path with its query. */
	path: (ids: LoadIds) => string;
	/** Sent with a planner's session cookie (the planning endpoints are for planners only). */
	planner?: boolean;
}

/** Values read from the running app so that every path names real records. */
export interface LoadIds {
	resourceId: string;
	/** "lon,lat" of a place in Lecco. */
	at: string;
}

/** The slippy-map tile holding a point, at zoom z. */
export function tileOf(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
	const n = 2 ** z;
	const rad = (lat * Math.PI) / 180;
	return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) };
}

const LECCO_TILE = tileOf(9.39, 45.855, 14);

/**
 * Every endpoint under load. Add a row for a new public or planning endpoint; a route the build
 * does not have (404 at the probe) is skipped with a note, so rows may precede their routes.
 */
export const LOAD_ENDPOINTS: readonly LoadEndpoint[] = [
	{ name: 'needs', path: () => '/api/needs' },
	{ name: 'resources near', path: ({ at }) => `/api/resources?near=${at}&radius=1500&need=food` },
	{ name: 'resources text', path: () => '/api/resources?q=scuola&limit=50' },
	{ name: 'resource', path: ({ resourceId }) => `/api/resources/${resourceId}` },
	{ name: 'places', path: () => '/api/places?q=via%20ghislanzoni' },
	{ name: 'neighbourhoods', path: () => '/api/neighbourhoods' },
	{ name: 'match', path: ({ at }) => `/api/match?at=${at}&needs=homework,food` },
	{ name: 'tiles', path: () => `/api/tiles/${LECCO_TILE.z}/${LECCO_TILE.x}/${LECCO_TILE.y}.mvt` },
	{ name: 'hsds services', path: () => '/hsds/services' },
	{ name: 'planning rioni', path: () => '/api/planning/rioni?need=homework', planner: true },
	{ name: 'planning cells', path: () => '/api/planning/cells?need=homework&bbox=9.38,45.84,9.40,45.86', planner: true }
];

export interface LoadFigures {
	name: string;
	path: string;
	requests: number;
	/** Mean requests per second over the run. */
	perSecond: number;
	p50Ms: number;
	p99Ms: number;
	/** Connection errors and timeouts: what never got an answer. */
	errors: number;
	/** The errors by kind (ECONNRESET, a timeout…). */
	failures: Record<string, number>;
	/** Answers with a status ≥ 500. */
	serverErrors: number;
	/** Answers other than 2xx (4xx and 5xx), by status. */
	statuses: Record<string, number>;
}

interface AutocannonResult {
	requests: { average: number; total: number };
	latency: { p50: number; p99: number };
	errors: number;
	'5xx': number;
	statusCodeStats: Record<string, { count: number }>;
}

/** Reads the ids the paths need from the app's own public API. */
export async function loadIds(baseUrl: string): Promise<LoadIds> {
	const resources = (await (await fetch(`${baseUrl}/api/resources?limit=1`)).json()) as { features: { id: string }[] };
	const places = (await (await fetch(`${baseUrl}/api/places?q=Germanedo`)).json()) as { name: string; lon: number; lat: number }[];
	const place = places.find((p) => p.name === 'Germanedo') ?? places[0];
	if (!resources.features[0] || !place) throw new Error('The store has no public resource or no place named Germanedo: load the Lecco seed.');
	return { resourceId: resources.features[0].id, at: `${place.lon},${place.lat}` };
}

/** Signs in through the login form and returns the session cookie ("name=value"). */
export async function signInCookie(baseUrl: string, email: string, password: string): Promise<string> {
	const response = await fetch(`${baseUrl}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: new URL(baseUrl).origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password })
	});
	await response.arrayBuffer();
	const cookie = /(\S*atlante_session=[^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
	if (!cookie) throw new Error(`Signing in as ${email} failed (HTTP ${response.status}).`);
	return cookie;
}

export type Probe = { run: true; path: string; headers: Record<string, string> } | { run: false; path: string; note: string };

/** One GET before the load: a 404 means the route is not in this build (skipped), any other non-2xx fails. */
export async function probe(baseUrl: string, endpoint: LoadEndpoint, ids: LoadIds, plannerCookie: string | null): Promise<Probe> {
	const path = endpoint.path(ids);
	if (endpoint.planner && !plannerCookie) return { run: false, path, note: 'no planner account' };
	const headers: Record<string, string> = endpoint.planner && plannerCookie ? { cookie: plannerCookie } : {};
	const response = await fetch(baseUrl + path, { headers, redirect: 'manual' });
	await response.arrayBuffer();
	if (response.status === 404) return { run: false, path, note: 'not in this build (404)' };
	if (!response.ok) throw new Error(`${endpoint.name}: GET ${path} answered ${response.status} before the load`);
	return { run: true, path, headers };
}

/** `connections` clients sending GET `path` back to back for `seconds`. */
export async function loadOne(baseUrl: string, name: string, path: string, headers: Record<string, string>, connections: number, seconds: number): Promise<LoadFigures> {
	const failures: Record<string, number> = {};
	const result = await new Promise<AutocannonResult>((resolve, reject) => {
		autocannon({ url: baseUrl + path, connections, duration: seconds, headers, timeout: 30 }, (error, done) => (error ? reject(error) : resolve(done as AutocannonResult))).on(
			'reqError',
			(error) => {
				const kind = error.code ?? error.message;
				failures[kind] = (failures[kind] ?? 0) + 1;
			}
		);
	});
	const statuses: Record<string, number> = {};
	for (const [status, { count }] of Object.entries(result.statusCodeStats)) if (!status.startsWith('2')) statuses[status] = count;
	return {
		name,
		path,
		requests: result.requests.total,
		perSecond: result.requests.average,
		p50Ms: result.latency.p50,
		p99Ms: result.latency.p99,
		// autocannon counts a timeout among its errors too.
		errors: result.errors,
		failures,
		serverErrors: result['5xx'],
		statuses
	};
}
