import type { RequestHandler } from './$types';
import { constantPublicJson } from '$lib/server/api/http';
import * as publicApi from '$lib/server/api/public';

// The categories are code (src/lib/domain/taxonomy.ts): one answer for the life of the process.
const answer = constantPublicJson(publicApi.categoryList(), { maxAge: 3600 });

export const GET: RequestHandler = ({ request }) => answer(request);
