import { IntlMessageFormat } from 'intl-messageformat';

/**
 * Formatting messages, without the message files: the browser gets only its page's language
 * (from the root layout's data), never every language's files. ICU MessageFormat through the
 * maintained `intl-messageformat`.
 */
export type Messages = Record<string, string>;
export type Values = Record<string, string | number | boolean | Date | null | undefined>;
export type Translate = (key: string, values?: Values) => string;

export const DEFAULT_LOCALE = 'it';
/** The language the directory's own texts (names, descriptions, addresses) are written in: marked
 * with `lang` on pages in other languages, so screen readers pronounce them right. */
export const DATA_LANG = 'it';

/**
 * A translation function for `locale` over `messages` (then `fallback`), caching compiled messages.
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
		const source = Object.hasOwn(messages, key) ? messages[key] : Object.hasOwn(fallback, key) ? fallback[key] : undefined;
		if (source === undefined) return key;
		let format = compiled.get(key);
		if (!format) {
			format = new IntlMessageFormat(source, locale);
			compiled.set(key, format);
		}
		return String(format.format(values));
	};
}
