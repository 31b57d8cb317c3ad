import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inRome, nextInRome, romeDate, romeInstant } from '../setup/clock';

// The tests' own clock helpers: if they were wrong, every date-relative test would be too.
describe('test clock helpers', () => {
	const anyInstant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });

	it('nextInRome lands on the asked weekday and wall-clock time, within a week, after `from`', () => {
		fc.assert(
			fc.property(anyInstant, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (from, weekday, hour, minute) => {
				// 02:00–02:59 does not exist on the spring-forward Sunday: ask for times that always do.
				fc.pre(hour !== 2);
				const at = nextInRome(weekday, hour, minute, from);
				const seen = inRome(at);
				expect([seen.weekday, seen.hour, seen.minute]).toEqual([weekday, hour, minute]);
				expect(at.getTime()).toBeGreaterThan(from.getTime());
				expect(at.getTime() - from.getTime()).toBeLessThanOrEqual(7 * 86_400_000 + 3_600_000);
			}),
			{ numRuns: 500 }
		);
	});

	it('romeInstant knows both of Rome\'s offsets, and romeDate counts calendar days across a clock change', () => {
		expect(romeInstant(2026, 1, 15, 10, 0).toISOString()).toBe('2026-01-15T09:00:00.000Z');
		expect(romeInstant(2026, 7, 15, 10, 0).toISOString()).toBe('2026-07-15T08:00:00.000Z');
		// 00:30 on Sunday 25 October 2026 (the day has 25 hours): tomorrow is the 26th, not the 25th again.
		expect(romeDate(1, romeInstant(2026, 10, 25, 0, 30))).toBe('2026-10-26');
		expect(romeDate(0, new Date('2026-11-29T23:30:00Z'))).toBe('2026-11-30');
		expect(romeDate(-1, new Date('2026-03-01T00:00:00Z'))).toBe('2026-02-28');
	});
});
