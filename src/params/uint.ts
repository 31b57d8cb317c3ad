import type { ParamMatcher } from '@sveltejs/kit';
import { isUint } from '../lib/domain/tiles';

/**
 * Whole numbers in paths (the tiles' `/api/tiles/[z=uint]/[x=uint]/[y=uint].mvt`): anything but
 * digits matches no route, so it is a 404 before any query runs (under /api/ the catch-all answers
 * it in the API's error format). A number out of range for its zoom is the route's own 400.
 */
export const match: ParamMatcher = (param) => isUint(param);
