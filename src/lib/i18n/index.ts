import { compileMessages } from './compile';
import { DEFAULT_LOCALE, translator as format, type Messages, type Translate } from './translate';

export { DATA_LANG, DEFAULT_LOCALE, type Messages, type Translate, type Values } from './translate';

/**
 * Interface languages. Each folder `messages/<code>/` is a language, its `*.json` files merged
 * (one per part of the interface): adding a folder adds a language, with no code change. Messages use ICU MessageFormat (plurals, numbers, selects),
 * formatted by the maintained `intl-messageformat`. Missing keys fall back to Italian.
 * The files are parsed once, here (compile.ts): pages and emails get the parsed messages.
 */

const files = import.meta.glob<Record<string, string>>('./messages/*/*.json', { eager: true, import: 'default' });

export const MESSAGES: Record<string, Messages> = {};
/** Each language's messages by part of the interface (the file's name: `common`, `home`, `plans`…). */
const PARTS: Record<string, Record<string, Messages>> = {};
for (const [file, source] of Object.entries(files)) {
	const locale = file.split('/').at(-2)!;
	const part = file.split('/').at(-1)!.replace(/\.json$/, '');
	const messages = compileMessages(locale, source);
	MESSAGES[locale] = { ...MESSAGES[locale], ...messages };
	(PARTS[locale] ??= {})[part] = messages;
}

/**
 * The parts a public atlas page needs: the site's header and footer (`common`), the home list and
 * map, "Trova aiuto", the resource page and problems. Sending only these keeps the staff areas'
 * texts (plans, planning, partner, pact forms, mail…) off the public pages: a quarter of the home
 * page's weight before. Other pages get every part.
 */
export const PUBLIC_PARTS: readonly string[] = ['common', 'home', 'help', 'resource', 'map', 'problems'];
const PUBLIC_ROUTES: ReadonlySet<string> = new Set(['/', '/trova-aiuto', '/risorse/[id=uuid]', '/fonti']);

/** The message parts the page at `routeId` needs (undefined: every part). */
export function partsFor(routeId: string | null): readonly string[] | undefined {
	return routeId && PUBLIC_ROUTES.has(routeId) ? PUBLIC_PARTS : undefined;
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

/**
 * The messages a page in `locale` needs: its own, with Italian for any key not translated yet;
 * only the `parts` named (see {@link partsFor}), else every part.
 */
export function pageMessages(locale: string, parts?: readonly string[]): Messages {
	if (!parts) return { ...MESSAGES[DEFAULT_LOCALE], ...messagesOf(locale) };
	const own = Object.hasOwn(PARTS, locale) ? PARTS[locale]! : {};
	const italian = PARTS[DEFAULT_LOCALE] ?? {};
	const messages: Messages = {};
	for (const part of parts) Object.assign(messages, italian[part], Object.hasOwn(own, part) ? own[part] : undefined);
	return messages;
}
