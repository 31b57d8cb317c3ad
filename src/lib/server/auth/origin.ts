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
