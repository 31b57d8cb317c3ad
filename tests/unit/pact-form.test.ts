import { describe, expect, it } from 'vitest';
import { checkSlot, slotsToExpression } from '../../src/lib/domain/hours-slots';
import { checkOpeningHours, isOpenAt } from '../../src/lib/domain/opening-hours';
import { MAX_LOCATIONS, blankLocation, blankValues, changeSlots, parseSlotChange } from '../../src/lib/domain/pact-application';
import { todayInRome } from '../../src/lib/domain/dates';

describe('opening hours from form rows', () => {
	it('joins rows as additional rules, so a later row adds to the days of an earlier one', () => {
		const expression = slotsToExpression([
			{ days: 'Mo-Fr', from: '09:00', to: '12:00' },
			{ days: 'Mo', from: '15:00', to: '18:00' },
			{ days: 'Mo-Fr', from: '14:00', to: '16:00' }
		])!;
		expect(expression).toBe('Mo-Fr 09:00-12:00,14:00-16:00, Mo 15:00-18:00');
		expect(checkOpeningHours(expression).ok).toBe(true);
		// Monday 2026-11-23: open in the morning (not replaced by the Monday row) and in the afternoon.
		expect(isOpenAt(expression, new Date('2026-11-23T10:00:00+01:00'))).toBe(true);
		expect(isOpenAt(expression, new Date('2026-11-23T17:00:00+01:00'))).toBe(true);
		expect(isOpenAt(expression, new Date('2026-11-24T17:00:00+01:00'))).toBe(false);
	});

	it('reads midnight at the end of a row as the end of the day', () => {
		expect(checkSlot({ days: 'Sa', from: '20:00', to: '00:00' })).toBeNull();
		expect(slotsToExpression([{ days: 'Sa', from: '20:00', to: '00:00' }])).toBe('Sa 20:00-24:00');
		expect(slotsToExpression([])).toBeNull();
	});

	it('names what is wrong with a row', () => {
		expect(checkSlot({ days: 'Weekdays', from: '09:00', to: '12:00' })).toBe('hours_days');
		expect(checkSlot({ days: 'Mo', from: '9', to: '12:00' })).toBe('hours_time');
		expect(checkSlot({ days: 'Mo', from: '12:00', to: '09:00' })).toBe('hours_order');
		expect(checkSlot({ days: 'Mo', from: '12:00', to: '12:00' })).toBe('hours_order');
	});
});

describe('the application form slots', () => {
	it('adds up to the maximum and never removes the last one', () => {
		let values = blankValues();
		for (let i = 0; i < MAX_LOCATIONS + 2; i++) values = changeSlots(values, { kind: 'add-location' });
		expect(values.locations).toHaveLength(MAX_LOCATIONS);
		const one = changeSlots(blankValues(), { kind: 'remove-service', index: 0 });
		expect(one.services).toHaveLength(1);
	});

	it('removing a location renumbers the places services are offered at', () => {
		const values = blankValues();
		values.locations = [{ ...blankLocation(), name: 'A' }, { ...blankLocation(), name: 'B' }, { ...blankLocation(), name: 'C' }];
		values.services[0]!.at = ['0', '1', '2'];
		const changed = changeSlots(values, { kind: 'remove-location', index: 1 });
		expect(changed.locations.map((l) => l.name)).toEqual(['A', 'C']);
		expect(changed.services[0]!.at).toEqual(['0', '1']);
		// The original is untouched.
		expect(values.locations).toHaveLength(3);
	});

	it('reads only the changes its buttons send', () => {
		expect(parseSlotChange('add-service')).toEqual({ kind: 'add-service' });
		expect(parseSlotChange('remove-location:2')).toEqual({ kind: 'remove-location', index: 2 });
		expect(parseSlotChange('remove-location:22')).toBeNull();
		expect(parseSlotChange('drop table')).toBeNull();
	});

	it("knows today's date in Lecco around midnight UTC", () => {
		expect(todayInRome(new Date('2026-11-24T23:30:00Z'))).toBe('2026-11-25');
		expect(todayInRome(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
		expect(todayInRome(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
	});
});

describe('location notes and their labels', () => {
	it('names every location field of the error summary in words, shared notes included', async () => {
		const { fieldLabel } = await import('../../src/lib/components/form/fields');
		const { translator } = await import('../../src/lib/i18n');
		const { LOCATION_NOTES } = await import('../../src/lib/domain/records');
		const t = translator('it');
		expect(fieldLabel('locations.1.city', t)).toBe(`${t('pact.location.legend', { n: 2 })} — ${t('pact.location.city')}`);
		for (const note of LOCATION_NOTES) {
			const label = fieldLabel(`locations.0.${note}`, t);
			expect(label).toBe(`${t('pact.location.legend', { n: 1 })} — ${t(`location.${note}`)}`);
			expect(label).not.toContain(`.${note}`);
		}
	});

	it('carries each note from the form to the values and back', async () => {
		const { LOCATION_NOTES, locationValuesFromForm, locationValuesOf } = await import('../../src/lib/domain/records');
		const form = new FormData();
		for (const note of LOCATION_NOTES) form.set(`locations.0.${note}`, `${note} text`);
		const values = locationValuesFromForm(form, 'locations.0.');
		for (const note of LOCATION_NOTES) {
			expect(values[note]).toBe(`${note} text`);
			expect(blankLocation()[note]).toBe('');
			expect(locationValuesOf({ name: 'x', address: null, postal_code: null, city: null, lon: 9.39, lat: 45.85, confidential: false, [note]: null })[note]).toBe('');
		}
	});
});
