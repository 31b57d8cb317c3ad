import { describe, expect, it } from 'vitest';
import { HOLIDAYS_CLOSED, openingHoursOf, weeklyRanges } from '../../src/lib/server/hsds/schedule';

// OSM opening hours as HSDS weekly schedules (src/lib/server/hsds/schedule.ts).
describe('weeklyRanges', () => {
	it('turns plain weekly rules into one row per time range with its days', () => {
		expect(weeklyRanges('Mo 15:00-19:00; Tu-Sa 08:30-12:30,15:00-19:00; PH off')).toEqual([
			{ byday: 'TU,WE,TH,FR,SA', opens_at: '08:30', closes_at: '12:30' },
			{ byday: 'MO,TU,WE,TH,FR,SA', opens_at: '15:00', closes_at: '19:00' }
		]);
		expect(weeklyRanges('Tu,Th 14:30-17:00')).toEqual([{ byday: 'TU,TH', opens_at: '14:30', closes_at: '17:00' }]);
		expect(weeklyRanges('Sa-Mo 10:00-12:00')).toEqual([{ byday: 'MO,SA,SU', opens_at: '10:00', closes_at: '12:00' }]);
	});

	it('lets a later rule replace an earlier one for its days, as OSM does', () => {
		expect(weeklyRanges('Mo-Fr 09:00-12:00; We 15:00-18:00')).toEqual([
			{ byday: 'MO,TU,TH,FR', opens_at: '09:00', closes_at: '12:00' },
			{ byday: 'WE', opens_at: '15:00', closes_at: '18:00' }
		]);
	});

	it('refuses what a week cannot say: weeks of the month, seasons, closures, open ends', () => {
		for (const expression of ['We[1,3] 17:00-19:00', 'Sep-Jun: Mo-Fr 14:30-18:00; Jul-Aug off', 'We 12:00-14:30; Aug off', '24/7', 'Mo-Fr 09:00+', 'PH off', 'Mo-Fr off']) {
			expect(weeklyRanges(expression), expression).toBeNull();
		}
	});
});

// And back: a package's schedule rows as one OSM expression (the import, src/lib/server/imports/hsds.ts).
describe('openingHoursOf', () => {
	it('writes weekly rows back as rules of days and times, the days with the same times together', () => {
		const rows = [
			{ freq: 'WEEKLY', interval: '1', byday: 'MO,WE,FR', opens_at: '09:00', closes_at: '12:00' },
			{ freq: 'WEEKLY', byday: 'MO', opens_at: '15:00:00', closes_at: '17:00:00' }
		];
		expect(openingHoursOf(rows)).toEqual({ expression: 'Mo 09:00-12:00,15:00-17:00; We,Fr 09:00-12:00' });
		expect(openingHoursOf([{ byday: 'SA,SU,MO,TU,WE', opens_at: '8:30', closes_at: '12:30' }])).toEqual({ expression: 'Mo-We,Sa,Su 08:30-12:30' });
		expect(openingHoursOf([])).toBeNull();
	});

	it('gives back what the export wrote for every plain weekly expression', () => {
		for (const expression of ['Mo-Fr 09:00-12:00,15:00-18:00; Sa 09:00-12:00', 'Tu,Th 14:30-17:00', 'Mo 15:00-19:00; Tu-Sa 08:30-12:30,15:00-19:00; PH off']) {
			const notes = expression.includes('PH off') ? HOLIDAYS_CLOSED : '';
			const rows = weeklyRanges(expression)!.map((range) => ({ freq: 'WEEKLY', interval: '1', ...range, notes }));
			expect(openingHoursOf(rows), expression).toEqual({ expression });
		}
	});

	it('prefers the whole expression the profile carries, and gives the words of what a week cannot say', () => {
		expect(openingHoursOf([{ byday: 'WE', opens_at: '17:00', closes_at: '19:00', x_opening_hours: 'We[1,3] 17:00-19:00' }])).toEqual({ expression: 'We[1,3] 17:00-19:00' });
		expect(openingHoursOf([{ freq: 'MONTHLY', byday: '1MO', opens_at: '09:00', closes_at: '12:00', description: 'Il primo lunedì del mese' }])).toEqual({ unreadable: 'Il primo lunedì del mese' });
		expect(openingHoursOf([{ byday: 'MO', opens_at: '09:00', closes_at: '12:00', valid_from: '2026-01-01' }])).toHaveProperty('unreadable');
	});
});
