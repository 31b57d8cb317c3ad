import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { env as publicEnv } from '$env/dynamic/public';
import { config } from '$lib/server/startup';
import * as help from '$lib/server/help';

export const load: PageServerLoad = async ({ url, setHeaders }) => {
	// The page shows a family's needs and where they start from: no cache, shared or private, keeps it.
	setHeaders({ 'cache-control': 'private, no-store' });
	const view = await help.load(url, { servedMarginM: config().servedMarginM });
	if ('redirect' in view) redirect(303, view.redirect);
	return { ...view, styleUrl: publicEnv.PUBLIC_BASEMAP_STYLE_URL || null };
};
