import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { todayInRome } from '$lib/domain/dates';
import { parsePlanningView } from '$lib/domain/planning-view';
import { actorOf, rioniView, sources } from '$lib/server/planning/pages';

/** The printable A4 report of a view: static map, legend, table, method, sources and dates. */
export const load: PageServerLoad = async (event) => {
	const parsed = parsePlanningView(event.url.searchParams);
	if (!parsed.ok) error(400, `Check the address: ${parsed.field} is not valid.`);
	const [figures, list] = await Promise.all([rioniView(parsed.value.query, actorOf(event)), sources()]);
	return {
		view: parsed.value,
		figures,
		today: todayInRome(),
		sources: list.map((s) => ({ id: s.id, attribution: s.attribution, licence: s.licence, url: s.url }))
	};
};
