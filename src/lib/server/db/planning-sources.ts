import { citedSources, type SourceRecord } from './places';

/**
 * The sources behind the planning figures, for the pages' and the printed report's attribution:
 * the directory's (resources, rioni, places) plus the residents' figures and the transit stops
 * that place them (db/migrations/0009_population_transit.sql).
 */
export function list(): Promise<SourceRecord[]> {
	return citedSources(['organization', 'neighbourhood', 'administrative_area', 'rione_population_current', 'transit_stop']);
}
