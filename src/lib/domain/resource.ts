import type { WalkBasis } from './walking';
import type { Provenance } from './provenance';
import type { NextOpening } from './week-table';

/**
 * A public resource (a pin: a service at a location) as the public API carries it — the properties
 * of a `GET /api/resources` feature (see "Public HTTP API" in the README). One definition for the
 * server that writes it (server/api/public.ts, server/db/resources.ts) and the components that read
 * it (the list, the map, its popup), so a new property is added once.
 */

/** West, south, east, north (WGS84 degrees). */
export type Bbox = [number, number, number, number];

export interface ResourceProperties {
	id: string;
	name: string;
	category: string;
	needs: string[];
	audiences: string[];
	neighbourhood: string | null;
	/** Street address; null when unknown or the location is confidential. */
	address: string | null;
	/** Open at the moment of the answer; null when the hours are unknown. */
	open_now: boolean | null;
	/** Takes new people; null when nobody has said. */
	accepting_new: boolean | null;
	/** A fictional demo record. */
	demo: boolean;
	/** The point is the rione's centre, not the place (a confidential location). */
	approximate: boolean;
	/** The organisation that runs it (lists of "Centro di ascolto" are told apart by it). */
	organization_name: string;
	/** One number to call: the service's own first, else its organisation's; null when none is known. */
	phone: string | null;
	/** The next change of state at the moment of the answer ("closes at 18:00", "reopens Monday at
	 * 15:00", week-table.ts nextChange); null without hours or without an opening in the next 14 days. */
	next_change: NextOpening | null;
	/** Metres from the `near` point, when the request named one. */
	distance_m?: number | null;
	/** The record's source and date (domain/provenance.ts): the home list's entries only, not the API. */
	provenance?: Provenance;
}

/** The GeoJSON feature of a resource. */
export interface ResourceFeature {
	type: 'Feature';
	id: string;
	geometry: { type: 'Point'; coordinates: number[] };
	properties: ResourceProperties;
}

/** A resource as the database reads it: the properties plus its public point. */
export interface ResourceSummary extends Omit<ResourceProperties, 'distance_m' | 'next_change'> {
	lon: number;
	lat: number;
	distance_m: number | null;
}

/**
 * The home list shows this many entries at first and this many more at each "more results": the
 * server renders only those (the page weighs ~60 KB gzip, not 330 KB of HTML), while the map gets
 * every pin. The URL's `shown` says how many are shown, so the "more" link works without JavaScript.
 */
export const LIST_PAGE = 40;

/** How many entries to show so that the one at `index` is among them: whole pages, never fewer than now. */
export function shownToInclude(index: number, shown: number): number {
	return Math.max(shown, Math.ceil((index + 1) / LIST_PAGE) * LIST_PAGE);
}

export function inBbox(feature: ResourceFeature, bbox: Bbox | null): boolean {
	if (!bbox) return true;
	const [lon, lat] = feature.geometry.coordinates as [number, number];
	return lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3];
}

/** A bus stop or station near a public place, with the walking estimate (domain/walking.ts). */
export interface StopNear {
	name: string;
	kind: 'bus' | 'rail';
	distance_m: number;
	walk_min: number;
	/** Along the imported network, or the straight-line estimate (domain/walking.ts). */
	walk_basis: WalkBasis;
}
