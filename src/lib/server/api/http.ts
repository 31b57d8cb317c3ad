import { createHash } from 'node:crypto';
import { inputProblem } from '../db/errors';
import { log } from '../log';

/**
 * Response helpers for the public JSON API: errors as `{ "error": "…" }`, and public data with an
 * ETag (answering 304 to a matching If-None-Match) and a Cache-Control header.
 */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
		this.name = 'ApiError';
	}
}

export function badRequest(message: string): never {
	throw new ApiError(400, message);
}

export function errorResponse(status: number, message: string): Response {
	return new Response(JSON.stringify({ error: message }), {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }
	});
}

interface PublicOptions {
	contentType?: string;
	/** Seconds a cache may reuse the answer. */
	maxAge: number;
}

/** A public, cacheable JSON answer with a strong ETag over its bytes. */
export function publicJson(request: Request, data: unknown, options: PublicOptions): Response {
	const body = JSON.stringify(data);
	const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
	const headers = {
		'content-type': options.contentType ?? 'application/json; charset=utf-8',
		'cache-control': `public, max-age=${options.maxAge}`,
		etag,
		vary: 'Accept-Encoding'
	};
	const match = request.headers.get('if-none-match');
	if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
		return new Response(null, { status: 304, headers });
	}
	return new Response(body, { status: 200, headers });
}

/**
 * Runs a handler, turning an {@link ApiError} into its JSON answer, a database error caused by input
 * into its 4xx (db/errors.ts) and anything else into a 500.
 */
export async function handleApi(run: () => Promise<Response>): Promise<Response> {
	try {
		return await run();
	} catch (error) {
		if (error instanceof ApiError) return errorResponse(error.status, error.message);
		const problem = inputProblem(error);
		if (problem) return errorResponse(problem.status, problem.message);
		log.error('API request failed', { error: error instanceof Error ? error.message : String(error) });
		return errorResponse(500, 'Something went wrong on our side. Please try again in a moment.');
	}
}
