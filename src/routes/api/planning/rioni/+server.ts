import type { RequestHandler } from './$types';
import { answer, coverageQuery, planningApi } from '$lib/server/planning/http';
import * as coverage from '$lib/server/planning/coverage';

/** GET /api/planning/rioni?need=…[&within&when&audience&accepting]: one GeoJSON feature per rione. */
export const GET: RequestHandler = ({ url }) => planningApi(async () => answer(await coverage.rioniFeatures(coverageQuery(url))));
