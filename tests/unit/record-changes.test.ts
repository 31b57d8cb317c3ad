import { describe, expect, it } from 'vitest';
import { diffFields, partnerMayRevert, planRevert, revertedDiff, sameValue } from '../../src/lib/domain/record-changes';

describe('record changes', () => {
	it('compares JSON values deeply, object keys in any order, arrays in order', () => {
		expect(sameValue({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 })).toBe(true);
		expect(sameValue([1, 2], [2, 1])).toBe(false);
		expect(sameValue(null, undefined)).toBe(false);
		expect(sameValue({ a: null }, {})).toBe(false);
		expect(sameValue('1', 1)).toBe(false);
	});

	it('keeps only the fields that change, before and after; null when nothing does', () => {
		const current = { name: 'A', needs: ['food'], email: null, untouched: 'x' };
		expect(diffFields(current, { name: 'A', needs: ['food', 'work'], email: null })).toEqual({
			before: { needs: ['food'] },
			after: { needs: ['food', 'work'] }
		});
		expect(diffFields(current, { name: 'A' })).toBeNull();
		// A field the record did not have yet counts as null before.
		expect(diffFields({}, { note: 'new' })).toEqual({ before: { note: null }, after: { note: 'new' } });
	});

	it('plans a revert only when every changed field still holds what the change left', () => {
		const change = { before: { description: 'old' }, after: { description: 'new' } };
		expect(planRevert(change, { description: 'new', name: 'A' })).toEqual({
			ok: true,
			restore: { description: 'old' },
			undo: { before: { description: 'new' }, after: { description: 'old' } }
		});
		expect(planRevert(change, { description: 'newer' })).toEqual({ ok: false, conflicts: ['description'] });
		// A field that no longer exists (a place the service left) is a conflict too.
		expect(planRevert({ before: { 'hours.x': null }, after: { 'hours.x': 'Mo 10:00-12:00' } }, {})).toEqual({ ok: false, conflicts: ['hours.x'] });
	});
});

describe('additions and removals', () => {
	it('undoes a creation as a removal, whatever fields it wrote', () => {
		const created = { action: 'create', before: {}, after: { name: 'Sala', lon: 9.4 } };
		expect(revertedDiff(created)).toEqual({ before: { removed: true }, after: { removed: false } });
		expect(planRevert(revertedDiff(created), { name: 'Sala rinominata', lon: 9.4, removed: false })).toMatchObject({ ok: true, restore: { removed: true } });
		// Already removed since: nothing to undo.
		expect(planRevert(revertedDiff(created), { name: 'Sala', lon: 9.4, removed: true })).toEqual({ ok: false, conflicts: ['removed'] });
		const edit = { action: 'update', before: { name: 'A' }, after: { name: 'B' } };
		expect(revertedDiff(edit)).toEqual({ before: { name: 'A' }, after: { name: 'B' } });
	});

	it('lets a partner undo additions and removals only', () => {
		expect(partnerMayRevert({ action: 'create', after: { name: 'Sala' } })).toBe(true);
		expect(partnerMayRevert({ action: 'remove', after: { removed: true } })).toBe(true);
		expect(partnerMayRevert({ action: 'revert', after: { removed: false } })).toBe(true);
		expect(partnerMayRevert({ action: 'revert', after: { name: 'A' } })).toBe(false);
		expect(partnerMayRevert({ action: 'update', after: { name: 'B' } })).toBe(false);
		expect(partnerMayRevert({ action: 'verify', after: { verified_at: '2026-01-01' } })).toBe(false);
	});
});
