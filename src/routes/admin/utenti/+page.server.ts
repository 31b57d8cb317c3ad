import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { isUuid } from '$lib/domain/ids';
import { requireUser } from '$lib/server/auth/guards';
import * as users from '$lib/server/auth/admin-users';
import { mailEnabled } from '$lib/server/mail/outbox';

/**
 * Staff accounts for administrators: invite, change, disable, reset, end sessions. The form fields
 * become the same input the JSON API takes (/api/admin/users), checked by the one schema in
 * domain/accounts.ts; organisations are chosen by name (a list to pick from) or id.
 */
export const load: PageServerLoad = async () => ({
	users: await users.listUsers(),
	organizations: await users.organizationChoices(),
	mail: mailEnabled()
});

const actorOf = (event: RequestEvent) => ({ user: requireUser(event), address: event.getClientAddress() });
const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/** A failed action: the field at fault and the words, for the form. */
function refused(error: unknown, userId?: string) {
	if (error instanceof users.UserAdminError) return fail(error.status, { problem: error.message, field: error.field ?? null, user: userId ?? null });
	throw error;
}

/** The memberships a form describes: `org.<id>` = editor | viewer | remove, plus one to add by name. */
async function membershipsOf(form: FormData): Promise<{ id: string; role: 'editor' | 'viewer' }[]> {
	const list: { id: string; role: 'editor' | 'viewer' }[] = [];
	for (const [key, value] of form.entries()) {
		if (!key.startsWith('org.') || !isUuid(key.slice(4))) continue;
		if (value === 'editor' || value === 'viewer') list.push({ id: key.slice(4), role: value });
	}
	const added = text(form, 'organization');
	if (added) {
		const id = await users.organizationByName(added, 'organizations');
		if (!list.some((m) => m.id === id)) list.push({ id, role: text(form, 'organization_role') === 'viewer' ? 'viewer' : 'editor' });
	}
	return list;
}

export const actions: Actions = {
	invite: async (event) => {
		const form = await event.request.formData();
		const values = { email: text(form, 'email'), name: text(form, 'name'), role: text(form, 'role'), locale: text(form, 'locale') || 'it' };
		try {
			const organizations = await membershipsOf(form);
			const invited = await users.invite(actorOf(event), { ...values, organizations });
			return { invited: { email: values.email, url: invited.invitation_url, emailed: invited.emailed } };
		} catch (error) {
			const answer = refused(error);
			return fail(answer.status, { ...answer.data, values });
		}
	},
	update: async (event) => {
		const form = await event.request.formData();
		const userId = text(form, 'user');
		if (!isUuid(userId)) return fail(404, { problem: 'Not found', field: null, user: null });
		try {
			const role = text(form, 'role');
			const patch = {
				name: text(form, 'name') || undefined,
				role: role || undefined,
				locale: text(form, 'locale') || undefined,
				disabled: form.get('disabled') === 'on',
				organizations: role === 'partner' ? await membershipsOf(form) : []
			};
			await users.updateUser(actorOf(event), userId, patch);
			return { updated: userId };
		} catch (error) {
			return refused(error, userId);
		}
	},
	reset: async (event) => {
		const userId = text(await event.request.formData(), 'user');
		if (!isUuid(userId)) return fail(404, { problem: 'Not found', field: null, user: null });
		try {
			const reset = await users.resetByAdmin(actorOf(event), userId);
			return { reset: { user: userId, url: reset.reset_url, emailed: reset.emailed } };
		} catch (error) {
			return refused(error, userId);
		}
	},
	/** Ends every session of a user at once (a lost phone, a person leaving). */
	revoke: async (event) => {
		const userId = text(await event.request.formData(), 'user');
		if (!isUuid(userId)) return fail(404, { problem: 'unknown user', field: null, user: null });
		try {
			return { revoked: await users.revokeSessions(actorOf(event), userId) };
		} catch (error) {
			return refused(error, userId);
		}
	}
};
