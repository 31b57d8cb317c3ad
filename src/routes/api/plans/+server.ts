import type { RequestHandler } from './$types';
import { actorOf, answer, body, planApi, settings } from '$lib/server/plans/http';
import * as plans from '$lib/server/plans/plans';

/** GET /api/plans: the plans the caller may see. */
export const GET: RequestHandler = (event) => planApi(async () => answer(await plans.listPlans(actorOf(event), settings())));

/** POST /api/plans: a social worker opens a household and its plan → 201 { id, code }. */
export const POST: RequestHandler = (event) => planApi(async () => answer(await plans.createPlan(actorOf(event), await body(event.request)), 201));
