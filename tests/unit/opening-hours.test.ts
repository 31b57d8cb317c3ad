import { describe, expect, it } from 'vitest';
import { checkOpeningHours, isOpenAt, openIntervals } from '../../src/lib/domain/opening-hours';

describe('opening hours', () => {
	it('accepts valid OSM expressions and trims them', () => {
		expect(checkOpeningHours('  Mo-Fr 14:30-18:30; PH off ')).toEqual({ ok: true, expression: 'Mo-Fr 14:30-18:30; PH off' });
		expect(checkOpeningHours('24/7').ok).toBe(true);
	});
	it('refuses invalid and ambiguous expressions with a message', () => {
		const invalid = checkOpeningHours('Mo-Fr 25:00-12');
		expect(invalid.ok).toBe(false);
		if (!invalid.ok) expect(invalid.error).toMatch(/not valid OSM opening_hours/);
		const ambiguous = checkOpeningHours('Mo 9-10');
		expect(ambiguous.ok).toBe(false);
		expect(checkOpeningHours('   ').ok).toBe(false);
	});
	it('evaluates in Europe/Rome, including daylight saving time', () => {
		// Monday 1 June 2026, 09:30 in Rome is 07:30 UTC (CEST, UTC+2).
		expect(isOpenAt('Mo-Fr 09:00-12:00', new Date('2026-06-01T07:30:00Z'))).toBe(true);
		expect(isOpenAt('Mo-Fr 09:00-12:00', new Date('2026-06-01T06:30:00Z'))).toBe(false);
		// Monday 7 December 2026, 09:30 in Rome is 08:30 UTC (CET, UTC+1).
		expect(isOpenAt('Mo-Fr 09:00-12:00', new Date('2026-12-07T08:30:00Z'))).toBe(true);
		expect(isOpenAt('Mo-Fr 09:00-12:00', new Date('2026-12-07T07:30:00Z'))).toBe(false);
	});
	it('knows Italian public holidays', () => {
		// 8 December (Immacolata) is a Tuesday in 2026.
		const intervals = openIntervals('Mo-Fr 09:00-12:00; PH off', new Date('2026-12-07T00:00:00Z'), new Date('2026-12-10T00:00:00Z'));
		expect(intervals.map(([start]) => start.toISOString().slice(0, 10))).toEqual(['2026-12-07', '2026-12-09']);
	});
});
