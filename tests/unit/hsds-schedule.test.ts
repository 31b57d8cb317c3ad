import { describe, expect, it } from 'vitest';
import { weeklyRanges } from '../../src/lib/server/hsds/schedule';

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
