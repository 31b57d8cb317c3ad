import { describe, expect, it } from 'vitest';
import { editedSinceSeeded, mergeSeeded } from '../../src/lib/domain/seed-merge';

describe('a changed seed file over edited records', () => {
	const seeded = { name: 'A', description: 'from the file', 'hours.sede': 'Mo 09:00-12:00', 'hours.sala': null };

	it('writes a new record whole', () => {
		expect(mergeSeeded(null, null, { name: 'A' })).toEqual({ write: { name: 'A' }, remove: [], kept: [], snapshot: { name: 'A' } });
	});

	it('keeps edited fields (remembering the old seeded value), follows the file elsewhere, removes untouched pins', () => {
		const current = { ...seeded, description: 'by the partner' };
		const next = { name: 'B', description: 'new from the file', 'hours.sede': 'Tu 09:00-12:00' };
		expect(mergeSeeded(current, seeded, next)).toEqual({
			write: { name: 'B', 'hours.sede': 'Tu 09:00-12:00' },
			remove: ['hours.sala'],
			kept: ['description'],
			snapshot: { name: 'B', description: 'from the file', 'hours.sede': 'Tu 09:00-12:00' }
		});
	});

	it('an edit the file catches up with goes back to the file', () => {
		const merge = mergeSeeded({ ...seeded, name: 'B' }, seeded, { ...seeded, name: 'B' });
		expect(merge).toMatchObject({ write: {}, kept: [], snapshot: { ...seeded, name: 'B' } });
	});

	it('without a snapshot, the fields the change history names are the edited ones', () => {
		const merge = mergeSeeded({ name: 'A', description: 'x' }, null, { name: 'B', description: 'y' }, new Set(['description']));
		expect(merge).toMatchObject({ write: { name: 'B' }, kept: ['description'] });
		expect(editedSinceSeeded({ name: 'A' }, null, new Set())).toBe(false);
		expect(editedSinceSeeded({ name: 'A' }, null, new Set(['name']))).toBe(true);
		expect(editedSinceSeeded({ name: 'A', 'hours.x': null }, { name: 'A' })).toBe(true);
		expect(editedSinceSeeded({ name: 'A' }, { name: 'A' })).toBe(false);
	});
});
