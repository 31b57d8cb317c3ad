import type { RequestEvent } from '@sveltejs/kit';
import { config } from '../startup';
import { handleApi } from '../api/http';
import { readJsonBody } from '../input';
import type { Actor, PlanSettings } from './context';
import { PlanError } from './errors';

/**
 * The private plans API's plumbing: the acting user, and the shared JSON API handling
 * (api/http.ts): answers never cached, errors `{ "error": "…" }` and never logged with their content.
 */
export { privateJson as answer } from '../api/http';

export function actorOf(event: Pick<RequestEvent, 'locals' | 'getClientAddress'>): Actor {
	// The route table lets only signed-in staff through; this is the belt to those braces.
	if (!event.locals.user) throw new PlanError(404, 'Not found');
	return { user: event.locals.user, address: event.getClientAddress() };
}

export function body(request: Request): Promise<unknown> {
	return readJsonBody(request, (message) => new PlanError(400, message));
}

export function settings(): PlanSettings {
	return { staleDays: config().referralStaleDays };
}

/**
 * Runs a handler; a PlanError (an ApiError), and a refusal from auth/access.ts (404, or 403 for
 * what only the lead may do), become their status with the message (api/http.ts).
 */
export function planApi(run: () => Promise<Response>): Promise<Response> {
	return handleApi(run, { name: 'plans API' });
}
