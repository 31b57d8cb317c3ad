import type { RequestEvent } from '@sveltejs/kit';
import { parseCoverageQuery, type CoverageQuery } from '../../domain/planning';
import { ApiError, handleApi } from '../api/http';
import { readJsonBody } from '../input';
import { ScenarioError } from './coverage';
import type { DemandReader } from './demand';

/**
 * The planning API's plumbing, on the shared JSON API handling (api/http.ts): answers never cached
 * (`no-store`: figures change and are for signed-in planners only), errors as `{ "error": "…", "field"? }`.
 * The route table (auth/guards.ts) lets only planners and administrators through.
 */
export { privateJson as answer } from '../api/http';

/** A refusal of the planning API: its status, message and, when one field is at fault, its name. */
export class PlanningError extends ApiError {
	constructor(status: number, message: string, field?: string) {
		super(status, message, field);
		this.name = 'PlanningError';
	}
}

export function body(request: Request): Promise<unknown> {
	return readJsonBody(request, (message) => new PlanningError(400, message));
}

/** The view asked for in the query string, or a 400 naming the field. */
export function coverageQuery(url: URL): CoverageQuery {
	const parsed = parseCoverageQuery(url.searchParams);
	if (!parsed.ok) throw new PlanningError(400, `invalid or missing ${parsed.field}`, parsed.field);
	return parsed.value;
}

/** Runs a handler; a refused scenario is a 400 naming its field. */
export function planningApi(run: () => Promise<Response>): Promise<Response> {
	return handleApi(run, {
		name: 'planning API',
		problemOf: (error) => (error instanceof ScenarioError ? { status: 400, message: error.message, field: error.field } : null)
	});
}

/** Who reads the demand figures, for the audit trail (the route table let only planners and admins in). */
export function readerOf(event: Pick<RequestEvent, 'locals' | 'getClientAddress'>): DemandReader {
	const user = event.locals.user;
	if (!user) throw new PlanningError(404, 'Not found');
	return { user: { id: user.id, email: user.email }, address: event.getClientAddress() };
}
