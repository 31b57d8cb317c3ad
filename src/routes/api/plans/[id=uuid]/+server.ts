import type { RequestHandler } from './$types';
import { actorOf, answer, body, planApi, settings } from '$lib/server/plans/http';
import * as plans from '$lib/server/plans/plans';

/** GET /api/plans/{id}: the plan with strengths, needs, goals, members, consent, referrals. */
export const GET: RequestHandler = (event) => planApi(async () => answer(await plans.getPlan(actorOf(event), event.params.id, settings())));

/** PATCH /api/plans/{id}: { version, status?, outcome?, strengths?, needs?, goals?, actions? } → { version }; 409 on a conflict. */
export const PATCH: RequestHandler = (event) => planApi(async () => answer(await plans.updatePlan(actorOf(event), event.params.id, await body(event.request))));

/** DELETE /api/plans/{id}: erases the household's identifiers and soft-deletes the plan. */
export const DELETE: RequestHandler = (event) =>
	planApi(async () => {
		await plans.erase(actorOf(event), event.params.id);
		return answer(null, 204);
	});
