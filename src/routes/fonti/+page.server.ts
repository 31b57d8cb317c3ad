import type { PageServerLoad } from './$types';
import * as places from '$lib/server/db/places';

/** The public "Fonti dei dati" page: every source with its licence, credit line and website. */
export const load: PageServerLoad = async () => ({
	dataSources: (await places.listSources()).map((s) => ({ id: s.id, name: s.name, licence: s.licence, url: s.url, attribution: s.attribution }))
});
