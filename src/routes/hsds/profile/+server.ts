import type { RequestHandler } from './$types';
import { createHash } from 'node:crypto';
import profile from '../../../../docs/hsds-lecco-profile.md?raw';

const etag = `"${createHash('sha1').update(profile).digest('base64url')}"`;

/** The Lecco profile of HSDS 3.1 (docs/hsds-lecco-profile.md), the `profile` URL of `GET /hsds/`. */
export const GET: RequestHandler = ({ request }) => {
	const headers = { 'content-type': 'text/markdown; charset=utf-8', 'cache-control': 'public, max-age=3600', etag };
	if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
	return new Response(profile, { headers });
};
