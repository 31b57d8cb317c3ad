import type { PageServerLoad } from './$types';
import { outboxStatus } from '$lib/server/mail/outbox';

/** The mail outbox for administrators: what waits, what failed and why, what was sent. */
export const load: PageServerLoad = async () => outboxStatus();
