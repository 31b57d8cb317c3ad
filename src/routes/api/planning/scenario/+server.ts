import type { RequestHandler } from './$types';
import { answer, body, planningApi } from '$lib/server/planning/http';
import * as coverage from '$lib/server/planning/coverage';

/** POST /api/planning/scenario {need, add, hide, within}: residents within reach before → after. Writes nothing. */
export const POST: RequestHandler = ({ request }) => planningApi(async () => answer(await coverage.runScenario(await body(request))));
