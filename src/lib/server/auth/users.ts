import { z } from 'zod';
import * as accounts from '../db/accounts';
import * as audit from '../db/audit';
import { checkNewPassword, hashPassword, type PasswordProblem } from './password';
import { displayName } from '../../domain/accounts';

/**
 * Creating accounts (the `npm run admin` command, and pact applicants through pact/submit.ts):
 * the checks a person can act on, then one transaction for the user and its memberships.
 */
export const ROLES = ['admin', 'worker', 'planner', 'partner'] as const satisfies readonly accounts.Role[];

export class AccountError extends Error {
	constructor(
		readonly code: 'email' | 'name' | 'role' | 'exists' | 'organization' | PasswordProblem,
		message: string
	) {
		super(message);
	}
}

const email = z.string().trim().toLowerCase().max(254).email();

export function passwordMessage(problem: PasswordProblem): string {
	return {
		too_short: 'The password must have at least 12 characters.',
		too_long: 'The password may have at most 256 characters.',
		common: 'This password is among the most common ones: choose another.',
		contextual: 'The password must not be built on your name or on the words of this service.'
	}[problem];
}

/** A new account checked and ready to insert: the email normalised, the password hashed. */
export interface PreparedAccount {
	email: string;
	role: accounts.Role;
	passwordHash: string;
	/** The display name shown to other staff instead of the email (none: the email is shown). */
	name?: string | null;
}

/**
 * The checks every new account passes (email, role, password policy, no account with that email
 * yet), then the password hashed — outside any transaction, since hashing is slow on purpose.
 * Throws an {@link AccountError} naming the first problem. The database's unique email still
 * decides a race between two sign-ups.
 */
export async function prepareAccount(input: { email: string; role: string; password: string }): Promise<PreparedAccount> {
	const parsedEmail = email.safeParse(input.email);
	if (!parsedEmail.success) throw new AccountError('email', `"${input.email}" is not an email address.`);
	if (!(ROLES as readonly string[]).includes(input.role)) throw new AccountError('role', `Unknown role "${input.role}": use one of ${ROLES.join(', ')}.`);
	const problem = checkNewPassword(input.password, parsedEmail.data);
	if (problem) throw new AccountError(problem, passwordMessage(problem));
	if (await accounts.findByEmail(parsedEmail.data)) throw new AccountError('exists', `An account for ${parsedEmail.data} exists already.`);
	return { email: parsedEmail.data, role: input.role as accounts.Role, passwordHash: await hashPassword(input.password) };
}

/**
 * The one organisation whose id or exact name is `idOrName` (the `--org` of `npm run admin`, the
 * organisation added by name on /admin/utenti); an {@link AccountError} when none or several are.
 */
export async function organizationByName(idOrName: string): Promise<string> {
	const found = await accounts.findOrganizations(idOrName);
	if (found.length !== 1) {
		throw new AccountError(
			'organization',
			found.length === 0
				? `No organisation has the id or exact name "${idOrName}".`
				: `Several organisations are named "${idOrName}": give the id (${found.map((o) => o.id).join(', ')}).`
		);
	}
	return found[0]!.id;
}

export async function createUser(input: {
	email: string;
	role: string;
	password: string;
	/** The display name shown to other staff instead of the email (optional for the first administrator). */
	name?: string;
	/** Organisation id or exact name (partners must have one here; applicants get theirs on approval). */
	organization?: string;
	organizationRole?: accounts.OrganizationRole;
	createdBy?: string;
}): Promise<accounts.User> {
	const parsedName = input.name?.trim() ? displayName.safeParse(input.name) : null;
	if (parsedName && !parsedName.success) throw new AccountError('name', 'The name must have at most 120 characters, without control characters or angle brackets.');
	const name = parsedName?.data ?? null;
	const prepared = { ...(await prepareAccount(input)), name };
	let organizations: { id: string; role: accounts.OrganizationRole }[] = [];
	if (input.organization) {
		organizations = [{ id: await organizationByName(input.organization), role: input.organizationRole ?? 'editor' }];
	} else if (input.role === 'partner') {
		throw new AccountError('organization', 'A partner account needs its organisation: give --org with its id or exact name.');
	}
	const user = await accounts.create(prepared, organizations);
	await audit.record({
		actorEmail: input.createdBy ?? null,
		action: 'user.created',
		subjectType: 'user',
		subjectId: user.id,
		detail: { role: user.role, organizations: organizations.map((o) => o.id) }
	});
	return user;
}
