import type { LayoutServerLoad } from './$types';
import { LOCALES, pageMessages, partsFor } from '$lib/i18n';

export const load: LayoutServerLoad = ({ locals, route }) => ({
	locale: locals.locale,
	locales: LOCALES,
	// Public pages get the public texts only; reading `route.id` reloads this on a move to another
	// route, so a staff page reached by a link gets its texts too.
	messages: pageMessages(locals.locale, partsFor(route.id)),
	// Only what the header shows (the display name, else the email); never more of the account than that.
	user: locals.user ? { label: locals.user.name || locals.user.email, role: locals.user.role } : null
});
