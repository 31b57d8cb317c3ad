import type { PageServerLoad } from './$types';
import { env } from '$env/dynamic/public';
import * as atlas from '$lib/server/atlas';
import { config } from '$lib/server/startup';

export const load: PageServerLoad = async ({ url }) => ({
	...(await atlas.load(atlas.readAtlasQuery(url), new Date(), config().mapTilesAbove)),
	styleUrl: env.PUBLIC_BASEMAP_STYLE_URL || null
});
