import type { RequestHandler } from './$types';
import { actorOf, answer, planApi, settings } from '$lib/server/plans/http';
import * as plans from '$lib/server/plans/plans';

/** GET /api/plans/{id}/export: everything held about the household (GDPR access), lead only. */
export const GET: RequestHandler = (event) => planApi(async () => answer(await plans.exportHousehold(actorOf(event), event.params.id, settings())));
