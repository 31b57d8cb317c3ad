import { describe, expect, it } from 'vitest';
import { formatCalendarDay, formatDateTime } from '../../src/lib/i18n/dates';

describe('the one date formatter', () => {
	it('reads an instant on Lecco\'s clock, whatever the zone it runs in', () => {
		// 23:30 UTC on 31 December is already the new year in Rome (UTC+1 in winter).
		const at = new Date(Date.UTC(2030, 11, 31, 23, 30));
		expect(formatDateTime('it', at)).toBe('01/01/31, 00:30');
		expect(formatDateTime('it', at.toISOString(), 'medium')).toBe('1 gen 2031, 00:30');
		expect(formatDateTime('en', at, 'short', 'medium')).toBe('1/1/31, 12:30:00 AM');
		expect(formatDateTime('it', at, 'long', null)).toBe('1 gennaio 2031');
	});

	it('reads a calendar day as that day, with no zone', () => {
		expect(formatCalendarDay('it', '2031-01-01')).toBe('1 gennaio 2031');
		expect(formatCalendarDay('en', '2031-01-01', 'medium')).toBe('Jan 1, 2031');
	});
});
