import type { SubmitFunction } from '@sveltejs/kit';
import { invalidateAll } from '$app/navigation';
import type { PlanFormName, PlanFormResult } from '$lib/domain/plan-forms';
import type { Translate } from '$lib/i18n/translate';

/** What the last plan form action answered, read by each section of the plan page for its own forms. */
export interface PlanAnswers {
	/** The answer, when it is for this form. */
	on(name: PlanFormName): PlanFormResult | null;
	/** The refusal in the page's language, when this form (and row, given `ref`) was refused. */
	problem(name: PlanFormName, ref?: string): string | null;
	/** Whether this form (and row, given `ref`) was saved. */
	done(name: PlanFormName, ref?: string): boolean;
}

export function planAnswers(form: unknown, t: Translate): PlanAnswers {
	const answer = (form ?? null) as PlanFormResult | null;
	const on = (name: PlanFormName) => (answer?.for === name ? answer : null);
	return {
		on,
		problem: (name, ref) => {
			const a = on(name);
			return a?.problem && (ref === undefined || a.ref === ref) ? t(`plans.problem.${a.problem}`) : null;
		},
		done: (name, ref) => Boolean(on(name)?.done && (ref === undefined || on(name)?.ref === ref))
	};
}

/**
 * Forms that edit what the page shows keep their fields (they are re-drawn from the plan).
 * On a conflict (409) the page reloads the plan first, so the person sees it as it is now,
 * next to what they typed.
 */
export const keepFields: SubmitFunction = () => async ({ result, update }) => {
	if (result.type === 'failure' && result.status === 409) await invalidateAll();
	await update({ reset: false });
};

/** Forms that add something (a note, a meeting, a referral's answer) empty themselves once it is added. */
export const clearWhenAdded: SubmitFunction = () => async ({ result, update }) => {
	if (result.type === 'failure' && result.status === 409) await invalidateAll();
	await update({ reset: result.type === 'success' });
};
