import { json, type RequestEvent } from '@sveltejs/kit';
import { parseCoverageQuery, type CoverageQuery } from '../../domain/planning';
import { inputProblem } from '../db/errors';
import { readJsonBody } from '../input';
import { log } from '../log';
import { ScenarioError } from './coverage';
import type { DemandReader } from './demand';

/**
 * The planning API's plumbing: answers never cached (`no-store`: figures change and are for
 * signed-in planners only), errors as `{ "error": "…", "field"? }` like the rest of the API.
 * The route table (auth/guards.ts) lets only planners and administrators through.
 */
const headers = { 'cache-control': 'no-store' };

export class PlanningError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly field?: string
	) {
		super(message);
		this.name = 'PlanningError';
	}
}

export function answer(data: unknown, status = 200): Response {
	return json(data, { status, headers });
}

/** The view asked for in the query string, or a 400 naming the field. */
export function coverageQuery(url: URL): CoverageQuery {
	const parsed = parseCoverageQuery(url.searchParams);
	if (!parsed.ok) throw new PlanningError(400, `invalid or missing ${parsed.field}`, parsed.field);
	return parsed.value;
}

export function body(request: Request): Promise<unknown> {
	return readJsonBody(request, (message) => new PlanningError(400, message));
}

export async function planningApi(run: () => Promise<Response>): Promise<Response> {
	try {
		return await run();
	} catch (error) {
		if (error instanceof PlanningError) return json({ error: error.message, ...(error.field ? { field: error.field } : {}) }, { status: error.status, headers });
		if (error instanceof ScenarioError) return json({ error: error.message, field: error.field }, { status: 400, headers });
		const problem = inputProblem(error);
		if (problem) return json({ error: problem.message }, { status: problem.status, headers });
		log.error('planning API failed', { error: error instanceof Error ? error.message : String(error) });
		return json({ error: 'Something went wrong on our side. Please try again in a moment.' }, { status: 500, headers });
	}
}

/** Who reads the demand figures, for the audit trail (the route table let only planners and admins in). */
export function readerOf(event: Pick<RequestEvent, 'locals' | 'getClientAddress'>): DemandReader {
	const user = event.locals.user;
	if (!user) throw new PlanningError(404, 'Not found');
	return { user: { id: user.id, email: user.email }, address: event.getClientAddress() };
}
