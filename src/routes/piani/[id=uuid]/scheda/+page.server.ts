import type { PageServerLoad } from './$types';
import { actorOf, settings } from '$lib/server/plans/http';
import { orNotFound } from '$lib/server/plans/pages';
import * as plans from '$lib/server/plans/plans';
import { qrSvg } from '$lib/server/qr';
import { config } from '$lib/server/startup';

/**
 * The family's card, one A4 page to print and hand over (lead only; anyone else gets the plan's
 * 404): their strengths in their own words, then each place that has taken them on, with a QR
 * code opening its public page. No name, no contact details of the family.
 */
export const load: PageServerLoad = async (event) => {
	const card = await orNotFound(() => plans.familyCard(actorOf(event), event.params.id, settings()));
	const places = await Promise.all(
		card.places.map(async (place) => {
			const url = new URL(`/risorse/${encodeURIComponent(place.id)}`, config().siteOrigin).href;
			return { ...place, url, qr: await qrSvg(url) };
		})
	);
	return { card: { ...card, places } };
};
