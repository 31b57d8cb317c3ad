import type { RequestHandler } from './$types';
import { actorOf, answer, body, planApi } from '$lib/server/plans/http';
import * as plans from '$lib/server/plans/plans';

/** PATCH /api/referrals/{id}: { status, note? } — the receiving organisation answers; the lead may close. */
export const PATCH: RequestHandler = (event) =>
	planApi(async () => {
		await plans.setReferralStatus(actorOf(event), event.params.id, await body(event.request));
		return answer(null, 204);
	});
