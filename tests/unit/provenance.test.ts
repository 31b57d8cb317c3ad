import { describe, expect, it } from 'vitest';
import { todayInRome } from '../../src/lib/domain/dates';
import { provenanceOf, sourcePublisher } from '../../src/lib/domain/provenance';
import { isStale, staleBefore, STALE_AFTER_MONTHS } from '../../src/lib/domain/record-changes';

// The one "da verificare" rule (shared by the administrators' list, the partner pages and the
// resource page) and the provenance line of a public record.

describe('staleBefore', () => {
	it('goes back STALE_AFTER_MONTHS months, clamped to the month’s end as PostgreSQL does', () => {
		expect(STALE_AFTER_MONTHS).toBe(6);
		expect(staleBefore('2026-11-29')).toBe('2026-05-29');
		expect(staleBefore('2026-03-15')).toBe('2025-09-15');
		expect(staleBefore('2026-08-31')).toBe('2026-02-28');
		expect(staleBefore('2028-08-31')).toBe('2028-02-29');
		expect(staleBefore('2027-01-01')).toBe('2026-07-01');
	});

	it('a record confirmed on the limit day is not stale; the day before it is', () => {
		expect(isStale('2026-05-29', '2026-11-29')).toBe(false);
		expect(isStale('2026-05-28', '2026-11-29')).toBe(true);
	});
});

describe('provenanceOf', () => {
	const today = todayInRome();
	const recent = today;
	const old = '2001-01-01';
	const seeded = { sourceId: 'regione-lombardia-farmacie', sourceName: 'Regione Lombardia — Elenco completo farmacie (15/02/2026)', confirmedByPartner: false };

	it('names the data set’s publisher and its date for a seeded record', () => {
		expect(sourcePublisher(seeded.sourceName)).toBe('Regione Lombardia');
		expect(provenanceOf({ ...seeded, verifiedAt: recent, organizationVerifiedAt: recent }, today)).toEqual({ kind: 'source', date: recent, source: 'Regione Lombardia' });
	});

	it('says "confirmed by the partner" for a partner’s record or one it confirmed', () => {
		expect(provenanceOf({ ...seeded, confirmedByPartner: true, verifiedAt: recent, organizationVerifiedAt: recent }, today).kind).toBe('partner');
		expect(provenanceOf({ sourceId: 'partner', sourceName: 'Inserito dal partner del Patto', confirmedByPartner: false, verifiedAt: recent, organizationVerifiedAt: recent }, today).kind).toBe('partner');
	});

	it('is "da verificare" when the service or its organisation is stale, whoever confirmed it', () => {
		expect(provenanceOf({ ...seeded, confirmedByPartner: true, verifiedAt: old, organizationVerifiedAt: recent }, today)).toEqual({ kind: 'stale', date: old, source: 'Regione Lombardia' });
		expect(provenanceOf({ ...seeded, verifiedAt: recent, organizationVerifiedAt: old }, today).kind).toBe('stale');
	});
});
