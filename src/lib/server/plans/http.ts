import { isHttpError, json, type RequestEvent } from '@sveltejs/kit';
import { config } from '../startup';
import { inputProblem } from '../db/errors';
import { readJsonBody } from '../input';
import { log } from '../log';
import { PlanError, type Actor, type PlanSettings } from './plans';

/**
 * The private plans API's plumbing: the acting user, JSON bodies, and answers that are never
 * cached and never logged with their content. Errors are `{ "error": "…" }` like the public API.
 */
export function actorOf(event: Pick<RequestEvent, 'locals' | 'getClientAddress'>): Actor {
	// The route table lets only signed-in staff through; this is the belt to those braces.
	if (!event.locals.user) throw new PlanError(404, 'Not found');
	return { user: event.locals.user, address: event.getClientAddress() };
}

export function settings(): PlanSettings {
	return { staleDays: config().referralStaleDays };
}

export function body(request: Request): Promise<unknown> {
	return readJsonBody(request, (message) => new PlanError(400, message));
}

const headers = { 'cache-control': 'no-store' };

export function answer(data: unknown, status = 200): Response {
	return status === 204 ? new Response(null, { status, headers }) : json(data, { status, headers });
}

/**
 * Runs a handler; PlanError, and a refusal from auth/access.ts (404, or 403 for what only the lead
 * may do), become their status with the message, a database error caused by input
 * its 4xx (db/errors.ts), anything else a 500.
 */
export async function planApi(run: () => Promise<Response>): Promise<Response> {
	try {
		return await run();
	} catch (error) {
		if (error instanceof PlanError) return json({ error: error.message }, { status: error.status, headers });
		if (isHttpError(error)) return json({ error: error.body.message }, { status: error.status, headers });
		const problem = inputProblem(error);
		if (problem) return json({ error: problem.message }, { status: problem.status, headers });
		// The message only: never the request or its body.
		log.error('plans API failed', { error: error instanceof Error ? error.message : String(error) });
		return json({ error: 'Something went wrong on our side. Please try again in a moment.' }, { status: 500, headers });
	}
}
