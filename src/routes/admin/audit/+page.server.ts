import type { PageServerLoad } from './$types';
import * as audit from '$lib/server/db/audit';

export const load: PageServerLoad = async ({ url }) => {
	const action = url.searchParams.get('action')?.trim().slice(0, 60) || undefined;
	return { action: action ?? '', events: await audit.list({ action, limit: 300 }) };
};
