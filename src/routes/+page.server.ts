import type { PageServerLoad } from './$types';
import * as publicApi from '$lib/server/api/public';

export const load: PageServerLoad = async () => {
	const neighbourhoods = await publicApi.neighbourhoodCollection();
	return {
		neighbourhoods: neighbourhoods.features.map((f) => ({ name: f.properties.name, total: f.properties.total })),
		categories: publicApi.categoryList()
	};
};
