import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { BOUNDARY_LIMITS, type Problem } from '$lib/domain/territory';
import { requireUser } from '$lib/server/auth/guards';
import { formOf } from '$lib/server/input';
import * as boundaries from '$lib/server/territory/boundaries';

/**
 * Replacing the rioni's boundaries: upload a GeoJSON, see what it changes on a map (nothing is
 * written), confirm with the same file (see server/territory/boundaries.ts for why it travels twice).
 */
export const load: PageServerLoad = async () => {
	const current = await boundaries.current();
	return {
		rioni: current.map(({ name, derived, source }) => ({ name, derived, source })),
		history: await boundaries.history(),
		maxKb: Math.round(BOUNDARY_LIMITS.bytes / 1000)
	};
};

const field = (form: FormData, name: string, max: number) => {
	const value = form.get(name);
	return typeof value === 'string' ? value.slice(0, max) : '';
};

/** The uploaded file's text, or the problem with it (missing, too large, not UTF-8 text). */
async function fileText(form: FormData): Promise<{ ok: true; text: string } | { ok: false; problems: Problem[] }> {
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) return { ok: false, problems: [{ field: 'file', code: 'noFile' }] };
	if (file.size > BOUNDARY_LIMITS.bytes) return { ok: false, problems: [{ field: 'file', code: 'tooLarge', values: { max: Math.round(BOUNDARY_LIMITS.bytes / 1000) } }] };
	try {
		return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer()) };
	} catch {
		return { ok: false, problems: [{ field: 'file', code: 'notJson' }] };
	}
}

/** What the page shows of a preview: the diff, the two hidden fields, and the new rioni for the map. */
function shown(preview: boundaries.Preview) {
	const state = (name: string) => (preview.diff.added.includes(name) ? 'added' : preview.diff.changed.includes(name) ? 'changed' : 'unchanged');
	return {
		diff: preview.diff,
		digest: preview.digest,
		basis: preview.basis,
		serviceAreasLost: preview.serviceAreasLost,
		blockers: preview.blockers,
		incoming: {
			type: 'FeatureCollection' as const,
			features: preview.features.map((f) => ({ type: 'Feature' as const, properties: { name: f.name, state: state(f.name) }, geometry: f.geometry }))
		}
	};
}

export const actions: Actions = {
	preview: async (event) => {
		requireUser(event);
		const form = await formOf(event.request);
		const values = { source_name: '', licence: '' };
		if (!form) return fail(400, { step: 'preview' as const, values, problems: [{ field: 'file', code: 'noFile' }] as Problem[] });
		const file = await fileText(form);
		if (!file.ok) return fail(400, { step: 'preview' as const, values, problems: file.problems });
		const result = await boundaries.preview(file.text);
		if (!result.ok) return fail(400, { step: 'preview' as const, values, problems: result.problems });
		return { step: 'preview' as const, values, preview: shown(result.preview) };
	},
	apply: async (event) => {
		const admin = requireUser(event);
		const form = await formOf(event.request);
		const values = { source_name: form ? field(form, 'source_name', 300) : '', licence: form ? field(form, 'licence', 200) : '' };
		if (!form) return fail(400, { step: 'apply' as const, values, problems: [{ field: 'file', code: 'noFile' }] as Problem[] });
		const file = await fileText(form);
		if (!file.ok) return fail(400, { step: 'apply' as const, values, problems: file.problems });
		const result = await boundaries.apply(
			admin,
			{ text: file.text, digest: field(form, 'digest', 100), basis: field(form, 'basis', 100), ...values },
			event.getClientAddress()
		);
		if (!result.ok) {
			// Show the file's preview again (as it compares now), so the form and its problems stay in view.
			const again = await boundaries.preview(file.text);
			const status = result.problems.some((p) => p.code === 'stale') ? 409 : 400;
			return fail(status, { step: 'apply' as const, values, problems: result.problems, preview: again.ok ? shown(again.preview) : null });
		}
		return { step: 'done' as const, values, applied: { diff: result.diff, archived: result.archived } };
	}
};
