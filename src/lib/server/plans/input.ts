import { z } from 'zod';
import { isPlausibleDate } from '../../domain/dates';
import { UUID } from '../../domain/ids';
import { STRENGTH_KINDS, type PlanProblem } from '../../domain/plan-forms';
import { textProblem, textProblemMessage } from '../../domain/text';
import { NEED_CODES } from '../../domain/taxonomy';
import { PlanError } from './errors';

/* The plan services' input: one parser and the field rules their schemas are built from. */

/**
 * Parses a request's input. Refused with 400: the message (for API callers) names every problem;
 * `codes` names, by top-level field, the problem a page says in the person's language
 * (`plans.problem.<code>`), so pages do not repeat these checks to pick their words.
 */
export function parse<T>(schema: z.ZodType<T>, input: unknown, codes: Partial<Record<string, PlanProblem>> = {}): T {
	const parsed = schema.safeParse(input);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
		// The field's own problem (not one inside a row of it, which the field's words would not fit).
		const code = parsed.error.issues.map((issue) => (issue.path.length === 1 ? codes[String(issue.path[0])] : undefined)).find(Boolean);
		throw new PlanError(400, problems.join('; '), code);
	}
	return parsed.data;
}

// Every text field: the one text rule (domain/text.ts), then trimmed and bounded.
export const plain = () =>
	z.string().superRefine((value, context) => {
		const problem = textProblem(value);
		if (problem) context.addIssue({ code: 'custom', message: textProblemMessage(problem) });
	});
export const text = (max: number) => plain().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
export const optionalText = (max: number) => plain().trim().max(max, `at most ${max} characters`);
export const isoDate = z.string().refine(isPlausibleDate, 'must be a real day like 2026-11-24, from 2000 to 2099');
export const uuid = z.string().regex(UUID, 'must be an id');
export const needCode = z.enum(NEED_CODES, { error: `must be one of ${NEED_CODES.join(', ')}` });

// A plain string is shorthand: "text" for { kind: 'other', text }, "code" for { need: code }.
export const strengthInput = z.preprocess(
	(s) => (typeof s === 'string' ? { kind: 'other', text: s } : s),
	z.object({ kind: z.enum(STRENGTH_KINDS, { error: `must be one of ${STRENGTH_KINDS.join(', ')}` }).default('other'), text: text(500) })
);
export const needInput = z.preprocess(
	(n) => (typeof n === 'string' ? { need: n } : n),
	z.object({ need: needCode, words: optionalText(500).default('') })
);
export const uniqueNeeds = z.array(needInput).max(16).refine((needs) => new Set(needs.map((n) => n.need)).size === needs.length, 'each need only once');
