import { IntlMessageFormat } from 'intl-messageformat';

/**
 * Formatting messages, without the message files: the browser gets only its page's language
 * (from the root layout's data), never every language's files. ICU MessageFormat through the
 * maintained `intl-messageformat`.
 *
 * Messages arrive here already parsed (`compile.ts`, on the server): the browser never parses ICU
 * syntax, so its build leaves intl-messageformat's parser out (vite.config.ts), as formatjs
 * documents for pre-compiled messages.
 */

/** An ICU message parsed by intl-messageformat (its syntax tree). */
export type MessageAst = Exclude<ConstructorParameters<typeof IntlMessageFormat>[0], string>;
/** A message ready to format: its final text when it has no placeholders, else its syntax tree. */
export type Message = string | MessageAst;
export type Messages = Record<string, Message>;
export type Values = Record<string, string | number | boolean | Date | null | undefined>;
export type Translate = (key: string, values?: Values) => string;

export const DEFAULT_LOCALE = 'it';
/** The language the directory's own texts (names, descriptions, addresses) are written in: marked
 * with `lang` on pages in other languages, so screen readers pronounce them right. */
export const DATA_LANG = 'it';

/**
 * A translation function for `locale` over `messages` (then `fallback`), caching formatters.
 * `messages` may be a getter: the page's messages can change on navigation (public pages get fewer).
 */
export function translator(locale: string, given: Messages | (() => Messages), fallback: Messages = {}): Translate {
	const compiled = new Map<string, IntlMessageFormat>();
	let last: Messages | undefined;
	return (key, values) => {
		const messages = typeof given === 'function' ? given() : given;
		if (messages !== last) {
			compiled.clear();
			last = messages;
		}
		// Own keys only: a key such as "constructor" must not find Object.prototype's.
		const message = Object.hasOwn(messages, key) ? messages[key] : Object.hasOwn(fallback, key) ? fallback[key] : undefined;
		if (message === undefined) return key;
		if (typeof message === 'string') return message;
		let format = compiled.get(key);
		if (!format) {
			format = new IntlMessageFormat(message, locale);
			compiled.set(key, format);
		}
		return String(format.format(values));
	};
}
