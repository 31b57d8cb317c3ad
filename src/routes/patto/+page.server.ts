import type { PageServerLoad } from './$types';
import * as pact from '$lib/server/db/pact';

/** The public list of the pact's signatories and their commitments. */
export const load: PageServerLoad = async () => ({ signatories: await pact.signatories() });
