import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { formOf } from '$lib/server/input';
import * as page from '$lib/server/imports/page';
import { config } from '$lib/server/startup';

/**
 * Imports of directory records from a file (issue 15): upload and see the report on a map and a
 * table (nothing is written), fix rows in the preview and check again, commit all or nothing.
 * Each step answers with the preview too, so the page works without JavaScript (with it, the page
 * keeps its own preview and takes only the report).
 * The work is in server/imports (page.ts for this page's plumbing).
 */
export const load: PageServerLoad = async () => page.overview();

const margin = () => config().servedMarginM;

export const actions: Actions = {
	read: async (event) => {
		requireUser(event);
		const form = await formOf(event.request);
		const source = page.sourceValues(form);
		const answer = await page.read(form, margin());
		if (!answer.ok) return fail(400, { step: 'read' as const, source, fileProblem: answer.fileProblem ?? null, sourceProblems: answer.sourceProblems });
		return { step: 'preview' as const, source, preview: answer };
	},
	check: async (event) => {
		requireUser(event);
		const form = await formOf(event.request);
		const answer = await page.check(form, margin());
		if (!answer) return fail(400, { step: 'read' as const, source: page.sourceValues(form), fileProblem: 'unreadable' as const, sourceProblems: [] });
		return { step: 'checked' as const, source: page.sourceValues(form), report: answer.report, preview: answer.preview };
	},
	commit: async (event) => {
		const admin = requireUser(event);
		const form = await formOf(event.request);
		const source = page.sourceValues(form);
		const answer = await page.commit(form, { id: admin.id, email: admin.email }, margin(), event.getClientAddress());
		if (!answer) return fail(400, { step: 'read' as const, source, fileProblem: 'unreadable' as const, sourceProblems: [] });
		if (!answer.ok) return fail(400, { step: 'refused' as const, source, sourceProblems: answer.sourceProblems, report: answer.report, preview: answer.preview });
		const { preview, ...done } = answer;
		return { step: 'done' as const, source, done, preview };
	}
};
