import { sql } from './client';
import type { SourceRecord } from './places';

/**
 * The sources behind the planning figures, for the pages' and the printed report's attribution:
 * the directory's (resources, rioni, places) plus the residents' figures and the transit stops
 * that place them (db/migrations/0009_population_transit.sql).
 */
export async function list(): Promise<SourceRecord[]> {
	return sql<SourceRecord[]>`
		SELECT s.id, s.name, s.licence, s.url, s.attribution FROM source s
		WHERE s.id IN (SELECT source_id FROM organization) OR s.id IN (SELECT source_id FROM neighbourhood)
			OR s.id IN (SELECT source_id FROM administrative_area)
			OR s.id IN (SELECT source_id FROM rione_population_current WHERE source_id IS NOT NULL)
			OR s.id IN (SELECT source_id FROM transit_stop)
		ORDER BY s.id`;
}
