import type { PlanProblem } from '../../domain/plan-forms';
import { ApiError } from '../api/http';

/** A plan service's refusal: its HTTP status, a message for API callers, and a code for the pages. */
export class PlanError extends ApiError {
	/**
	 * @param code names the refusal (e.g. 400 `outcome`, 409 `referralOpen`), so a page can say it
	 * in the person's language without checking again; the message is for API callers.
	 */
	constructor(
		readonly status: 400 | 403 | 404 | 409 | 503,
		message: string,
		readonly code?: PlanProblem
	) {
		super(status, message);
		this.name = 'PlanError';
	}
}
