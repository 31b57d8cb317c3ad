import type { RequestHandler } from './$types';
import { actorOf, answer, planApi } from '$lib/server/plans/http';
import * as plans from '$lib/server/plans/plans';

/** GET /api/plans/{id}/audit: who read or changed the plan, and when. */
export const GET: RequestHandler = (event) => planApi(async () => answer(await plans.planAudit(actorOf(event), event.params.id)));
