import type { RequestHandler } from './$types';
import { actorOf, answer, body, planApi } from '$lib/server/plans/http';
import * as plans from '$lib/server/plans/plans';

/** PUT /api/plans/{id}/sharing: { profile, notes } → 204; what partner organisations see (lead only). */
export const PUT: RequestHandler = (event) =>
	planApi(async () => {
		await plans.setSharing(actorOf(event), event.params.id, await body(event.request));
		return answer(null, 204);
	});
