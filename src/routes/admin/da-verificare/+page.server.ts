import type { PageServerLoad } from './$types';
import { STALE_AFTER_MONTHS } from '$lib/domain/record-changes';
import * as partner from '$lib/server/db/partner';

export const load: PageServerLoad = async () => ({ months: STALE_AFTER_MONTHS, organizations: await partner.staleRecords() });
