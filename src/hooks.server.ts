import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { log } from '$lib/server/log';
import { resolveLocale } from '$lib/server/locale';
import { start, stop } from '$lib/server/startup';

/** Opens, migrates and seeds the database before the first request is served. */
export const init: ServerInit = async () => {
	await start(env);
	// adapter-node emits this on SIGINT/SIGTERM once in-flight requests are done.
	process.once('sveltekit:shutdown' as never, () => {
		void stop();
	});
};

export const handle: Handle = async ({ event, resolve }) => {
	const locale = resolveLocale(event.url, event.cookies, event.request.headers.get('accept-language'));
	event.locals.locale = locale;
	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', locale)
	});
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
	if (event.url.pathname.startsWith('/api/')) {
		// Public API data may be read by any site (it is public); nothing here uses cookies.
		response.headers.set('access-control-allow-origin', '*');
	}
	return response;
};

export const handleError: HandleServerError = ({ error, status, message }) => {
	if (status >= 500) log.error('request failed', { error: error instanceof Error ? error.message : String(error) });
	return { message };
};
