import { describe, expect, it } from 'vitest';
import { expressionComments, nextOpening, weekTable, type DayHours } from '../../src/lib/domain/week-table';

const hours = (day: DayHours) => day.ranges.map((r) => `${r.from}-${r.to}`).join(',');

describe('week table', () => {
	it('lists the next 7 days from today in Rome, with each day’s openings', () => {
		// Tuesday 24 November 2026, 10:00 in Rome.
		const table = weekTable('Mo-Fr 09:00-12:00,15:00-18:00; PH off', new Date('2026-11-24T09:00:00Z'))!;
		expect(table.days.map((d) => d.date)).toEqual([
			'2026-11-24',
			'2026-11-25',
			'2026-11-26',
			'2026-11-27',
			'2026-11-28',
			'2026-11-29',
			'2026-11-30'
		]);
		expect(table.days.map((d) => d.weekday)).toEqual([2, 3, 4, 5, 6, 7, 1]);
		expect(table.days.map((d) => d.today)).toEqual([true, false, false, false, false, false, false]);
		expect(hours(table.days[0]!)).toBe('09:00-12:00,15:00-18:00');
		expect(table.days[4]!.ranges).toEqual([]);
		expect(table.exceptions).toEqual([]);
		expect(table.comments).toEqual([]);
	});

	it('takes "today" in Rome, not in UTC', () => {
		// 23:30 UTC on 24 November is already 00:30 on the 25th in Rome.
		const table = weekTable('Mo-Fr 09:00-12:00', new Date('2026-11-24T23:30:00Z'))!;
		expect(table.days[0]!.date).toBe('2026-11-25');
		expect(table.days[0]!.today).toBe(true);
	});

	it('marks public holidays in the table and lists them with the usual hours they replace', () => {
		// Tuesday 1 December 2026: the 8th (Immacolata) is a Tuesday, 7 days later.
		const table = weekTable('Mo-Fr 09:00-12:00; PH off', new Date('2026-12-01T08:00:00Z'))!;
		expect(table.days.find((d) => d.holiday)).toBeUndefined();
		expect(table.exceptions).toHaveLength(1);
		const [holiday] = table.exceptions;
		expect(holiday!.day.date).toBe('2026-12-08');
		expect(holiday!.day.holiday).toBe('Immacolata Concezione');
		expect(holiday!.day.ranges).toEqual([]);
		expect(holiday!.usual?.map((r) => `${r.from}-${r.to}`)).toEqual(['09:00-12:00']);
		// 7 December (Sant'Ambrogio) is a holiday in Milan only, not in Lecco.
		expect(table.exceptions.some((e) => e.day.date === '2026-12-07')).toBe(false);
	});

	it('lists a holiday on which the place stays open, with its hours', () => {
		const table = weekTable('Mo-Su 08:00-20:00', new Date('2026-06-01T08:00:00Z'))!;
		const day = table.days.find((d) => d.date === '2026-06-02')!;
		expect(day.holiday).toBe('Festa della Repubblica');
		expect(hours(day)).toBe('08:00-20:00');
		expect(table.exceptions.map((e) => [e.day.date, e.usual])).toEqual([['2026-06-02', null]]);
	});

	it('crosses the end of the year', () => {
		const table = weekTable('Mo-Sa 09:00-12:00; PH off', new Date('2026-12-28T08:00:00Z'))!;
		expect(table.days.at(-1)!.date).toBe('2027-01-03');
		expect(table.exceptions.map((e) => [e.day.date, e.day.holiday])).toEqual([
			['2027-01-01', 'Capodanno'],
			['2027-01-06', 'Epifania']
		]);
	});

	it('keeps local times across the change from summer time', () => {
		// Summer time ends on Sunday 25 October 2026: that day has 25 hours.
		const table = weekTable('Mo-Su 08:00-20:00', new Date('2026-10-24T08:00:00Z'))!;
		expect(table.days.slice(0, 3).map(hours)).toEqual(['08:00-20:00', '08:00-20:00', '08:00-20:00']);
	});

	it('splits openings across midnight and recognises open-all-day', () => {
		const night = weekTable('Mo-Su 22:00-02:00', new Date('2026-06-02T08:00:00Z'))!;
		expect(hours(night.days[0]!)).toBe('00:00-02:00,22:00-24:00');
		const always = weekTable('24/7', new Date('2026-06-02T08:00:00Z'))!;
		expect(always.days.every((d) => d.allDay)).toBe(true);
		expect(night.days[0]!.allDay).toBe(false);
	});

	it('keeps the expression’s comments and its uncertain openings', () => {
		const expression = 'Mo 17:00-19:00 "su appuntamento"; PH off "chiuso per festa"';
		const table = weekTable(expression, new Date('2026-06-01T08:00:00Z'))!;
		expect(table.comments).toEqual(['su appuntamento', 'chiuso per festa']);
		expect(table.days[0]!.ranges).toEqual([{ from: '17:00', to: '19:00', unknown: true, openEnd: false, comment: 'su appuntamento' }]);
		const republic = table.days[1]!;
		expect(republic.holiday).toBe('Festa della Repubblica');
		expect(republic.closedComment).toBe('chiuso per festa');
	});

	it('marks an open end without inventing a closing time', () => {
		const table = weekTable('Sa 10:00+', new Date('2026-06-06T08:00:00Z'))!;
		const [range] = table.days[0]!.ranges;
		expect(range).toMatchObject({ from: '10:00', unknown: true, openEnd: true, comment: null });
	});

	it('lists days that break the weekday’s usual hours, such as a season ending', () => {
		// Monday 22 June 2026: from 1 July the place closes for the summer.
		const table = weekTable('Sep-Jun: Mo-Fr 14:30-18:00; Jul-Aug off', new Date('2026-06-22T08:00:00Z'))!;
		expect(table.exceptions.map((e) => e.day.date)).toEqual(['2026-07-01', '2026-07-02', '2026-07-03']);
		expect(table.exceptions.every((e) => e.day.ranges.length === 0 && e.usual?.[0]?.from === '14:30')).toBe(true);
	});

	it('lists the weeks an every-other-week opening skips', () => {
		// Wednesday 1 July 2026 is the month's first Wednesday; the 8th is the second.
		const table = weekTable('We[1,3] 17:00-19:00', new Date('2026-07-01T08:00:00Z'))!;
		expect(hours(table.days[0]!)).toBe('17:00-19:00');
		expect(table.exceptions.map((e) => [e.day.date, hours(e.day)])).toEqual([['2026-07-08', '']]);
	});

	it('scans as many days as asked', () => {
		const table = weekTable('Mo-Fr 09:00-12:00', new Date('2026-06-01T08:00:00Z'), { days: 3, exceptionDays: 3 })!;
		expect(table.days).toHaveLength(3);
	});

	it('gives up on an expression it cannot read', () => {
		expect(weekTable('Mo-Fr 25:00-99', new Date('2026-06-01T08:00:00Z'))).toBeNull();
	});

	it('collects comments once each, in order', () => {
		expect(expressionComments('Mo 10:00-12:00 "a"; Tu 10:00-12:00 "b"; We 10:00-12:00 "a"')).toEqual(['a', 'b']);
		expect(expressionComments('Mo-Fr 09:00-12:00')).toEqual([]);
	});
});

describe('next opening', () => {
	// Saturday 28 November 2026, 10:00 in Rome (09:00 UTC).
	const saturday = new Date('2026-11-28T09:00:00Z');

	it('says when a place closed now opens again, in Rome time, counting calendar days', () => {
		expect(nextOpening('Mo 15:00-18:00', saturday)).toEqual({
			open: false,
			at: { date: '2026-11-30', weekday: 1, inDays: 2, time: '15:00' },
			unknown: false,
			comment: null
		});
		// 23:30 UTC on Saturday is already Sunday in Rome: Monday is "tomorrow".
		const next = nextOpening('Mo 15:00-18:00', new Date('2026-11-28T23:30:00Z'));
		expect(next?.open === false && next.at.inDays).toBe(1);
	});

	it('says an open place is open, and until when', () => {
		expect(nextOpening('Sa 09:00-12:00,15:00-18:00', saturday)).toEqual({
			open: true,
			until: { date: '2026-11-28', weekday: 6, inDays: 0, time: '12:00' },
			unknown: false,
			comment: null
		});
	});

	it('keeps the expression’s own comment for an opening it does not promise', () => {
		const next = nextOpening('Tu 17:00-19:00 unknown "su appuntamento"', saturday);
		expect(next).toMatchObject({ open: false, at: { date: '2026-12-01', time: '17:00' }, unknown: true, comment: 'su appuntamento' });
	});

	it('skips the days of a temporary closure, and gives up beyond the scanned days', () => {
		const next = nextOpening('Mo-Fr 09:00-12:00', saturday, { notBefore: '2026-12-03' });
		expect(next).toMatchObject({ open: false, at: { date: '2026-12-03', weekday: 4, inDays: 5, time: '09:00' } });
		expect(nextOpening('Mo-Fr 09:00-12:00', saturday, { notBefore: '2027-01-10' })).toBeNull();
		expect(nextOpening('off', saturday)).toBeNull();
		expect(nextOpening('not an expression', saturday)).toBeNull();
	});
});
