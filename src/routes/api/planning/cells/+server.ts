import type { RequestHandler } from './$types';
import { answer, coverageQuery, planningApi, PlanningError } from '$lib/server/planning/http';
import * as coverage from '$lib/server/planning/coverage';
import { parseBbox } from '$lib/domain/planning';

/** GET /api/planning/cells?need=…&bbox=W,S,E,N[&within&when&audience&accepting]: the grid cells there. */
export const GET: RequestHandler = ({ url }) =>
	planningApi(async () => {
		const query = coverageQuery(url);
		const bbox = parseBbox(url.searchParams.get('bbox'));
		if (!bbox.ok) throw new PlanningError(400, bbox.error, 'bbox');
		return answer(await coverage.cellsCoverage(query, bbox.value));
	});
