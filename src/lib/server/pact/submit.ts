import type { ApplicationPayload, ApplicationValues } from '../../domain/pact-application';
import type { FieldProblems, ProblemCode } from '../../domain/problems';
import { optionalEmail } from '../../domain/records';
import { checkNewPassword, hashPassword } from '../auth/password';
import { AccountError, prepareAccount, type PreparedAccount } from '../auth/users';
import * as accounts from '../db/accounts';
import type { User } from '../db/accounts';
import * as audit from '../db/audit';
import { sql, type TransactionSql } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import * as pact from '../db/pact';
import { applicationSubmitted } from '../mail/notices';
import { wake } from '../mail/outbox';
import { validate, type ValidationOptions } from './validate';

/**
 * Joining the pact: submitting an application (with a new account when the applicant has none)
 * and resubmitting it after the reviewer asked for changes. Nothing is written unless everything
 * is valid, with the values kept; each submission is one transaction, opened here (the SQL is
 * db/pact.ts's), with its audit events and the administrators' notice.
 */

/**
 * Sign-ups an address may attempt through the form in an hour, whether they open an account or
 * name an address that has one already: enough for an office, not for a script (nor for probing
 * which addresses have accounts).
 */
export const NEW_ACCOUNTS_PER_ADDRESS_PER_HOUR = 5;

/** The account part of a new applicant's form: problems keyed like the other fields. */
function checkAccountFields(email: string, password: string, confirm: string): FieldProblems {
	const errors: FieldProblems = {};
	const address = email.trim().toLowerCase();
	if (!address) errors['account.email'] = 'required';
	else if (!optionalEmail().safeParse(address).success) errors['account.email'] = 'email';
	const problem = checkNewPassword(password, address);
	if (problem) errors['account.password'] = `password_${problem}` as const;
	else if (password !== confirm) errors['account.confirm'] = 'password_mismatch';
	return errors;
}

export type SubmitResult =
	| { ok: true; applicationId: string; user: User; newAccount: boolean }
	// A new applicant's email has an account already: nothing was created. The route answers
	// exactly as for a new account, so the form does not tell who has one.
	| { ok: true; applicationId: null; user: null; newAccount: false }
	| { ok: false; errors: FieldProblems; problem?: 'throttled' | 'open_application' | 'not_applicant' };

export interface SubmitContext extends ValidationOptions {
	/** The signed-in person, or null for a new applicant (who gets an account). */
	user: User | null;
	/** The client's address: audited, and limits how many accounts one address opens. */
	address: string;
}

/**
 * A new application. A new applicant's account (role partner, no organisation yet) and the
 * application are written in one transaction: if either fails, neither exists. A signed-in
 * partner applies again only when no application of theirs is open.
 */
export async function submit(
	values: ApplicationValues,
	passwords: { password: string; confirm: string },
	context: SubmitContext
): Promise<SubmitResult> {
	if (context.user && context.user.role !== 'partner') return { ok: false, errors: {}, problem: 'not_applicant' };
	if (context.user && (await pact.openFor(context.user.id))) return { ok: false, errors: {}, problem: 'open_application' };
	const checked = await validate(values, context);
	// In the form's order: the application, the account, the declaration last.
	const { declaration, ...applicationErrors } = checked.ok ? {} : checked.errors;
	const errors: FieldProblems = {
		...applicationErrors,
		...(context.user ? {} : checkAccountFields(values.account.email, passwords.password, passwords.confirm)),
		...(declaration ? { declaration } : {})
	};
	if (Object.keys(errors).length > 0 || !checked.ok) return { ok: false, errors };

	if (context.user) {
		const applicationId = await createForUser(context.user, checked.payload, context.address);
		wake();
		if (!applicationId) return { ok: false, errors: {}, problem: 'open_application' };
		return { ok: true, applicationId, user: context.user, newAccount: false };
	}

	if ((await pact.recentSignUps(context.address, 60)) >= NEW_ACCOUNTS_PER_ADDRESS_PER_HOUR) return { ok: false, errors: {}, problem: 'throttled' };
	let prepared;
	try {
		prepared = await prepareAccount({ email: values.account.email, role: 'partner', password: passwords.password });
	} catch (error) {
		if (error instanceof AccountError && error.code === 'exists') {
			// As long as a new account takes (the password hashed), so timing does not tell either.
			await hashPassword(passwords.password);
			return knownAddress(values.account.email, context.address);
		}
		if (error instanceof AccountError) return { ok: false, errors: { [error.code === 'email' ? 'account.email' : 'account.password']: accountErrorCode(error) } };
		throw error;
	}
	// The contact person's name is the account's display name, shown to staff instead of the email.
	const created = await createWithAccount({ account: { ...prepared, name: checked.payload.contact.name.trim().slice(0, 120) || null }, payload: checked.payload, address: context.address });
	wake();
	// Another request took the address between the check and the insert.
	if (!created) return knownAddress(prepared.email, context.address);
	return { ok: true, applicationId: created.applicationId, user: created.user, newAccount: true };
}

/** The administrators are told an application waits (in the submission's transaction). */
const tellAdministrators = (tx: TransactionSql, applicationId: string) => applicationSubmitted(tx, applicationId);

/**
 * A new applicant: their account (role partner, no organisation yet) and their application, in
 * one transaction. Returns null when the email was taken meanwhile (nothing is written then).
 */
export async function createWithAccount(input: { account: PreparedAccount; payload: ApplicationPayload; address: string }): Promise<{ user: User; applicationId: string } | null> {
	try {
		return await sql.begin(async (tx) => {
			const user = await accounts.create(input.account, [], tx);
			const applicationId = await pact.insertApplication(tx, user.id, input.payload);
			await audit.record({ actorId: user.id, actorEmail: user.email, action: 'user.created', subjectType: 'user', subjectId: user.id, address: input.address, detail: { role: user.role, via: 'pact_application' } }, tx);
			await audit.record({ actorId: user.id, actorEmail: user.email, action: 'pact.application.submitted', subjectType: 'pact_application', subjectId: applicationId, address: input.address, detail: { new_account: true } }, tx);
			await tellAdministrators(tx, applicationId);
			return { user, applicationId };
		});
	} catch (error) {
		if (isUniqueViolation(error, accounts.EMAIL_KEY)) return null;
		throw error;
	}
}

/** A signed-in applicant's new application; null when one of theirs is open already. */
async function createForUser(user: User, payload: ApplicationPayload, address: string): Promise<string | null> {
	try {
		return await sql.begin(async (tx) => {
			const id = await pact.insertApplication(tx, user.id, payload);
			await audit.record({ actorId: user.id, actorEmail: user.email, action: 'pact.application.submitted', subjectType: 'pact_application', subjectId: id, address, detail: { new_account: false } }, tx);
			await tellAdministrators(tx, id);
			return id;
		});
	} catch (error) {
		if (isUniqueViolation(error, pact.ONE_OPEN_APPLICATION_INDEX)) return null;
		throw error;
	}
}

/** A sign-up naming an address that has an account: nothing created, the attempt audited (and counted). */
async function knownAddress(email: string, address: string): Promise<SubmitResult> {
	await audit.record({ actorEmail: email.trim().toLowerCase(), action: 'pact.signup.known_address', subjectType: 'user', address });
	return { ok: true, applicationId: null, user: null, newAccount: false };
}

function accountErrorCode(error: AccountError): ProblemCode {
	if (error.code === 'email') return 'email';
	// 'exists' never gets here: submit answers it like a new account (see knownAddress).
	if (error.code === 'role' || error.code === 'organization' || error.code === 'exists' || error.code === 'name') return 'invalid';
	return `password_${error.code}`;
}

export type ResubmitResult = { ok: true } | { ok: false; errors: FieldProblems; problem?: 'not_editable' };

/** The applicant's changed application, when the reviewer asked for changes: back to review. */
export async function resubmit(user: User, applicationId: string, values: ApplicationValues, context: ValidationOptions & { address: string }): Promise<ResubmitResult> {
	const current = await pact.getForApplicant(applicationId, user.id);
	if (!current || current.status !== 'changes_requested') return { ok: false, errors: {}, problem: 'not_editable' };
	const checked = await validate(values, context);
	if (!checked.ok) return checked;
	const done = await sql.begin(async (tx) => {
		if (!(await pact.resubmit(tx, { id: applicationId, applicantId: user.id, payload: checked.payload }))) return false;
		await audit.record({ actorId: user.id, actorEmail: user.email, action: 'pact.application.resubmitted', subjectType: 'pact_application', subjectId: applicationId, address: context.address }, tx);
		await tellAdministrators(tx, applicationId);
		return true;
	});
	wake();
	return done ? { ok: true } : { ok: false, errors: {}, problem: 'not_editable' };
}
