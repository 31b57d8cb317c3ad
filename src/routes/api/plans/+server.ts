import type { RequestHandler } from './$types';
import { actorOf, answer, body, planApi, settings } from '$lib/server/plans/http';
import * as plans from '$lib/server/plans/plans';

/** GET /api/plans[?q=words]: the plans the caller may see (those whose code or readable name holds the words). */
export const GET: RequestHandler = (event) =>
	planApi(async () => answer(await plans.listPlans(actorOf(event), settings(), (event.url.searchParams.get('q') ?? '').slice(0, 100))));

/** POST /api/plans: a social worker opens a household and its plan → 201 { id, code }. */
export const POST: RequestHandler = (event) => planApi(async () => answer(await plans.createPlan(actorOf(event), await body(event.request)), 201));
