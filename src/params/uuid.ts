import type { ParamMatcher } from '@sveltejs/kit';
import { isUuid } from '../lib/domain/ids';

/**
 * Record ids in paths (`/risorse/[id=uuid]`, `/partner/[org=uuid]`, …) are UUIDs: anything else
 * matches no route, so it is a 404 before any guard, load or query runs (under /api/ the
 * catch-all answers it in the API's error format).
 */
export const match: ParamMatcher = (param) => isUuid(param);
