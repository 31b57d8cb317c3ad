import { DEFAULT_LOCALE, translator as format, type Messages, type Translate } from './translate';

export { DATA_LANG, DEFAULT_LOCALE, type Messages, type Translate, type Values } from './translate';

/**
 * Interface languages. Each folder `messages/<code>/` is a language, its `*.json` files merged
 * (one per part of the interface): adding a folder adds a language, with no code change. Messages use ICU MessageFormat (plurals, numbers, selects),
 * formatted by the maintained `intl-messageformat`. Missing keys fall back to Italian.
 */

const files = import.meta.glob<Messages>('./messages/*/*.json', { eager: true, import: 'default' });

export const MESSAGES: Record<string, Messages> = {};
for (const [file, messages] of Object.entries(files)) {
	const locale = file.split('/').at(-2)!;
	MESSAGES[locale] = { ...MESSAGES[locale], ...messages };
}

export const LOCALES = Object.keys(MESSAGES).sort((a, b) => (a === DEFAULT_LOCALE ? -1 : b === DEFAULT_LOCALE ? 1 : a.localeCompare(b)));

/** A language we have: an own key of MESSAGES only (`in` would accept "constructor", "toString"…). */
export function isLocale(value: unknown): value is string {
	return typeof value === 'string' && Object.hasOwn(MESSAGES, value);
}

const messagesOf = (locale: string): Messages | undefined => (Object.hasOwn(MESSAGES, locale) ? MESSAGES[locale] : undefined);

/** The best supported locale for an Accept-Language header, else the default. */
export function negotiate(acceptLanguage: string | null): string {
	const wanted = (acceptLanguage ?? '')
		.split(',')
		.map((part) => {
			const [tag, q] = part.trim().split(';q=');
			return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q) : 1 };
		})
		.filter((entry) => entry.tag && Number.isFinite(entry.q))
		.sort((a, b) => b.q - a.q);
	for (const { tag } of wanted) {
		const base = tag.split('-')[0]!;
		if (isLocale(base)) return base;
	}
	return DEFAULT_LOCALE;
}

/** A translation function for `locale` (server side: every language's files are here). */
export function translator(locale: string, messages: Messages = messagesOf(locale) ?? {}): Translate {
	return format(locale, messages, MESSAGES[DEFAULT_LOCALE] ?? {});
}

/** The messages a page in `locale` needs: its own, with Italian for any key not translated yet. */
export function pageMessages(locale: string): Messages {
	return { ...MESSAGES[DEFAULT_LOCALE], ...messagesOf(locale) };
}
