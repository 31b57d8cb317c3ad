import { describe, expect, it } from 'vitest';
import { actionKey, actionRows, contentInput, goalKey, goalRows, meetingsAhead, mergeRows, needRows, newPlanForm, rows, strengthRows, version } from '../../src/lib/domain/plan-forms';
import { reasonRequired } from '../../src/lib/domain/referral-rules';
import { todayInRome } from '../../src/lib/domain/dates';

const form = (entries: [string, string][]) => {
	const data = new FormData();
	for (const [name, value] of entries) data.append(name, value);
	return data;
};

describe('reading the plan forms', () => {
	it('reads indexed rows in index order, whatever order the fields come in, ignoring foreign names', () => {
		const data = form([
			['goals[10].text', 'dieci'],
			['goals[2].text', ' due '],
			['goals[2].done', 'on'],
			['goals[x].text', 'no'],
			['goalsX[1].text', 'no'],
			['goals[1].__proto__', 'no'],
			['goals[3].colour', 'no']
		]);
		expect(rows(data, 'goals')).toEqual([{ text: 'due', done: 'on' }, { text: 'dieci' }]);
	});

	it('keeps the strengths with words, an unknown kind as "other"; an emptied row is a removal', () => {
		const data = form([
			['strengths[0].kind', 'skill'],
			['strengths[0].text', 'Cucina'],
			['strengths[1].kind', 'relationship'],
			['strengths[1].text', '   '],
			['strengths[2].kind', 'wizardry'],
			['strengths[2].text', 'Ripara bici']
		]);
		expect(strengthRows(data)).toEqual([
			{ kind: 'skill', text: 'Cucina' },
			{ kind: 'other', text: 'Ripara bici' }
		]);
	});

	it('reads needs as ticked chips with their words, in the taxonomy order, ignoring unknown codes and words of unticked needs', () => {
		const data = form([
			['needs', 'homework'],
			['needs', 'pizza'],
			['needs', 'food'],
			['words.homework', ' matematica '],
			['words.legal', 'non scelto']
		]);
		expect(needRows(data)).toEqual([
			{ need: 'food', words: '' },
			{ need: 'homework', words: 'matematica' }
		]);
	});

	it('turns goals and actions into the plan module’s input: family, organisation or nobody; dates or null', () => {
		const org = '0b0c2c9e-1f0a-4c1b-9a51-3f2f4d1c0a11';
		const data = form([
			['goals[0].text', 'Spesa garantita'],
			['goals[0].due_on', '2026-12-31'],
			['goals[1].text', ''],
			['actions[0].text', 'Pane ogni mattina'],
			['actions[0].who', org],
			['actions[0].done', 'on'],
			['actions[1].text', 'Iscrizione'],
			['actions[1].who', 'family'],
			['actions[2].text', 'Da vedere'],
			['actions[2].who', '']
		]);
		const goals = goalRows(data);
		const actions = actionRows(data);
		expect(contentInput(goals, actions)).toEqual({
			goals: [{ text: 'Spesa garantita', due_on: '2026-12-31', done: false }],
			actions: [
				{ text: 'Pane ogni mattina', by_family: false, organization_id: org, due_on: null, done: true },
				{ text: 'Iscrizione', by_family: true, organization_id: null, due_on: null, done: false },
				{ text: 'Da vedere', by_family: false, organization_id: null, due_on: null, done: false }
			]
		});
	});

	it('names the problem of an unusable row: a date without words, a malformed date, a strange assignee', () => {
		expect(contentInput(goalRows(form([['goals[0].due_on', '2026-12-31']])), [])).toEqual({ problem: 'rowText' });
		expect(contentInput([{ text: 'x', due_on: '31/12/2026', done: false }], [])).toEqual({ problem: 'date' });
		expect(contentInput([], [{ text: 'x', who: 'the mayor', due_on: '', done: false }])).toEqual({ problem: 'invalid' });
	});

	it('reads the new-plan form, naming the first thing missing', () => {
		const base: [string, string][] = [
			['name', ' Famiglia Rossi '],
			['neighbourhood', 'Germanedo'],
			['phone', ''],
			['strengths[0].kind', 'time'],
			['strengths[0].text', 'Pomeriggi liberi'],
			['needs', 'food']
		];
		const ok = newPlanForm(form(base));
		expect(ok.problem).toBeNull();
		expect(ok.input).toEqual({
			household: { name: 'Famiglia Rossi', neighbourhood: 'Germanedo' },
			strengths: [{ kind: 'time', text: 'Pomeriggi liberi' }],
			needs: [{ need: 'food', words: '' }]
		});
		expect(newPlanForm(form(base.filter(([n]) => n !== 'name'))).problem).toBe('name');
		expect(newPlanForm(form(base.filter(([n]) => n !== 'neighbourhood'))).problem).toBe('rione');
		const noStrengths = newPlanForm(form(base.filter(([n]) => !n.startsWith('strengths'))));
		expect(noStrengths.problem).toBe('strengths');
		// What was typed comes back to the form.
		expect(noStrengths.values).toMatchObject({ name: 'Famiglia Rossi', needs: [{ need: 'food', words: '' }] });
	});

	it('reads the version the form was opened at, or null', () => {
		expect(version(form([['version', '7']]))).toBe(7);
		for (const bad of ['', '0', '-1', '1.5', 'abc']) expect(version(form([['version', bad]]))).toBeNull();
	});
});

describe('after a conflict', () => {
	it('shows the plan as it is now plus every typed row it lacks, marked as the person’s own', () => {
		const now = [
			{ text: 'Spesa garantita', due_on: '2026-12-31', done: false },
			{ text: 'Doposcuola', due_on: '', done: false }
		];
		const typed = [
			{ text: 'Doposcuola', due_on: '', done: false },
			{ text: 'Doposcuola', due_on: '', done: true },
			{ text: 'Corso di italiano', due_on: '', done: false }
		];
		expect(mergeRows(now, typed, goalKey)).toEqual([
			{ ...now[0], mine: false },
			{ ...now[1], mine: false },
			{ ...typed[1], mine: true },
			{ ...typed[2], mine: true }
		]);
		const action = { text: 'Pane', who: 'family', due_on: '', done: false };
		expect(mergeRows([action], [{ ...action, who: '' }], actionKey)).toHaveLength(2);
	});
});

it('gives today’s date in Lecco, also around midnight UTC', () => {
	expect(todayInRome(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
	expect(todayInRome(new Date('2026-01-01T22:59:00Z'))).toBe('2026-01-01');
});

describe('plan rules the page and the service share', () => {
	it('meetings ahead: today\'s and later ones, soonest first (the plan page and the family\'s printout)', () => {
		const meetings = [{ held_on: '2026-03-10' }, { held_on: '2026-01-05' }, { held_on: '2026-02-01' }, { held_on: '2025-12-31' }];
		expect(meetingsAhead(meetings, '2026-01-05').map((m) => m.held_on)).toEqual(['2026-01-05', '2026-02-01', '2026-03-10']);
		expect(meetingsAhead(meetings, '2026-03-11')).toEqual([]);
	});

	it('a decline needs its reason; the other steps do not', () => {
		expect(reasonRequired('declined')).toBe(true);
		for (const status of ['sent', 'accepted', 'in_progress', 'completed', 'closed_no_outcome']) expect(reasonRequired(status)).toBe(false);
	});
});
