import { createHash } from 'node:crypto';
import { isHttpError, json } from '@sveltejs/kit';
import { databaseUnavailable, inputProblem } from '../db/errors';
import { log } from '../log';

/**
 * Response helpers for every JSON API, public and private: errors as `{ "error": "…", "field"? }`
 * and never cached, private answers `no-store`, and public data with an ETag (answering 304 to a
 * matching If-None-Match) and a Cache-Control header.
 */

/** A refusal an API answers with: its status, a message for the caller and, when one field is at fault, its name. */
export interface ApiProblem {
	status: number;
	message: string;
	field?: string;
}

export class ApiError extends Error implements ApiProblem {
	constructor(
		readonly status: number,
		message: string,
		readonly field?: string
	) {
		super(message);
		this.name = 'ApiError';
	}
}

export function badRequest(message: string): never {
	throw new ApiError(400, message);
}

const NO_STORE = { 'cache-control': 'no-store' };

export function errorResponse(status: number, message: string, field?: string, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify({ error: message, ...(field ? { field } : {}) }), {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', ...NO_STORE, ...headers }
	});
}

/** The answer while the database is out of reach (a restart, an ended connection): nothing was written, try again. */
export function unavailableResponse(): Response {
	return errorResponse(503, 'The database is unavailable for a moment: nothing was saved. Please try again in a few seconds.', undefined, { 'retry-after': '5' });
}

/** An answer of a private API (signed-in staff only): never cached; 204 has no body. */
export function privateJson(data: unknown, status = 200): Response {
	if (status === 204) return new Response(null, { status, headers: NO_STORE });
	return json(data, { status, headers: NO_STORE });
}

interface PublicOptions {
	contentType?: string;
	/** Seconds a cache may reuse the answer. */
	maxAge: number;
}

/** A public, cacheable JSON answer with a strong ETag over its bytes. */
export function publicJson(request: Request, data: unknown, options: PublicOptions): Response {
	return publicBody(request, JSON.stringify(data), { contentType: 'application/json; charset=utf-8', ...options });
}

/**
 * A public JSON answer that stays the same for the whole life of the process (a taxonomy: code, not
 * data), serialised and hashed once instead of on every request.
 */
export function constantPublicJson(data: unknown, options: PublicOptions): (request: Request) => Response {
	const body = JSON.stringify(data);
	const etag = etagOf(body);
	return (request) => publicAnswer(request, body, etag, { contentType: 'application/json; charset=utf-8', ...options });
}

const etagOf = (body: string | Uint8Array) => `"${createHash('sha1').update(body).digest('base64url')}"`;

/**
 * A public, cacheable answer of any type (an export's file, say) with a strong ETag over its bytes,
 * answering 304 to a matching If-None-Match; `filename` makes it a download.
 */
export function publicBody(request: Request, body: string | Uint8Array, options: PublicOptions & { filename?: string }): Response {
	return publicAnswer(request, body, etagOf(body), options);
}

function publicAnswer(request: Request, body: string | Uint8Array, etag: string, options: PublicOptions & { filename?: string }): Response {
	const headers: Record<string, string> = {
		'content-type': options.contentType ?? 'application/octet-stream',
		'cache-control': `public, max-age=${options.maxAge}`,
		etag,
		vary: 'Accept-Encoding',
		...(options.filename ? { 'content-disposition': `attachment; filename="${options.filename}"` } : {})
	};
	const match = request.headers.get('if-none-match');
	if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
		return new Response(null, { status: 304, headers });
	}
	return new Response(body as BodyInit, { status: 200, headers });
}

interface ApiOptions {
	/** Names the API in the log line of a failure. */
	name?: string;
	/** A refusal of the area's own kind (a service's error class) as its problem, else null. */
	problemOf?: (error: unknown) => ApiProblem | null;
}

/**
 * Runs a handler, turning a refusal into its JSON answer: an {@link ApiError} (or a subclass such as
 * the plans service's), a refusal from auth/access.ts (SvelteKit's `error(404)`), one the area
 * recognises through `problemOf`, or a database error caused by input (db/errors.ts). A database out
 * of reach is a 503 with Retry-After (its transaction rolled back). Anything else is a 500, logged
 * with the error's message only: never the request or its body.
 */
export async function handleApi(run: () => Promise<Response>, { name = 'API', problemOf }: ApiOptions = {}): Promise<Response> {
	try {
		return await run();
	} catch (error) {
		const problem: ApiProblem | null = refusalOf(error) ?? problemOf?.(error) ?? inputProblem(error);
		if (problem) return errorResponse(problem.status, problem.message, problem.field);
		if (databaseUnavailable(error)) {
			log.warn(`${name} request failed: the database is unavailable`, { error: error instanceof Error ? error.message : String(error) });
			return unavailableResponse();
		}
		log.error(`${name} request failed`, { error: error instanceof Error ? error.message : String(error) });
		return errorResponse(500, 'Something went wrong on our side. Please try again in a moment.');
	}
}

function refusalOf(error: unknown): ApiProblem | null {
	if (error instanceof ApiError) return error;
	if (isHttpError(error)) return { status: error.status, message: error.body.message };
	return null;
}
