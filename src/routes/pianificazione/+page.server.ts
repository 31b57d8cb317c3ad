import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { parsePlanningView, viewHref, type PlanningView } from '$lib/domain/planning-view';
import { actorOf, orNotFound, resourcesFor, rioniView, scenarioResult, sources as planningSources } from '$lib/server/planning/pages';
import * as scenarios from '$lib/server/planning/scenarios';

/**
 * The planner's page: the rioni for the view in the address (need, metric, minutes, when,
 * audience, accepting, sort, scenario), the resources a scenario may hide, the saved scenarios,
 * and the open scenario re-run on the server (so a shared link shows its effect without JavaScript).
 */
export const load: PageServerLoad = async (event) => {
	const parsed = parsePlanningView(event.url.searchParams);
	if (!parsed.ok) error(400, `Check the address: ${parsed.field} is not valid.`);
	const view = parsed.value;
	const actor = actorOf(event);
	const open = view.scenario ? await orNotFound(() => scenarios.open(actor, view.scenario!)) : null;
	const [figures, resources, saved, result, sources] = await Promise.all([
		rioniView(view.query, actor),
		resourcesFor(view.query.need),
		scenarios.list(actor),
		open ? scenarioResult(open.body) : Promise.resolve(null),
		planningSources()
	]);
	return {
		view,
		figures,
		resources,
		saved: saved.map((s) => ({ id: s.id, name: s.name, need: s.need, by: s.created_by_name, updatedAt: s.updated_at.toISOString() })),
		scenario: open
			? { id: open.id, name: open.name, body: open.body, by: open.createdBy, updatedAt: open.updatedAt.toISOString(), result }
			: null,
		sources: sources.map((s) => ({ id: s.id, attribution: s.attribution, licence: s.licence }))
	};
};

/** Where to go after a save: the view of the address, on the scenario's own need and minutes. */
function afterSave(url: URL, id: string, body: { need: string; within: number }): string {
	const parsed = parsePlanningView(url.searchParams);
	const view: PlanningView = parsed.ok ? parsed.value : { query: { need: 'homework', within: 15, when: 'any', accepting: false }, metric: 'share_within', sort: 'gap_rank', dir: 'asc', scenario: null };
	return viewHref('/pianificazione', { ...view, query: { ...view.query, need: body.need as PlanningView['query']['need'], within: body.within as PlanningView['query']['within'] }, scenario: id });
}

async function save(event: Parameters<Actions[string]>[0], asNew: boolean) {
	const actor = actorOf(event);
	const form = await event.request.formData();
	const name = form.get('name');
	const raw = form.get('body');
	const id = asNew ? null : form.get('id');
	let body: unknown = null;
	try {
		body = typeof raw === 'string' ? JSON.parse(raw) : null;
	} catch {
		return fail(400, { problem: 'body' });
	}
	let saved: string;
	try {
		saved = await scenarios.save(actor, { id: typeof id === 'string' && id ? id : null, name: typeof name === 'string' ? name : null, body });
	} catch (problem) {
		if (problem instanceof scenarios.ScenarioError) return fail(problem.status, { problem: problem.code });
		throw problem;
	}
	const checked = scenarios.checkScenario(name, body).body;
	redirect(303, afterSave(event.url, saved, checked));
}

export const actions: Actions = {
	save: (event) => save(event, false),
	saveNew: (event) => save(event, true),
	delete: async (event) => {
		const actor = actorOf(event);
		const id = (await event.request.formData()).get('id');
		try {
			await scenarios.remove(actor, typeof id === 'string' ? id : '');
		} catch (problem) {
			if (problem instanceof scenarios.ScenarioError) return fail(problem.status, { problem: problem.code });
			throw problem;
		}
		redirect(303, '/pianificazione');
	}
};
