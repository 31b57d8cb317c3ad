import { describe, expect, it } from 'vitest';
import * as help from '../../src/lib/server/help';
import type { HelpView } from '../../src/lib/server/help';

const options = { servedMarginM: 3000 };
const url = (query: string) => new URL(`http://localhost/trova-aiuto?${query}`);

async function view(query: string): Promise<HelpView> {
	const result = await help.load(url(query), options);
	if ('redirect' in result) throw new Error(`unexpected redirect to ${result.redirect}`);
	return result;
}

describe('the Trova aiuto page state', () => {
	it('sends a submitted form on to the tidy address, the place typed resolved like the place search', async () => {
		const result = await help.load(url('needs=homework&needs=food&where=germanedo&rione=&audience=&max_walk_min=&lang=en'), options);
		expect(result).toEqual({ redirect: expect.stringMatching(/^\/trova-aiuto\?needs=homework,food&at=9\.\d+,45\.\d+&place=Germanedo&lang=en$/) });
	});

	it('resolves a rione from the list, and a typed place wins over it and over the place the search had', async () => {
		const rione = await help.load(url('needs=food&at=9.39,45.85&place=Centro&rione=Acquate&open_now=true'), options);
		expect('redirect' in rione && rione.redirect).toMatch(/needs=food&at=[\d.]+,[\d.]+&place=Acquate&open_now=true$/);
		const typed = await help.load(url('needs=food&at=9.39,45.85&place=Centro&rione=Acquate&where=Germanedo'), options);
		expect('redirect' in typed && typed.redirect).toMatch(/place=Germanedo$/);
	});

	it('answers per need, nearest first among those that can help now, with today\'s hours where they are given', async () => {
		const redirect = await help.load(url('where=Germanedo&needs=homework,food'), options);
		const tidy = (redirect as { redirect: string }).redirect;
		const page = await view(tidy.split('?')[1]!);
		expect(page.problem).toBeNull();
		expect(page.path).toBe(tidy);
		expect(page.answer?.neighbourhood).toBe('Germanedo');
		expect(page.answer?.results.map((r) => r.need)).toEqual(['homework', 'food']);
		for (const { resources } of page.answer!.results) {
			expect(resources.length).toBeGreaterThan(0);
			const available = resources.map((r) => r.open_now !== false && r.accepting !== false);
			expect(available).toEqual([...available].sort((a, b) => Number(b) - Number(a)));
			for (const r of resources) {
				expect(r.walk_min).toBeGreaterThan(0);
				if (r.opening_hours) expect(r.today?.date).toBe(page.today);
				else expect(r.today).toBeNull();
			}
		}
		expect(page.today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
	});

	it('keeps the form and says what is wrong instead of failing', async () => {
		const unknown = await view('needs=homework,flying&at=9.41,45.85');
		expect(unknown.problem).toMatchObject({ kind: 'invalid', detail: expect.stringContaining('flying') });
		expect(unknown.form.needs).toEqual(['homework']);
		expect(unknown.answer).toBeNull();

		const notFound = await view('needs=homework&where=nessunluogoqui');
		expect(notFound.problem).toEqual({ kind: 'place-not-found', text: 'nessunluogoqui' });
		expect(notFound.form.where).toBe('nessunluogoqui');

		expect((await view('needs=homework&at=abc')).problem).toEqual({ kind: 'bad-place' });
		expect((await view('needs=homework&at=12.49,41.89')).problem).toEqual({ kind: 'outside' });
		expect((await view('needs=homework&at=9.41,45.85&max_walk_min=500')).problem?.kind).toBe('invalid');
	});

	it('without a need or a place there is nothing to search yet, and no problem either', async () => {
		const empty = await view('');
		expect(empty).toMatchObject({ problem: null, answer: null, place: null, path: '/trova-aiuto' });
		expect(empty.rioni.map((r) => r.name)).toContain('Germanedo');
		expect((await view('needs=food')).answer).toBeNull();
		expect((await view('at=9.41,45.85')).answer).toBeNull();
	});
});
