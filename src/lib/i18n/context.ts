import { getContext, setContext } from 'svelte';
import { translator, type Messages, type Translate } from './translate';

/** The page's language for components: set once in the root layout, read anywhere below it. */
export interface I18n {
	locale: string;
	t: Translate;
	/** Label of a taxonomy term (need, category, audience) in the page's language. */
	term(kind: 'need' | 'category' | 'audience', code: string): string;
}

const key = Symbol('i18n');

/** `messages` as a getter follows the root layout's data, which changes between public and staff pages. */
export function setI18n(locale: string, messages: Messages | (() => Messages)): I18n {
	const t = translator(locale, messages);
	const i18n: I18n = { locale, t, term: (kind, code) => t(`${kind}.${code}`) };
	setContext(key, i18n);
	return i18n;
}

export function getI18n(): I18n {
	const i18n = getContext<I18n | undefined>(key);
	if (!i18n) throw new Error('getI18n() outside the root layout');
	return i18n;
}
