import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { todayInRome } from '$lib/domain/dates';
import { actorOf, requireApplication } from '$lib/server/auth/access';
import { requireUser } from '$lib/server/auth/guards';
import * as pact from '$lib/server/db/pact';
import * as applicationReview from '$lib/server/pact/review';

/** One application in full, with the reviewer's three decisions. */
export const load: PageServerLoad = async (event) => {
	const application = await requireApplication(actorOf(event), event.params.id);
	return {
		application,
		history: await pact.history(application.id),
		// An organisation of the same name in the directory may mean a duplicate.
		sameName: await applicationReview.sameNameOrganizations(application.payload.organization.name, application.organization_id),
		today: todayInRome()
	};
};

async function review(event: RequestEvent, decision: 'approved' | 'rejected' | 'changes_requested') {
	const reviewer = requireUser(event);
	const form = await event.request.formData();
	const values = {
		revision: Number.parseInt(String(form.get('revision') ?? ''), 10) || 0,
		note: String(form.get('note') ?? '').slice(0, 10_000),
		signedAt: String(form.get('signed_at') ?? '').slice(0, 20),
		signedBy: String(form.get('signed_by') ?? '').slice(0, 1000)
	};
	const address = event.getClientAddress();
	const result =
		decision === 'approved'
			? await applicationReview.approve(event.params.id, reviewer, values, address)
			: await applicationReview.decide(event.params.id, reviewer, decision, values, address);
	if (!result.ok) return fail(result.problem === 'missing' ? 404 : result.problem ? 409 : 400, { decision, values, errors: result.errors, problem: result.problem ?? null });
	return { done: decision };
}

export const actions: Actions = {
	approve: (event) => review(event, 'approved'),
	reject: (event) => review(event, 'rejected'),
	changes: (event) => review(event, 'changes_requested')
};
