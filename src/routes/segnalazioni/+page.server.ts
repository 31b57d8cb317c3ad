import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/plans/http';
import { answerReferral, sendMessage } from '$lib/server/plans/pages';
import * as plans from '$lib/server/plans/plans';

/**
 * A partner organisation's inbox: the referrals sent to it, on plans it takes part in, each with
 * the answers it may give now. Households appear by pseudonymous code only. The plan module checks
 * each answer (a decline needs its reason) and names what it refuses.
 */
export const load: PageServerLoad = async (event) => {
	const rows = await plans.inbox(actorOf(event));
	return { referrals: rows.map((r) => ({ ...r, steps: plans.nextReferralStatuses(r.status, 'partner') })) };
};

export const actions = {
	status: answerReferral,
	message: sendMessage
} satisfies Actions;
