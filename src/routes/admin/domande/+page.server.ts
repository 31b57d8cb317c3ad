import type { PageServerLoad } from './$types';
import { APPLICATION_STATUSES, type ApplicationStatus } from '$lib/domain/pact-application';
import * as pact from '$lib/server/db/pact';

/** Applications to join the pact, by status: those waiting for a review first, oldest first. */
export const load: PageServerLoad = async ({ url }) => {
	const asked = url.searchParams.get('status');
	const status: ApplicationStatus | null = asked === 'all' ? null : APPLICATION_STATUSES.find((s) => s === asked) ?? 'submitted';
	return { status: status ?? 'all', counts: await pact.countByStatus(), applications: await pact.list(status) };
};
