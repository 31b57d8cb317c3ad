import type { RequestHandler } from './$types';
import { actorOf, answer, body, planApi } from '$lib/server/plans/http';
import * as plans from '$lib/server/plans/plans';

/** PUT /api/plans/{id}/consent: { given_on, document_ref, scope: [organization ids] } records consent. */
export const PUT: RequestHandler = (event) =>
	planApi(async () => {
		await plans.recordConsent(actorOf(event), event.params.id, await body(event.request));
		return answer(null, 204);
	});

/** DELETE /api/plans/{id}/consent: withdraws it; partners lose access at once. */
export const DELETE: RequestHandler = (event) =>
	planApi(async () => {
		await plans.withdrawConsent(actorOf(event), event.params.id);
		return answer(null, 204);
	});
