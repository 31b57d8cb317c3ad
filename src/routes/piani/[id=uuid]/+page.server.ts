import { isActionFailure, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import {
	actionKey,
	actionRows,
	actionRowsOf,
	contentInput,
	field,
	goalKey,
	goalRows,
	goalRowsOf,
	mergeRows,
	needRows,
	strengthKey,
	strengthRows,
	version
} from '$lib/domain/plan-forms';
import { todayInRome } from '$lib/domain/dates';
import * as accounts from '$lib/server/db/accounts';
import { actorOf, settings } from '$lib/server/plans/http';
import { act, answerReferral, sendMessage, orNotFound, refuse, type PlanActionAnswer } from '$lib/server/plans/pages';
import * as plans from '$lib/server/plans/plans';

/**
 * The shared plan. Its lead worker sees every control and the whole plan; staff of a member
 * organisation see what plans.partnerView leaves them, add notes and answer the referrals sent
 * to them. Anyone else gets the 404 page (the plan module decides, and records every read).
 * The actions read the forms and call the plan module, which checks what they send and names each
 * refusal (PlanError's code): the page repeats none of its checks.
 */
export const load: PageServerLoad = async (event) => {
	const actor = actorOf(event);
	const config = settings();
	const plan = await orNotFound(() => plans.getPlan(actor, event.params.id, config));
	const lead = plan.access === 'lead';
	const [suggestions, nearby, memberships] = await Promise.all([
		lead ? plans.suggestions(actor, plan.id) : [],
		lead ? plans.organizationsNearby(actor, plan.id) : [],
		lead ? [] : accounts.memberships(actor.user.id)
	]);
	const answering = new Set(memberships.filter((m) => m.role === 'editor').map((m) => m.id));
	// What each referral may become, by this person: the lead closes, the receiving partner answers.
	const steps: Record<string, string[]> = Object.fromEntries(
		plan.referrals.map((r) => [
			r.id,
			lead ? plans.nextReferralStatuses(r.status, 'lead') : answering.has(r.organization_id) ? plans.nextReferralStatuses(r.status, 'partner') : []
		])
	);
	return { plan: plans.pageView(plan), suggestions, nearby, steps, staleDays: config.staleDays, today: todayInRome() };
};

/** The fresh plan, for a form that met a conflict. */
const fresh = (event: RequestEvent<{ id: string }>) => orNotFound(() => plans.getPlan(actorOf(event), event.params.id, settings()));

function conflicted(answer: PlanActionAnswer): answer is Extract<PlanActionAnswer, { status: number }> {
	return isActionFailure(answer) && answer.status === 409;
}

export const actions = {
	strengths: async (event) => {
		const form = await event.request.formData();
		const strengths = strengthRows(form);
		const answer = await act('strengths', { strengths }, () => plans.updatePlan(actorOf(event), event.params.id, { version: version(form), strengths }));
		if (conflicted(answer)) {
			const now = await fresh(event);
			answer.data.conflict = true;
			answer.data.values = { strengths: mergeRows(now.strengths.map((s) => ({ kind: s.kind, text: s.text })), strengths, strengthKey) };
		}
		return answer;
	},

	needs: async (event) => {
		const form = await event.request.formData();
		const needs = needRows(form);
		const answer = await act('needs', { needs }, () => plans.updatePlan(actorOf(event), event.params.id, { version: version(form), needs }));
		if (conflicted(answer)) {
			// Both sets of needs: nothing ticked is lost; the person unticks what they do not want.
			const now = await fresh(event);
			const typed = new Map(needs.map((n) => [n.need, n.words]));
			for (const n of now.needs) if (!typed.has(n.need)) typed.set(n.need, n.words);
			answer.data.conflict = true;
			answer.data.values = { needs: [...typed].map(([need, words]) => ({ need, words })) };
		}
		return answer;
	},

	content: async (event) => {
		const form = await event.request.formData();
		const goals = goalRows(form);
		const actions = actionRows(form);
		const input = contentInput(goals, actions);
		if ('problem' in input) return refuse('content', input.problem, { goals, actions });
		const answer = await act('content', { goals, actions }, () => plans.updatePlan(actorOf(event), event.params.id, { version: version(form), ...input }));
		if (conflicted(answer)) {
			const now = await fresh(event);
			answer.data.conflict = true;
			answer.data.values = { goals: mergeRows(goalRowsOf(now.goals), goals, goalKey), actions: mergeRows(actionRowsOf(now.actions), actions, actionKey) };
		}
		return answer;
	},

	status: async (event) => {
		const form = await event.request.formData();
		const values = { status: field(form, 'status'), outcome: field(form, 'outcome') };
		const answer = await act('status', values, () =>
			plans.updatePlan(actorOf(event), event.params.id, { version: version(form), status: values.status, ...(values.outcome ? { outcome: values.outcome } : {}) })
		);
		if (conflicted(answer)) answer.data.conflict = true;
		return answer;
	},

	consent: async (event) => {
		const form = await event.request.formData();
		const values = { given_on: field(form, 'given_on'), document_ref: field(form, 'document_ref'), scope: form.getAll('scope').map(String) };
		return act('consent', values, () => plans.recordConsent(actorOf(event), event.params.id, values));
	},

	withdraw: async (event) => {
		if (field(await event.request.formData(), 'confirm') !== 'yes') return refuse('withdraw', 'confirmWithdraw', {});
		return act('withdraw', {}, () => plans.withdrawConsent(actorOf(event), event.params.id), { 409: 'noConsent' });
	},

	member: async (event) => {
		const form = await event.request.formData();
		const values = { organization_id: field(form, 'organization_id'), override_reason: field(form, 'override_reason') };
		const input = { organization_id: values.organization_id, ...(values.override_reason ? { override_reason: values.override_reason } : {}) };
		return act('member', values, () => plans.addMember(actorOf(event), event.params.id, input), { 409: 'notCovered' });
	},

	refer: async (event) => {
		const form = await event.request.formData();
		const values = { need: field(form, 'need'), resource_id: field(form, 'resource_id') };
		return act('refer', values, () => plans.addReferral(actorOf(event), event.params.id, values), { referralOpen: 'referralOpen', 409: 'referralNotCovered' }, `${values.need}:${values.resource_id}`);
	},

	referral: answerReferral,
	message: sendMessage,

	note: async (event) => {
		const values = { text: field(await event.request.formData(), 'text') };
		return act('note', values, () => plans.addNote(actorOf(event), event.params.id, values));
	},

	sharing: async (event) => {
		const form = await event.request.formData();
		// Unticked checkboxes are absent from the form: absent means "do not share".
		const input = { profile: field(form, 'share_profile') === 'on', notes: field(form, 'share_notes') === 'on' };
		return act('sharing', {}, () => plans.setSharing(actorOf(event), event.params.id, input));
	},

	meeting: async (event) => {
		const form = await event.request.formData();
		const values = { held_on: field(form, 'held_on'), summary: field(form, 'summary') };
		return act('meeting', values, () => plans.addMeeting(actorOf(event), event.params.id, values));
	}
} satisfies Actions;
