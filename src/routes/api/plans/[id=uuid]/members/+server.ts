import type { RequestHandler } from './$types';
import { actorOf, answer, body, planApi } from '$lib/server/plans/http';
import * as plans from '$lib/server/plans/plans';

/** POST /api/plans/{id}/members: { organization_id, override_reason? }; refused without consent. */
export const POST: RequestHandler = (event) =>
	planApi(async () => {
		await plans.addMember(actorOf(event), event.params.id, await body(event.request));
		return answer(null, 204);
	});
