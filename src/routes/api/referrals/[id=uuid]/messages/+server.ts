import type { RequestHandler } from './$types';
import { actorOf, answer, body, planApi } from '$lib/server/plans/http';
import * as plans from '$lib/server/plans/plans';

/** POST /api/referrals/{id}/messages: { text } — the lead or the receiving organisation writes on the referral's thread → 201. */
export const POST: RequestHandler = (event) =>
	planApi(async () => {
		await plans.sendReferralMessage(actorOf(event), event.params.id, await body(event.request));
		return answer(null, 201);
	});
