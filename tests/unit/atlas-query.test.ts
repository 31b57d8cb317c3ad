import { describe, expect, it } from 'vitest';
import { LIST_PAGE } from '../../src/lib/domain/resource';
import { readAtlasQuery } from '../../src/lib/server/atlas';

const read = (query: string) => readAtlasQuery(new URL(`http://atlas.test/?${query}`));

describe('the home page reads its address once into typed choices', () => {
	it('reads every filter', () => {
		expect(read('category=parish,school&need=food&audience=children&open_now=true&q=caritas&near=9.39,45.85&place=Pescarenico&bbox=9.3,45.8,9.5,45.9')).toEqual({
			categories: ['parish', 'school'],
			needs: ['food'],
			audiences: ['children'],
			openNow: true,
			q: 'caritas',
			near: { lon: 9.39, lat: 45.85 },
			placeLabel: 'Pescarenico',
			where: '',
			bbox: [9.3, 45.8, 9.5, 45.9],
			shown: LIST_PAGE,
			problems: []
		});
	});

	it('drops a malformed parameter, says so, and keeps the others', () => {
		const view = read('category=parish&need=flying&near=999,45&open_now=maybe&q=mensa');
		expect(view.categories).toEqual(['parish']);
		expect(view.needs).toEqual([]);
		expect(view.near).toBeNull();
		expect(view.openNow).toBe(false);
		expect(view.q).toBe('mensa');
		expect(view.problems).toHaveLength(3);
		expect(view.problems.join(' ')).toContain('flying');
	});

	it('reads how many list entries to show, first page by default, a malformed count dropped and said', () => {
		expect(read('shown=80').shown).toBe(80);
		expect(read('').shown).toBe(LIST_PAGE);
		const bad = read('shown=-3&q=mensa');
		expect(bad.shown).toBe(LIST_PAGE);
		expect(bad.q).toBe('mensa');
		expect(bad.problems).toHaveLength(1);
	});

	it('bounds what it echoes back', () => {
		const view = read(`place=${'x'.repeat(500)}&where=${'y'.repeat(500)}`);
		expect(view.placeLabel).toHaveLength(100);
		expect(view.where).toHaveLength(100);
	});
});
