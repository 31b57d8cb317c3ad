import { isStale } from './record-changes';

/**
 * Where a public record comes from and how fresh it is, said the same way wherever it is shown:
 * - `stale`: not confirmed for STALE_AFTER_MONTHS months — "da verificare", whatever its source
 *   (the administrators' list flags the same records: one rule, record-changes.ts isStale);
 * - `partner`: kept by its organisation, which last confirmed or changed it on `date`;
 * - `source`: as loaded from an open data set (the seed), whose data are of `date`.
 * Never "verified" for a stale record.
 */
export type Provenance = { kind: 'stale' | 'partner' | 'source'; date: string; source: string };

export interface ProvenanceFacts {
	/** `partner` for a record its organisation entered itself (source table). */
	sourceId: string;
	sourceName: string;
	/** The service's verified_at (YYYY-MM-DD): the seed's data date, or the partner's last confirmation. */
	verifiedAt: string;
	/** Its organisation's verified_at: an organisation flagged stale flags its services too. */
	organizationVerifiedAt: string;
	/** Whether the organisation confirmed or edited the record through the partner pages. */
	confirmedByPartner: boolean;
}

/** The data set's publisher: "Regione Lombardia — Elenco completo farmacie (15/02/2026)" → "Regione Lombardia". */
export function sourcePublisher(name: string): string {
	return name.split(' — ')[0]!.trim() || name;
}

export function provenanceOf(facts: ProvenanceFacts, today: string): Provenance {
	const source = sourcePublisher(facts.sourceName);
	if (isStale(facts.verifiedAt, today) || isStale(facts.organizationVerifiedAt, today)) {
		return { kind: 'stale', date: facts.verifiedAt < facts.organizationVerifiedAt ? facts.verifiedAt : facts.organizationVerifiedAt, source };
	}
	if (facts.sourceId === 'partner' || facts.confirmedByPartner) return { kind: 'partner', date: facts.verifiedAt, source };
	return { kind: 'source', date: facts.verifiedAt, source };
}
