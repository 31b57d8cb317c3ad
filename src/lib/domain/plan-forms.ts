import { isInt32, isPlausibleDate } from './dates';
import { UUID } from './ids';
import { NEED_CODES } from './taxonomy';

/**
 * The support plan's HTML forms, read into the shapes `src/lib/server/plans/plans.ts` takes, and
 * written back into the forms when something went wrong (the person's typed values are kept).
 * Pure: shared by the pages' server actions and their components, tested on its own.
 */

export const STRENGTH_KINDS = ['skill', 'relationship', 'time', 'offer', 'other'] as const;
export const PLAN_STATUSES = ['draft', 'active', 'under_review', 'closed'] as const;
export const REFERRAL_STATUSES = ['sent', 'accepted', 'declined', 'in_progress', 'completed', 'closed_no_outcome'] as const;

export interface StrengthRow {
	kind: string;
	text: string;
}
export interface NeedRow {
	need: string;
	words: string;
}
/** A goal as its form row holds it; `mine` marks a row kept from the person's edit after a conflict. */
export interface GoalRow {
	text: string;
	due_on: string;
	done: boolean;
	mine?: boolean;
}
/** `who`: '' (nobody yet), 'family', or an organisation id. */
export interface ActionRow {
	text: string;
	who: string;
	due_on: string;
	done: boolean;
	mine?: boolean;
}

/** Every field any plan form sends (names are distinct across forms). */
export interface PlanFormValues {
	name: string;
	phone: string;
	address: string;
	notes: string;
	neighbourhood: string;
	strengths: StrengthRow[];
	needs: NeedRow[];
	goals: GoalRow[];
	actions: ActionRow[];
	status: string;
	outcome: string;
	given_on: string;
	document_ref: string;
	scope: string[];
	organization_id: string;
	override_reason: string;
	need: string;
	resource_id: string;
	referral_id: string;
	note: string;
	decline_code: string;
	text: string;
	held_on: string;
	summary: string;
}

export type PlanFormName =
	| 'create'
	| 'strengths'
	| 'needs'
	| 'content'
	| 'status'
	| 'consent'
	| 'withdraw'
	| 'member'
	| 'refer'
	| 'referral'
	| 'note'
	| 'meeting'
	| 'sharing'
	| 'message';

/**
 * The problems a plan page says (`plans.problem.<code>` in the person's language), whether the
 * page's form reading or the plan service found them (PlanError's `code`).
 */
export const PLAN_PROBLEMS = [
	'name',
	'rione',
	'strengths',
	'invalid',
	'forbidden',
	'conflict',
	'unavailable',
	'rowText',
	'date',
	'outcome',
	'consentDate',
	'documentRef',
	'noConsent',
	'organization',
	'notCovered',
	'referralNotCovered',
	'referralOpen',
	'referralStep',
	'reason',
	'declineCode',
	'noteEmpty',
	'messageEmpty',
	'confirmWithdraw',
	'meetingDate'
] as const;
export type PlanProblem = (typeof PLAN_PROBLEMS)[number];

/** The meetings still to come (today's included), soonest first: the plan page and the family's printout. */
export function meetingsAhead<T extends { held_on: string }>(meetings: readonly T[], today: string): T[] {
	return meetings.filter((m) => m.held_on >= today).sort((a, b) => a.held_on.localeCompare(b.held_on));
}

/** What a plan form action answers: which form, and a problem (an i18n key under `plans.problem.`) or done. */
export interface PlanFormResult {
	for: PlanFormName;
	problem?: string;
	done?: boolean;
	/** Someone else saved the plan in between (HTTP 409). */
	conflict?: boolean;
	/** The row the answer is about (a referral, a suggested resource). */
	ref?: string;
	values?: Partial<PlanFormValues>;
}


export function field(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.trim() : '';
}

/** The fields a row may have: anything else in the form is ignored. */
const ROW_FIELDS = 'kind|text|due_on|done|who';

/** Rows sent as `prefix[i].field` fields, in index order (checkboxes are absent when unticked). */
export function rows(form: FormData, prefix: string): Record<string, string>[] {
	const byIndex = new Map<number, Record<string, string>>();
	const pattern = new RegExp(`^${prefix}\\[(\\d{1,3})\\]\\.(${ROW_FIELDS})$`);
	for (const [key, value] of form) {
		const match = pattern.exec(key);
		if (!match || typeof value !== 'string') continue;
		const index = Number(match[1]);
		const row = byIndex.get(index) ?? {};
		row[match[2]!] = value.trim();
		byIndex.set(index, row);
	}
	return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
}

/** The family's strengths: rows with words in them (an emptied row is removed). */
export function strengthRows(form: FormData): StrengthRow[] {
	return rows(form, 'strengths')
		.map((r) => ({ kind: (STRENGTH_KINDS as readonly string[]).includes(r.kind ?? '') ? r.kind! : 'other', text: r.text ?? '' }))
		.filter((r) => r.text !== '');
}

/** Needs as chips (`needs` = code, ticked) each with optional words (`words.<code>`), in taxonomy order. */
export function needRows(form: FormData): NeedRow[] {
	const chosen = new Set(form.getAll('needs').map(String));
	return NEED_CODES.filter((code) => chosen.has(code)).map((need) => ({ need, words: field(form, `words.${need}`) }));
}

export function goalRows(form: FormData): GoalRow[] {
	return rows(form, 'goals')
		.map((r) => ({ text: r.text ?? '', due_on: r.due_on ?? '', done: r.done === 'on' || r.done === 'true' }))
		.filter((r) => r.text !== '' || r.due_on !== '');
}

export function actionRows(form: FormData): ActionRow[] {
	return rows(form, 'actions')
		.map((r) => ({ text: r.text ?? '', who: r.who ?? '', due_on: r.due_on ?? '', done: r.done === 'on' || r.done === 'true' }))
		.filter((r) => r.text !== '' || r.due_on !== '');
}

const date = (value: string) => (isPlausibleDate(value) ? value : null);

/** Goals and actions as `updatePlan` takes them; a problem key when a row is not usable. */
export function contentInput(goals: GoalRow[], actions: ActionRow[]): { problem: string } | { goals: unknown[]; actions: unknown[] } {
	if ([...goals, ...actions].some((r) => r.text === '')) return { problem: 'rowText' };
	if ([...goals, ...actions].some((r) => r.due_on !== '' && !date(r.due_on))) return { problem: 'date' };
	if (actions.some((a) => a.who !== '' && a.who !== 'family' && !UUID.test(a.who))) return { problem: 'invalid' };
	return {
		goals: goals.map((g) => ({ text: g.text, due_on: date(g.due_on), done: g.done })),
		actions: actions.map((a) => ({
			text: a.text,
			by_family: a.who === 'family',
			organization_id: UUID.test(a.who) ? a.who : null,
			due_on: date(a.due_on),
			done: a.done
		}))
	};
}

/** The new-plan form: the values to show again and, when they are usable, the input for `createPlan`. */
export function newPlanForm(form: FormData): { values: Partial<PlanFormValues>; problem: string | null; input: unknown } {
	const values = {
		name: field(form, 'name'),
		phone: field(form, 'phone'),
		address: field(form, 'address'),
		notes: field(form, 'notes'),
		neighbourhood: field(form, 'neighbourhood'),
		strengths: strengthRows(form),
		needs: needRows(form)
	};
	const problem = !values.name ? 'name' : !values.neighbourhood ? 'rione' : values.strengths.length === 0 ? 'strengths' : null;
	const household: Record<string, string> = { name: values.name, neighbourhood: values.neighbourhood };
	for (const key of ['phone', 'address', 'notes'] as const) if (values[key]) household[key] = values[key];
	return { values, problem, input: { household, strengths: values.strengths, needs: values.needs } };
}

/** The version a plan form was opened at (hidden field), or null when missing or malformed. */
export function version(form: FormData): number | null {
	const value = Number(field(form, 'version'));
	return isInt32(value) && value >= 1 ? value : null;
}

/**
 * After a conflict: the plan as it is now, plus every row of the person's edit that is not in it
 * (marked `mine`). Nothing typed is lost and nothing the other person saved is hidden; the
 * person then removes what they do not want and saves again.
 */
export function mergeRows<Row extends object>(current: Row[], typed: Row[], key: (row: Row) => string): (Row & { mine: boolean })[] {
	const have = new Set(current.map(key));
	return [...current.map((row) => ({ ...row, mine: false })), ...typed.filter((row) => !have.has(key(row))).map((row) => ({ ...row, mine: true }))];
}

export const goalKey = (g: GoalRow) => JSON.stringify([g.text.toLowerCase(), g.due_on, g.done]);
export const actionKey = (a: ActionRow) => JSON.stringify([a.text.toLowerCase(), a.who, a.due_on, a.done]);
export const strengthKey = (s: StrengthRow) => JSON.stringify([s.kind, s.text.toLowerCase()]);

/** A plan's actions as form rows. */
export function actionRowsOf(actions: { text: string; organization_id: string | null; by_family: boolean; due_on: string | null; done: boolean }[]): ActionRow[] {
	return actions.map((a) => ({ text: a.text, who: a.by_family ? 'family' : (a.organization_id ?? ''), due_on: a.due_on ?? '', done: a.done }));
}

export function goalRowsOf(goals: { text: string; due_on: string | null; done: boolean }[]): GoalRow[] {
	return goals.map((g) => ({ text: g.text, due_on: g.due_on ?? '', done: g.done }));
}
