import { error, fail, isHttpError, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { field, type PlanFormName, type PlanFormResult, type PlanFormValues } from '../../domain/plan-forms';
import { inputProblem } from '../db/errors';
import { actorOf } from './http';
import { PlanError } from './errors';
import { sendReferralMessage, setReferralStatus } from './referrals';

/**
 * The plan pages' plumbing (the JSON API has its own in http.ts): a plan that is missing or not
 * shared with the person is a plain 404 page; a refusal from the plan module becomes the form's
 * problem, in the person's language, with what they typed kept.
 */

/** Runs a load; "no such plan, or not yours" (404, or 403 for a lead-only read) is the 404 page. */
export async function orNotFound<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (problem) {
		if ((problem instanceof PlanError || isHttpError(problem)) && (problem.status === 404 || problem.status === 403)) error(404, 'Not found');
		throw problem;
	}
}

export type PlanActionAnswer = PlanFormResult | ActionFailure<PlanFormResult>;

/**
 * Runs a form action's call into the plan module. `problems` names the message for each refusal
 * code or status this form can meet (the plan module's own words are English and technical); any other
 * 400 is "check what you wrote".
 */
export async function act(
	form: PlanFormName,
	values: Partial<PlanFormValues>,
	run: () => Promise<unknown>,
	problems: Partial<Record<400 | 403 | 409 | string, string>> = {},
	ref?: string
): Promise<PlanActionAnswer> {
	try {
		await run();
		return { for: form, done: true, ref };
	} catch (problem) {
		// Refused by auth/access.ts: not found, or (403) only the lead may do this.
		if (isHttpError(problem)) {
			if (problem.status !== 403) error(404, 'Not found');
			return fail(403, { for: form, problem: problems[403] ?? 'forbidden', values, ref });
		}
		if (!(problem instanceof PlanError)) {
			// A database error caused by input (db/errors.ts) is "check what you wrote", not a 500.
			const input = inputProblem(problem);
			if (input) return fail(input.status, { for: form, problem: input.status === 409 ? 'conflict' : 'invalid', values, ref });
			throw problem;
		}
		if (problem.status === 404) error(404, 'Not found');
		if (problem.status === 503) return fail(503, { for: form, problem: 'unavailable', values, ref });
		// The refusal the plan module named (renamed for this form if asked), then the status's message.
		const key =
			(problem.code ? (problems[problem.code] ?? problem.code) : undefined) ??
			problems[problem.status] ??
			(problem.status === 403 ? 'forbidden' : problem.status === 409 ? 'conflict' : 'invalid');
		return fail(problem.status, { for: form, problem: key, values, ref });
	}
}

/** A refusal found before calling the plan module (a missing field, a bad date). */
export function refuse(form: PlanFormName, problem: string, values: Partial<PlanFormValues>, ref?: string): ActionFailure<PlanFormResult> {
	return fail(400, { for: form, problem, values, ref });
}

/**
 * The referral answer form (accept, decline with a reason and a code, close), the same on the plan
 * page (the lead) and in a partner's inbox (the receiving organisation): the plan module decides
 * who may take which step.
 */
export async function answerReferral(event: RequestEvent): Promise<PlanActionAnswer> {
	const form = await event.request.formData();
	const values = { referral_id: field(form, 'referral_id'), status: field(form, 'status'), note: field(form, 'note'), decline_code: field(form, 'decline_code') };
	// The decline code goes with a decline only: the same form also accepts or closes.
	const declineCode = values.status === 'declined' ? values.decline_code : '';
	const input = { status: values.status, ...(values.note ? { note: values.note } : {}), ...(declineCode ? { decline_code: declineCode } : {}) };
	// The plan module checks the answer (referral-rules.ts) and names what is missing.
	return act('referral', values, () => setReferralStatus(actorOf(event), values.referral_id, input), { 409: 'referralStep' }, values.referral_id);
}

/** A message on a referral's thread, from the plan page (the lead) or the inbox (the organisation). */
export async function sendMessage(event: RequestEvent): Promise<PlanActionAnswer> {
	const form = await event.request.formData();
	const values = { referral_id: field(form, 'referral_id'), text: field(form, 'text') };
	return act('message', values, () => sendReferralMessage(actorOf(event), values.referral_id, { text: values.text }), {}, values.referral_id);
}
