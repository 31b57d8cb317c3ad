import type { RequestHandler } from './$types';
import { actorOf, answer, planApi } from '$lib/server/plans/http';
import * as plans from '$lib/server/plans/plans';

/** GET /api/referrals: the referrals inbox of the caller's organisations. */
export const GET: RequestHandler = (event) => planApi(async () => answer(await plans.inbox(actorOf(event))));
