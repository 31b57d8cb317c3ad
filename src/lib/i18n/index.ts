import { IntlMessageFormat } from 'intl-messageformat';

/**
 * Interface languages. Each folder `messages/<code>/` is a language, its `*.json` files merged
 * (one per part of the interface): adding a folder adds a language, with no code change. Messages use ICU MessageFormat (plurals, numbers, selects),
 * formatted by the maintained `intl-messageformat`. Missing keys fall back to Italian.
 */
export type Messages = Record<string, string>;

const files = import.meta.glob<Messages>('./messages/*/*.json', { eager: true, import: 'default' });

export const MESSAGES: Record<string, Messages> = {};
for (const [file, messages] of Object.entries(files)) {
	const locale = file.split('/').at(-2)!;
	MESSAGES[locale] = { ...MESSAGES[locale], ...messages };
}

export const DEFAULT_LOCALE = 'it';
/** The language the directory's own texts (names, descriptions, addresses) are written in: marked
 * with `lang` on pages in other languages, so screen readers pronounce them right. */
export const DATA_LANG = 'it';
export const LOCALES = Object.keys(MESSAGES).sort((a, b) => (a === DEFAULT_LOCALE ? -1 : b === DEFAULT_LOCALE ? 1 : a.localeCompare(b)));

export function isLocale(value: unknown): value is string {
	return typeof value === 'string' && value in MESSAGES;
}

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

export type Values = Record<string, string | number | boolean | Date | null | undefined>;
export type Translate = (key: string, values?: Values) => string;

/** A translation function for `locale`, caching compiled messages. */
export function translator(locale: string, messages: Messages = MESSAGES[locale] ?? {}): Translate {
	const fallback = MESSAGES[DEFAULT_LOCALE] ?? {};
	const compiled = new Map<string, IntlMessageFormat>();
	return (key, values) => {
		const source = messages[key] ?? fallback[key];
		if (source === undefined) return key;
		let format = compiled.get(key);
		if (!format) {
			format = new IntlMessageFormat(source, locale);
			compiled.set(key, format);
		}
		return String(format.format(values as Record<string, string | number | boolean | Date | null | undefined>));
	};
}
