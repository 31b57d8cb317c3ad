/**
 * Cross-site request forgery defence for every state-changing request. SvelteKit's own check
 * (kit.csrf) covers form submissions only; this covers JSON and any other body too: a POST, PUT,
 * PATCH or DELETE must carry an Origin header naming this site. Browsers always send it on such
 * requests; other programs must set it (`Origin: https://this.site`).
 */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function crossSiteRefusal(request: Request, url: URL): string | null {
	if (SAFE_METHODS.has(request.method)) return null;
	const origin = request.headers.get('origin');
	if (origin === url.origin) return null;
	return origin
		? `Cross-site ${request.method} refused: this request came from ${origin.slice(0, 100)}, not from ${url.origin}.`
		: `${request.method} refused: the request has no Origin header. Send Origin: ${url.origin}.`;
}

// C0 controls, DEL and C1 controls: browsers strip tabs and newlines from a URL before reading it
// ("/\t/evil.example" becomes "//evil.example"), and a newline in a Location header fails the answer.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Where to send someone after signing in (or any other "come back here" address read from a
 * request): `next` resolved against this site's origin the way a browser would, kept only when it
 * stays on this origin and holds no control character; anything else gives `fallback`. Returns a
 * path (with query and fragment), never an absolute address, so the Location header stays on-site.
 */
export function safeNext(next: string | null | undefined, origin: string, fallback = '/'): string {
	if (!next || CONTROL.test(next) || !next.startsWith('/')) return fallback;
	let target: URL;
	try {
		target = new URL(next, origin);
	} catch {
		return fallback;
	}
	// "/..//evil.example" resolves to the path "//evil.example", which a Location header would send off-site.
	if (target.origin !== origin || target.pathname.startsWith('//')) return fallback;
	return target.pathname + target.search + target.hash;
}
