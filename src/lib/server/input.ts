import { findUncleanText, textProblem, textProblemMessage } from '../domain/text';

/**
 * The request-level half of the input rules (the field-level half lives in the schemas of each
 * service): before any load, action or endpoint runs, a request is refused with a 4xx when its
 * address or body holds text no field may hold (src/lib/domain/text.ts) or a body of a type the
 * route cannot read. Every route gets this once, so no handler can forget it.
 */
export interface InputRefusal {
	status: 400 | 415;
	message: string;
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];
const mediaType = (request: Request) => (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/** The address: its path (as route parameters will be decoded from it) and every query parameter. */
export function urlRefusal(url: URL): InputRefusal | null {
	let path: string;
	try {
		path = decodeURIComponent(url.pathname);
	} catch {
		return { status: 400, message: 'The address has a malformed %-escape: check the link.' };
	}
	const pathProblem = textProblem(path);
	if (pathProblem) return { status: 400, message: `The address ${textProblemMessage(pathProblem)}.` };
	for (const [name, value] of url.searchParams) {
		const problem = textProblem(name) ?? textProblem(value);
		if (problem) return { status: 400, message: `The parameter ${JSON.stringify(name.slice(0, 40))} ${textProblemMessage(problem)}.` };
	}
	return null;
}

/**
 * A page's form action takes only what an HTML form sends; its fields must be clean text.
 * Reads a copy of the body: the action still reads the original.
 */
export async function formRefusal(request: Request): Promise<InputRefusal | null> {
	const type = mediaType(request);
	if (!FORM_TYPES.includes(type)) {
		return { status: 415, message: `This page takes a form (application/x-www-form-urlencoded or multipart/form-data), not ${type || 'a body without a Content-Type'}.` };
	}
	let form: FormData;
	try {
		form = await request.clone().formData();
	} catch {
		return { status: 400, message: 'The form could not be read: send it again from the page.' };
	}
	for (const [name, value] of form) {
		const problem = textProblem(name) ?? (typeof value === 'string' ? textProblem(value) : null);
		if (problem) return { status: 400, message: `The field ${JSON.stringify(name.slice(0, 40))} ${textProblemMessage(problem)}.` };
	}
	return null;
}

/**
 * A JSON endpoint's body, when it has one: JSON, parseable, its strings (and keys) clean text.
 * A request without a body passes (DELETE, a POST that takes none): the handler decides.
 */
export async function jsonRefusal(request: Request): Promise<InputRefusal | null> {
	const text = await request.clone().text();
	if (text === '') return null;
	const type = mediaType(request);
	if (type !== 'application/json' && !type.endsWith('+json')) {
		return { status: 415, message: `Send a JSON body with Content-Type: application/json, not ${type || 'a body without a Content-Type'}.` };
	}
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return { status: 400, message: 'The body is not valid JSON.' };
	}
	const found = findUncleanText(body);
	return found ? { status: 400, message: `${found.path} ${textProblemMessage(found.problem)}.` } : null;
}

/**
 * A JSON endpoint's body, for the handler: a body that is not JSON is refused through `refuse`
 * (each API turns the message into its own 400), so the APIs word it alike.
 */
export async function readJsonBody(request: Request, refuse: (message: string) => Error): Promise<unknown> {
	const type = request.headers.get('content-type') ?? '';
	if (!type.startsWith('application/json')) throw refuse('Send a JSON body with Content-Type: application/json.');
	try {
		return await request.json();
	} catch {
		throw refuse('The body is not valid JSON.');
	}
}

/** A form action's body as a form, or null when it is not one (a wrong content type): nothing to read. */
export async function formOf(request: Request): Promise<FormData | null> {
	try {
		return await request.formData();
	} catch {
		return null;
	}
}
