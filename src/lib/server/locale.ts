import type { Cookies } from '@sveltejs/kit';
import { isLocale, negotiate } from '../i18n';

const COOKIE = 'lang';

/**
 * The interface language of a request: `?lang=xx` (remembered in a cookie for a year), else the
 * remembered choice, else the browser's Accept-Language, else Italian.
 */
export function resolveLocale(url: URL, cookies: Cookies, acceptLanguage: string | null): string {
	const asked = url.searchParams.get('lang');
	if (isLocale(asked)) {
		cookies.set(COOKIE, asked, { path: '/', maxAge: 60 * 60 * 24 * 365, sameSite: 'lax', httpOnly: true });
		return asked;
	}
	const remembered = cookies.get(COOKIE);
	if (isLocale(remembered)) return remembered;
	return negotiate(acceptLanguage);
}
