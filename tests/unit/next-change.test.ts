import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nextChangeText } from '../../src/lib/components/resource/hours-text';
import { isAfterHours, nextChange, openNowFirst } from '../../src/lib/domain/week-table';
import { compileMessages } from '../../src/lib/i18n/compile';
import { translator } from '../../src/lib/i18n/translate';
import { romeInstant } from '../setup/clock';

// Issue 14: "chiude alle 18:00", "riapre lunedì alle 15:00" — the one reading (nextChange) and the
// one wording (nextChangeText) behind the lists, the map popup, "Trova aiuto" and the family's card.
// Instants are given as Rome wall-clock readings, so the answers hold in any process time zone.

function messages(locale: string) {
	const folder = path.join('src/lib/i18n/messages', locale);
	return compileMessages(locale, Object.assign({}, ...fs.readdirSync(folder).map((f) => JSON.parse(fs.readFileSync(path.join(folder, f), 'utf8')))));
}
const it_ = translator('it', messages('it'));
const en = translator('en', messages('en'));

const OFFICE = 'Mo-Fr 09:00-12:00,15:00-18:00; PH off';
/** The words for `expression` when Rome's clocks read the given day and time (November 2026: Mon 23 … Sun 29). */
const words = (expression: string, day: number, hour: number, minute = 0, closure: { from: string; until: string | null } | null = null, t = it_, locale = 'it') =>
	nextChangeText(t, locale, nextChange(expression, closure, romeInstant(2026, 11, day, hour, minute)));

describe('the next change of state, in words', () => {
	it('says when an open place closes, today, tomorrow (across midnight) or later', () => {
		expect(words(OFFICE, 24, 10)).toBe('Chiude alle 12:00');
		expect(words(OFFICE, 24, 16, 30)).toBe('Chiude alle 18:00');
		// A Friday night opening runs past midnight into Saturday.
		expect(words('Fr 20:00-02:00', 27, 23, 30)).toBe('Chiude domani alle 02:00');
		expect(words('Fr 20:00-02:00', 28, 0, 30)).toBe('Chiude alle 02:00');
		expect(words('24/7', 24, 10)).toBe('Aperto senza pause nei prossimi giorni');
	});

	it('says when a closed place reopens: today, tomorrow, across the weekend, beyond a week', () => {
		expect(words(OFFICE, 24, 13)).toBe('Riapre oggi alle 15:00');
		expect(words(OFFICE, 24, 19)).toBe('Riapre domani alle 09:00');
		// Friday evening and all weekend: Monday.
		expect(words(OFFICE, 27, 18, 0)).toBe('Riapre lunedì alle 09:00');
		expect(words('Mo 15:00-18:00', 28, 10)).toBe('Riapre lunedì alle 15:00');
		// Sunday 23:30 in Rome is Sunday 22:30 UTC: Monday is "domani", not "oggi".
		expect(words('Mo 15:00-18:00', 29, 23, 30)).toBe('Riapre domani alle 15:00');
		// A week or more ahead, the date too.
		expect(words('Mo 15:00-18:00', 23, 19)).toBe('Riapre lunedì 30 novembre alle 15:00');
	});

	it('speaks English on English pages', () => {
		expect(words(OFFICE, 24, 10, 0, null, en, 'en')).toBe('Closes at 12:00');
		expect(words('Mo 15:00-18:00', 28, 10, 0, null, en, 'en')).toBe('Opens Monday at 15:00');
		expect(words('Fr 20:00-02:00', 27, 23, 30, null, en, 'en')).toBe('Closes tomorrow at 02:00');
	});

	it('keeps what the hours say of an opening they do not promise', () => {
		expect(words('Tu 17:00-19:00 unknown "su appuntamento"', 28, 10)).toBe('Riapre martedì alle 17:00 (su appuntamento)');
		expect(words('Tu 17:00-19:00 unknown "su appuntamento"', 24, 17, 30)).toBe('Fino alle 19:00 (su appuntamento)');
	});

	it('skips a temporary closure, under way or announced, and promises nothing while it has no end', () => {
		// Closed Tuesday to Thursday: from Tuesday morning, Friday.
		expect(words(OFFICE, 24, 10, 0, { from: '2026-11-24', until: '2026-11-26' })).toBe('Riapre venerdì alle 09:00');
		// Announced for tomorrow: open now until 12:00 still; after closing, not before Friday.
		expect(words(OFFICE, 24, 10, 0, { from: '2026-11-25', until: '2026-11-26' })).toBe('Chiude alle 12:00');
		expect(words(OFFICE, 24, 19, 0, { from: '2026-11-25', until: '2026-11-26' })).toBe('Riapre venerdì alle 09:00');
		expect(nextChange(OFFICE, { from: '2026-11-20', until: null }, romeInstant(2026, 11, 24, 10, 0))).toBeNull();
		expect(nextChange(null, null, romeInstant(2026, 11, 24, 10, 0))).toBeNull();
		expect(nextChangeText(it_, 'it', null)).toBeNull();
	});

	it('reads anew once the announced change or Rome\'s midnight has passed (the answers are kept until then)', () => {
		const expression = 'Mo-Fr 09:00-12:00,15:00-18:00';
		expect(words(expression, 24, 13, 0)).toBe('Riapre oggi alle 15:00');
		expect(words(expression, 24, 14, 59)).toBe('Riapre oggi alle 15:00');
		expect(words(expression, 24, 15, 0)).toBe('Chiude alle 18:00');
		// Back in time (a test's clock may go there): not the kept answer.
		expect(words(expression, 24, 13, 0)).toBe('Riapre oggi alle 15:00');
		expect(words(expression, 24, 23, 59)).toBe('Riapre domani alle 09:00');
		expect(words(expression, 25, 0, 1)).toBe('Riapre oggi alle 09:00');
		const comment = 'Mo-Fr 09:00-12:00 unknown "su appuntamento", Mo-Fr 12:00-13:00';
		expect(words(comment, 24, 11, 0)).toBe('Fino alle 13:00 (su appuntamento)');
		expect(words(comment, 24, 12, 30)).toBe('Chiude alle 13:00');
	});

	it('reads the same whatever time zone the process started in', () => {
		const saved = process.env.TZ;
		try {
			process.env.TZ = 'Pacific/Kiritimati';
			expect(words(OFFICE, 27, 18, 0)).toBe('Riapre lunedì alle 09:00');
			process.env.TZ = 'America/Los_Angeles';
			expect(words('Fr 20:00-02:00', 27, 23, 30)).toBe('Chiude domani alle 02:00');
		} finally {
			process.env.TZ = saved;
		}
	});
});

describe('after hours, open now first', () => {
	it('is after hours from 20:00 to 08:00, at weekends and on public holidays, in Rome time', () => {
		expect(isAfterHours(romeInstant(2026, 11, 24, 10, 0))).toBe(false);
		expect(isAfterHours(romeInstant(2026, 11, 24, 19, 59))).toBe(false);
		expect(isAfterHours(romeInstant(2026, 11, 24, 20, 0))).toBe(true);
		expect(isAfterHours(romeInstant(2026, 11, 25, 0, 30))).toBe(true);
		expect(isAfterHours(romeInstant(2026, 11, 25, 7, 59))).toBe(true);
		expect(isAfterHours(romeInstant(2026, 11, 25, 8, 0))).toBe(false);
		// 19:30 UTC is 20:30 in Rome in winter.
		expect(isAfterHours(new Date('2026-11-24T19:30:00Z'))).toBe(true);
		expect(isAfterHours(romeInstant(2026, 11, 28, 12, 0))).toBe(true);
		expect(isAfterHours(romeInstant(2026, 11, 29, 12, 0))).toBe(true);
		// Tuesday 8 December (Immacolata) is a holiday; the Wednesday after is not.
		expect(isAfterHours(romeInstant(2026, 12, 8, 11, 0))).toBe(true);
		expect(isAfterHours(romeInstant(2026, 12, 9, 11, 0))).toBe(false);
		expect(isAfterHours(romeInstant(2026, 12, 7, 11, 0))).toBe(false);
	});

	it('moves those open now to the top and keeps each group in its order', () => {
		const rows = [
			{ id: 'a', open: false },
			{ id: 'b', open: true },
			{ id: 'c', open: null },
			{ id: 'd', open: true }
		];
		expect(openNowFirst(rows, (r) => r.open).map((r) => r.id)).toEqual(['b', 'd', 'a', 'c']);
	});
});
