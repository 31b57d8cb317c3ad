import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import * as audit from '$lib/server/db/audit';
import { translator } from '$lib/i18n';

/** Events per page: newest first, then "older" pages by keyset (the last id shown). */
const AUDIT_PAGE_SIZE = 100;

/** The actor filter's word for events without an account (people not signed in). */
const ANONYMOUS = '-';

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && value >= '1970-01-01' && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/**
 * The audit trail for administrators, filtered by action (start of the name), actor (email, or
 * "-" for people not signed in), subject type and Rome calendar days, all in the address, so a
 * filtered page is a link and works without JavaScript.
 */
export const load: PageServerLoad = async ({ url, locals }) => {
	const text = (name: string, max: number) => url.searchParams.get(name)?.trim().slice(0, max) ?? '';
	const filters = { action: text('action', 60), actor: text('actor', 254), subject: text('subject', 60), from: text('from', 10), to: text('to', 10) };
	const t = translator(locals.locale);
	for (const day of ['from', 'to'] as const) {
		if (filters[day] && !isDay(filters[day])) error(400, t('admin.audit.badDay', { value: filters[day] }));
	}
	const beforeText = url.searchParams.get('before');
	const before = beforeText === null ? undefined : Number(beforeText);
	if (before !== undefined && !(Number.isSafeInteger(before) && before > 0)) error(400, t('admin.audit.badPage'));
	const rows = await audit.list({
		action: filters.action || undefined,
		actor: filters.actor === ANONYMOUS ? null : filters.actor || undefined,
		subjectType: filters.subject || undefined,
		fromDay: filters.from || undefined,
		toDay: filters.to || undefined,
		before,
		limit: AUDIT_PAGE_SIZE + 1
	});
	const events = rows.slice(0, AUDIT_PAGE_SIZE);
	const older = rows.length > AUDIT_PAGE_SIZE ? events.at(-1)!.id : null;
	const query = (extra: Record<string, string>) =>
		`?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)), ...extra })}`;
	return {
		filters,
		events,
		olderHref: older === null ? null : query({ before: String(older) }),
		newestHref: before === undefined ? null : query({})
	};
};
