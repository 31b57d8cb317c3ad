import { IntlMessageFormat } from 'intl-messageformat';
import type { Message, Messages } from './translate';

/**
 * Parses a language's ICU messages (the JSON files' text) once, on the server or in a script, into
 * what `translate.ts` formats: a message without placeholders becomes its final text (ICU quoting
 * such as `''` already resolved), any other its syntax tree. The page data carries this form, so
 * the browser needs no ICU parser (formatjs, "Pre-compile messages to AST"; vite.config.ts leaves
 * the parser out of the browser's build). The JSON files stay the one source of the texts.
 * Throws on a malformed message, naming its key.
 */
export function compileMessages(locale: string, source: Record<string, string>): Messages {
	const compiled: Messages = {};
	for (const [key, text] of Object.entries(source)) {
		let ast;
		try {
			ast = new IntlMessageFormat(text, locale).getAst();
		} catch (error) {
			throw new Error(`Message ${key} (${locale}) is not valid ICU MessageFormat: ${(error as Error).message}`);
		}
		compiled[key] = literal(ast) ?? ast;
	}
	return compiled;
}

/** The text of a message that has no placeholders, plurals, selects or tags (null otherwise). */
function literal(ast: Exclude<Message, string>): string | null {
	if (ast.length === 0) return '';
	const [only] = ast;
	return ast.length === 1 && only && only.type === 0 ? only.value : null;
}
