import type { z } from 'zod';
import { inviteSchema, SELF_RESET_VALID_MS, userPatchSchema } from '../../domain/accounts';
import { handleApi } from '../api/http';
import type { User } from '../db/accounts';
import * as accounts from '../db/accounts';
import * as audit from '../db/audit';
import { sql } from '../db/client';
import * as notices from '../mail/notices';
import * as outbox from '../mail/outbox';
import { readJsonBody } from '../input';
import { issueLink, linkPath, linkUrl } from './account-links';
import { AccountError, organizationByName as lookUpOrganization } from './users';

/**
 * Staff accounts managed from the browser (/admin/utenti) and the JSON API (/api/admin/users):
 * invite, change role, memberships, name, language, disable and re-enable, reset a password, and
 * the "forgotten password" request by email. Each change is one transaction with its audit row;
 * emails are queued in it (mail/outbox.ts) and carry only the link.
 */
export class UserAdminError extends Error {
	constructor(
		readonly status: 400 | 404 | 409,
		message: string,
		readonly field?: string
	) {
		super(message);
		this.name = 'UserAdminError';
	}
}

export interface AdminActor {
	user: User;
	address: string;
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
	const parsed = schema.safeParse(input);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		const field = issue.path.join('.') || undefined;
		throw new UserAdminError(400, `${field ? `${field}: ` : ''}${issue.message}`, field);
	}
	return parsed.data;
}

async function checkOrganizations(tx: Parameters<typeof accounts.organizationsExist>[0], ids: string[]): Promise<void> {
	const found = new Set(await accounts.organizationsExist(tx, ids));
	const missing = ids.filter((id) => !found.has(id));
	if (missing.length > 0) throw new UserAdminError(400, `organizations: no organisation has the id ${missing[0]}`, 'organizations');
}

/**
 * Invites a person: the account without a password, its memberships, a single-use link valid 7
 * days (returned for the administrator to copy, and emailed when mail is configured).
 */
export async function invite(actor: AdminActor, input: unknown, now: Date = new Date()): Promise<{ id: string; invitation_url: string; emailed: boolean }> {
	const invitation = parse(inviteSchema, input);
	const result = await sql.begin(async (tx) => {
		await checkOrganizations(tx, invitation.organizations.map((o) => o.id));
		if (await accounts.findByEmail(invitation.email, tx)) throw new UserAdminError(409, `email: an account for ${invitation.email} exists already`, 'email');
		const user = await accounts.createInvited(tx, invitation, invitation.organizations);
		const token = await issueLink(tx, user.id, 'invitation', { createdBy: actor.user.id, now });
		const emailed = (await notices.accountLink(tx, { email: user.email, locale: invitation.locale }, 'invitation', linkPath(token), now)) > 0;
		await audit.record(
			{
				actorId: actor.user.id,
				actorEmail: actor.user.email,
				action: 'user.invited',
				subjectType: 'user',
				subjectId: user.id,
				address: actor.address,
				detail: { role: user.role, organizations: invitation.organizations.map((o) => o.id), emailed }
			},
			tx
		);
		return { id: user.id, invitation_url: linkUrl(token), emailed };
	});
	outbox.wake();
	return result;
}

/**
 * Changes an account. Disabling ends its sessions at once; the last active administrator can be
 * neither disabled nor given another role (nobody could undo it from the browser).
 */
export async function updateUser(actor: AdminActor, userId: string, input: unknown, now: Date = new Date()): Promise<void> {
	const patch = parse(userPatchSchema, input);
	await sql.begin(async (tx) => {
		const user = await accounts.lockForUpdate(tx, userId);
		if (!user) throw new UserAdminError(404, 'Not found');
		const role = patch.role ?? user.role;
		const losesAdmin = user.role === 'admin' && !user.disabled && (role !== 'admin' || patch.disabled === true);
		if (losesAdmin && (await accounts.activeAdminCount(tx)) <= 1) {
			throw new UserAdminError(409, 'This is the last active administrator: make another administrator first.', patch.disabled ? 'disabled' : 'role');
		}
		if (patch.organizations) await checkOrganizations(tx, patch.organizations.map((o) => o.id));
		const organizations = patch.organizations ?? (role === 'partner' ? null : []);
		if (role === 'partner' && patch.organizations?.length === 0) throw new UserAdminError(400, 'organizations: a partner account needs at least one organisation', 'organizations');
		if (role !== 'partner' && patch.organizations && patch.organizations.length > 0) {
			throw new UserAdminError(400, 'organizations: only partner accounts belong to organisations', 'organizations');
		}
		await accounts.update(tx, userId, patch, now);
		if (organizations) await accounts.replaceMemberships(tx, userId, organizations);
		if (patch.disabled === true || (patch.role && patch.role !== user.role)) await accounts.endSessions(tx, userId);
		await audit.record(
			{
				actorId: actor.user.id,
				actorEmail: actor.user.email,
				action: 'user.updated',
				subjectType: 'user',
				subjectId: userId,
				address: actor.address,
				detail: { ...patch, organizations: patch.organizations?.map((o) => `${o.id}:${o.role}`) }
			},
			tx
		);
	});
}

/** An administrator's password reset: a new single-use link (7 days), emailed when mail is configured. */
export async function resetByAdmin(actor: AdminActor, userId: string, now: Date = new Date()): Promise<{ reset_url: string; emailed: boolean }> {
	const result = await sql.begin(async (tx) => {
		const user = await accounts.lockForUpdate(tx, userId);
		if (!user) throw new UserAdminError(404, 'Not found');
		if (user.disabled) throw new UserAdminError(409, 'The account is disabled: enable it first.', 'disabled');
		const token = await issueLink(tx, user.id, 'reset', { createdBy: actor.user.id, now });
		const emailed = (await notices.accountLink(tx, { email: user.email, locale: user.locale }, 'reset', linkPath(token), now)) > 0;
		await audit.record(
			{ actorId: actor.user.id, actorEmail: actor.user.email, action: 'user.reset_issued', subjectType: 'user', subjectId: user.id, address: actor.address, detail: { emailed } },
			tx
		);
		return { reset_url: linkUrl(token), emailed };
	});
	outbox.wake();
	return result;
}

/**
 * "Password dimenticata": when mail is configured and the address has an account in use, a reset
 * link valid one hour is emailed (at most one per account every 15 minutes). The caller answers
 * the same in every case, so the page tells nobody whether an address has an account.
 */
export async function forgotPassword(emailInput: string, address: string, now: Date = new Date()): Promise<void> {
	if (!outbox.mailEnabled()) return;
	const email = emailInput.trim().toLowerCase().slice(0, 254);
	const user = await accounts.findByEmail(email);
	if (!user || user.disabled) return;
	if (await accounts.recentSelfReset(user.id, new Date(now.getTime() - 15 * 60_000))) return;
	await sql.begin(async (tx) => {
		const locked = await accounts.lockForUpdate(tx, user.id);
		const token = await issueLink(tx, user.id, 'reset', { createdBy: null, validMs: SELF_RESET_VALID_MS, now });
		await notices.accountLink(tx, { email: user.email, locale: locked!.locale }, 'reset', linkPath(token), now);
		await audit.record({ actorId: user.id, actorEmail: user.email, action: 'user.reset_requested', subjectType: 'user', subjectId: user.id, address }, tx);
	});
	outbox.wake();
}

export const listUsers = () => accounts.list();

export const organizationChoices = () => accounts.organizationChoices();

/** An organisation by its id or exact name (the page's field; users.ts looks it up), or a 400 naming the field. */
export async function organizationByName(idOrName: string, field: string): Promise<string> {
	try {
		return await lookUpOrganization(idOrName);
	} catch (error) {
		if (error instanceof AccountError) throw new UserAdminError(400, `${field}: ${error.message}`, field);
		throw error;
	}
}

/** Ends every session of an account at once (a lost phone, a person leaving); audited with the count. */
export async function revokeSessions(actor: AdminActor, userId: string): Promise<{ email: string; count: number }> {
	const target = await accounts.get(userId);
	if (!target) throw new UserAdminError(404, 'Not found');
	const count = await accounts.deleteUserSessions(target.id);
	await audit.record({
		actorId: actor.user.id,
		actorEmail: actor.user.email,
		action: 'session.revoked',
		subjectType: 'user',
		subjectId: target.id,
		address: actor.address,
		detail: { count }
	});
	return { email: target.email, count };
}

/** The JSON API's plumbing (/api/admin/users), on the shared handling (api/http.ts): never cached, errors as `{ "error", "field"? }`. */
export function usersApi(run: () => Promise<Response>): Promise<Response> {
	return handleApi(run, { name: 'users API', problemOf: (error) => (error instanceof UserAdminError ? error : null) });
}

export function jsonBody(request: Request): Promise<unknown> {
	return readJsonBody(request, (message) => new UserAdminError(400, message));
}
