import { json, type Handle, type HandleServerError, type RequestEvent, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { env } from '$env/dynamic/private';
import { env as publicEnv } from '$env/dynamic/public';
import { recordRefusal } from '$lib/server/auth/access';
import { decide, isPublic, routeAnswer, signInLocation, signInRedirect } from '$lib/server/auth/guards';
import { crossSiteRefusal } from '$lib/server/auth/origin';
import { cookieName, deleteSessionCookie, readSessionCookie, sessionCookieHeader, slideSession, validateSessionToken } from '$lib/server/auth/session';
import { formRefusal, jsonRefusal, urlRefusal, type InputRefusal } from '$lib/server/input';
import { unavailableResponse } from '$lib/server/api/http';
import { databaseUnavailable } from '$lib/server/db/errors';
import { log } from '$lib/server/log';
import { resolveLocale } from '$lib/server/locale';
import { start, stop } from '$lib/server/startup';

/** Opens, migrates and seeds the database before the first request is served. */
export const init: ServerInit = async () => {
	await start(env, { seed: true, planning: true, mail: true });
	// adapter-node emits this on SIGINT/SIGTERM once in-flight requests are done.
	process.once('sveltekit:shutdown' as never, (reason: string) => {
		// Said, so that an instance that stops under load (a signal from outside) is told from a crash.
		log.info('shutting down', { reason });
		void stop();
	});
};

// The JSON APIs: the atlas's own and the HSDS 3.1 API (src/routes/hsds).
const isApi = (url: URL) => url.pathname.startsWith('/api/') || url.pathname === '/hsds' || url.pathname.startsWith('/hsds/');

/**
 * On every answer the hooks give, whoever made it: the route, or a refusal made before it ran
 * (cross-site, sign-in, 403/404, bad input). SvelteKit adds the Content-Security-Policy to the
 * pages it renders (svelte.config.js); these three apply to everything. First in the sequence, so
 * that no later hook's early answer escapes them (refusals once went out without them).
 */
const SECURITY_HEADERS = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin',
	'x-frame-options': 'DENY'
} as const;

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
	return response;
};

/**
 * A request answered before its body was read (a refusal: sign-in first, 403, 404) leaves that body
 * unread, and Node then resets the connection: a browser shows "connection reset" instead of the
 * answer, and a client that reuses the connection fails its next request (seen in CI after a
 * refused 250 KB import). What is left is read here, bounded by the adapter's body size limit.
 */
const drainUnreadBody: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (event.request.body && !event.request.bodyUsed) await event.request.arrayBuffer().catch(() => undefined);
	return response;
};

/** Refuses state-changing requests from other sites, before anything else runs. */
const originCheck: Handle = ({ event, resolve }) => {
	const refusal = crossSiteRefusal(event.request, event.url);
	if (refusal) return json({ error: refusal }, { status: 403, headers: { 'cache-control': 'no-store' } });
	return resolve(event);
};

/**
 * A form action named in the address (`POST /login?/name`) must be one the page defines.
 * SvelteKit looks the name up on the page's `actions` object, a plain object, so a name it
 * inherits ("constructor", "toString", "__proto__"…) would be called as an action and fail with
 * a 500; "default" spelled out is refused by SvelteKit with a 500 too. Both are a plain 404 here,
 * as SvelteKit answers any other unknown action.
 */
const formActionName: Handle = ({ event, resolve }) => {
	if (event.request.method === 'POST') {
		const name = [...event.url.searchParams.keys()].find((key) => key.startsWith('/'))?.slice(1);
		// An answer, not a thrown error(): SvelteKit does not catch what a hook throws while it
		// answers a malformed address (`/%ED?/toString`), and the process died of it.
		if (name !== undefined && (name === 'default' || name in Object.prototype)) {
			return refusedBeforeRoute(event, { status: 404, message: `No action with name '${name.slice(0, 40)}' found` });
		}
	}
	return resolve(event);
};

// Routes that are endpoints (+server.ts) rather than pages: only the file names are read here.
const ENDPOINTS = new Set(Object.keys(import.meta.glob('/src/routes/**/+server.ts')).map((file) => file.slice('/src/routes'.length, -'/+server.ts'.length) || '/'));
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Input no route may receive (src/lib/server/input.ts), refused before anything reads it: text
 * with NUL, lone surrogates or control characters in the address or the body, a page's form
 * action posted something other than a form, a JSON endpoint something other than JSON.
 */
const inputCheck: Handle = async ({ event, resolve }) => {
	let refusal = urlRefusal(event.url);
	const routeId = event.route.id;
	if (!refusal && routeId !== null && WRITES.has(event.request.method)) {
		if (isApi(event.url)) refusal = await jsonRefusal(event.request);
		else if (!ENDPOINTS.has(routeId) && event.request.method === 'POST') refusal = await formRefusal(event.request);
	}
	return refusal ? refusedBeforeRoute(event, refusal) : resolve(event);
};

/**
 * A request refused before its route runs: JSON for the API and for form actions posted by the
 * page's script, plain text for a browser's form or page.
 */
function refusedBeforeRoute(event: RequestEvent, refusal: Pick<InputRefusal, 'message'> & { status: number }): Response {
	const headers = { 'cache-control': 'no-store' };
	if (isApi(event.url)) return json({ error: refusal.message }, { status: refusal.status, headers });
	if (event.request.headers.get('x-sveltekit-action') === 'true') {
		return json({ type: 'error', error: { message: refusal.message } }, { status: refusal.status, headers });
	}
	return new Response(refusal.message, { status: refusal.status, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } });
}

/**
 * Finds the session from its cookie, or clears a stale cookie. The idle expiry slides only once
 * the answer is known to be private, and the cookie is re-sent only when it did slide: an answer a
 * shared cache may keep (`Cache-Control: public`: the API, the basemap, their 304s) is the same
 * for everyone, so it carries no cookie at all, lest the cache hand one person's session (or
 * language) to the next visitor.
 */
const session: Handle = async ({ event, resolve }) => {
	const secure = event.url.protocol === 'https:';
	const token = readSessionCookie(event.cookies, secure);
	event.locals.user = null;
	event.locals.session = null;
	let found: Awaited<ReturnType<typeof validateSessionToken>> = null;
	if (token) {
		found = await validateSessionToken(token, new Date(), { slide: false });
		if (found) {
			event.locals.user = found.user;
			event.locals.session = found.session;
		} else {
			deleteSessionCookie(event.cookies, secure);
		}
	}
	const response = await resolve(event);
	if (/\bpublic\b/i.test(response.headers.get('cache-control') ?? '')) {
		response.headers.delete('set-cookie');
	} else if (token && found && !response.headers.getSetCookie().some((cookie) => cookie.startsWith(cookieName(secure) + '='))) {
		// Not when the answer set or cleared the cookie itself (sign-in, sign-out, password change).
		const slid = await slideSession(found.session);
		if (slid) response.headers.append('set-cookie', sessionCookieHeader(token, slid, secure));
	}
	return response;
};

/**
 * The database out of reach (restarting, a connection ended) while a hook reads or slides the
 * session or records a refusal: 503 with Retry-After, as the API's handlers answer then — not a
 * 500, and not an answer as if the person were signed out (which would clear their cookie).
 * Measured by tests/faults/restart.test.ts.
 */
const databaseOutage: Handle = async ({ event, resolve }) => {
	try {
		return await resolve(event);
	} catch (error) {
		if (!databaseUnavailable(error)) throw error;
		log.warn('request failed: the database is unavailable', { error: error instanceof Error ? error.message : String(error) });
		if (isApi(event.url)) return unavailableResponse();
		return new Response('The service is unavailable for a moment: nothing was saved. Please try again in a few seconds.', {
			status: 503,
			headers: { 'retry-after': '5', 'cache-control': 'no-store', 'content-type': 'text/plain; charset=utf-8' }
		});
	}
};

/** The route table in auth/guards.ts decides, for every request, before loads and actions run. */
const authorize: Handle = async ({ event, resolve }) => {
	const answer = routeAnswer(event.route.id, event.locals.user);
	if (answer === 'allow') return resolve(event);
	if (answer === 'sign-in') {
		if (isApi(event.url) || event.request.method !== 'GET') {
			return json({ error: 'Sign in first: this needs an account.' }, { status: 401, headers: { 'cache-control': 'no-store' } });
		}
		// A data request (client-side navigation) gets SvelteKit's own JSON redirect; a page gets an
		// answer made here, so that securityHeaders sees it (a thrown redirect bypasses the hooks).
		if (event.isDataRequest) signInRedirect(event.url);
		return new Response(null, { status: 303, headers: { location: signInLocation(event.url), 'cache-control': 'no-store' } });
	}
	if (decide(event.route.id, event.locals.user) === 'unlisted') log.error('route missing from the access table: refused', { route: event.route.id });
	return refuse(event, answer, answer === 404 ? 'Not found' : 'You do not have access to this page.');
};

/**
 * A refused request: audited like every refusal (auth/access.ts: a signed-in person's every time,
 * anonymous ones bounded per address and minute), never cached; JSON for the API, plain text for pages.
 */
async function refuse(event: RequestEvent, status: 403 | 404, message: string): Promise<Response> {
	await recordRefusal({ user: event.locals.user, address: event.getClientAddress() }, 'route', event.route.id, { method: event.request.method });
	const headers = { 'cache-control': 'no-store' };
	if (isApi(event.url)) return json({ error: message }, { status, headers });
	return new Response(message, { status, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } });
}

const page: Handle = async ({ event, resolve }) => {
	const locale = resolveLocale(event.url, event.cookies, event.request.headers.get('accept-language'));
	event.locals.locale = locale;
	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', locale)
	});
	if (isApi(event.url) && isPublic(event.route.id)) {
		// Public API data may be read by any site (it is public); it never depends on a session.
		response.headers.set('access-control-allow-origin', '*');
	}
	// Private pages and answers, and anything rendered for a signed-in person, stay out of caches.
	const html = response.headers.get('content-type')?.startsWith('text/html') ?? false;
	if (!isPublic(event.route.id) || (event.locals.user && html)) response.headers.set('cache-control', 'no-store');
	// A page depends on the session and language cookies: no cache may serve it to someone else.
	if (html) response.headers.append('vary', 'Cookie');
	// An external basemap (PUBLIC_BASEMAP_STYLE_URL) loads tiles, glyphs and sprites from hosts
	// its style names: open the map's fetches to HTTPS then, and only then.
	if (publicEnv.PUBLIC_BASEMAP_STYLE_URL) widenForExternalBasemap(response.headers);
	return response;
};

function widenForExternalBasemap(headers: Headers) {
	const csp = headers.get('content-security-policy');
	if (!csp) return;
	headers.set(
		'content-security-policy',
		csp.replace(/connect-src ([^;]*)/, 'connect-src $1 https:').replace(/img-src ([^;]*)/, 'img-src $1 https:')
	);
}

// Security headers first, so every answer has them, the outage's 503 included.
export const handle = sequence(drainUnreadBody, securityHeaders, databaseOutage, originCheck, formActionName, session, authorize, inputCheck, page);

export const handleError: HandleServerError = ({ error, status, message }) => {
	if (status >= 500) log.error('request failed', { error: error instanceof Error ? error.message : String(error) });
	return { message };
};
