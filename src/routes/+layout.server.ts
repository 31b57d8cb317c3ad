import type { LayoutServerLoad } from './$types';
import { LOCALES, pageMessages } from '$lib/i18n';
import * as places from '$lib/server/db/places';

export const load: LayoutServerLoad = async ({ locals }) => ({
	locale: locals.locale,
	locales: LOCALES,
	messages: pageMessages(locals.locale),
	sources: await places.listSources(),
	// Only what the header shows (the display name, else the email); never more of the account than that.
	user: locals.user ? { label: locals.user.name || locals.user.email, role: locals.user.role } : null
});
