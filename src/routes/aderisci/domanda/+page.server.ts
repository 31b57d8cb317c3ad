import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import * as pact from '$lib/server/db/pact';

/** The signed-in applicant's own application: its state, the reviewer's words, its history. Nobody else's. */
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const [current, ...earlier] = await pact.listForApplicant(user.id);
	return {
		sent: event.url.searchParams.has('sent'),
		application: current
			? {
					id: current.id,
					status: current.status,
					payload: current.payload,
					review_note: current.review_note,
					reviewed_at: current.reviewed_at,
					signed_at: current.signed_at,
					organization_id: current.organization_id,
					submitted_at: current.submitted_at,
					created_at: current.created_at
				}
			: null,
		history: current ? await pact.history(current.id) : [],
		earlier: earlier.map((a) => ({ id: a.id, status: a.status, name: a.payload.organization.name, created_at: a.created_at }))
	};
};
