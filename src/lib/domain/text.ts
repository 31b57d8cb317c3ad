/**
 * The one rule for text anyone sends us (query parameters, form fields, JSON strings), applied
 * where input is parsed: a NUL byte makes PostgreSQL throw, an unpaired UTF-16 surrogate cannot
 * be stored as UTF-8, and other C0 control characters are never typed by a person (they come
 * from broken programs or attacks). Tab, line feed and carriage return stay: text areas send them.
 * Pure: shared by browser and server.
 */

export type TextProblem = 'nul' | 'control' | 'surrogate';

// C0 controls except tab (\x09), line feed (\x0a) and carriage return (\x0d); NUL is told apart.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x01-\x08\x0b\x0c\x0e-\x1f]/;

/** What is wrong with a text, or null when it may be stored and searched. */
export function textProblem(value: string): TextProblem | null {
	if (value.includes('\0')) return 'nul';
	if (!value.isWellFormed()) return 'surrogate';
	if (CONTROL.test(value)) return 'control';
	return null;
}

export const isCleanText = (value: string): boolean => textProblem(value) === null;

/** The English sentence for a problem, for JSON answers (pages use their own message keys). */
export function textProblemMessage(problem: TextProblem): string {
	switch (problem) {
		case 'nul':
			return 'contains a NUL character (\\0): remove it';
		case 'surrogate':
			return 'is not valid Unicode text (a lone surrogate): send well-formed UTF-8';
		case 'control':
			return 'contains a control character: use plain text (tabs and new lines are fine)';
	}
}

/**
 * The first unclean string anywhere in a parsed value (JSON body, form fields), with where it is:
 * keys count as text too, so `{"\u0000": 1}` is refused like a value.
 */
export function findUncleanText(value: unknown, path = ''): { path: string; problem: TextProblem } | null {
	if (typeof value === 'string') {
		const problem = textProblem(value);
		return problem ? { path: path || 'body', problem } : null;
	}
	if (Array.isArray(value)) {
		for (const [index, item] of value.entries()) {
			const found = findUncleanText(item, `${path}[${index}]`);
			if (found) return found;
		}
		return null;
	}
	if (value !== null && typeof value === 'object') {
		for (const [key, item] of Object.entries(value)) {
			const keyProblem = textProblem(key);
			if (keyProblem) return { path: path || 'body', problem: keyProblem };
			const found = findUncleanText(item, path ? `${path}.${key}` : key);
			if (found) return found;
		}
	}
	return null;
}
