import type { RequestHandler } from './$types';
import { actorOf, answer, body, planApi } from '$lib/server/plans/http';
import * as plans from '$lib/server/plans/plans';

/** POST /api/plans/{id}/referrals: { need, resource_id } → 201 { id }. */
export const POST: RequestHandler = (event) => planApi(async () => answer(await plans.addReferral(actorOf(event), event.params.id, await body(event.request)), 201));
