import type { StopNear } from './resource';
import type { WalkBasis } from './walking';
import type { DayHours, NextOpening } from './week-table';

/** The answer of GET /api/match (README, "Public HTTP API"): shared by the server that builds it
 * and the pages that show it. */
export interface MatchedResource {
	id: string;
	name: string;
	organization: string;
	category: string;
	distance_m: number;
	walk_min: number;
	/** `route`: along the imported street network ("N min a piedi"); `estimate`: from the straight line ("circa"). */
	walk_basis: WalkBasis;
	open_now: boolean | null;
	accepting: boolean | null;
	covers: string[];
	approximate: boolean;
	demo: boolean;
	neighbourhood: string | null;
	coordinates: [number, number];
	opening_hours: string | null;
}

export interface MatchAnswer {
	at: [number, number];
	neighbourhood: string | null;
	/** `network`: whether a walkable network is imported (then walks are routed where it reaches). */
	walking: { detour_factor: number; metres_per_minute: number; max_walk_min: number | null; network: boolean };
	results: { need: string; resources: MatchedResource[] }[];
}

/** A matched resource with today's hours, as the "Trova aiuto" page shows it. */
export interface HelpResource extends MatchedResource {
	/** Today's hours (Europe/Rome), or null when the hours are not given or cannot be read. */
	today: DayHours | null;
	/** Street address; null when unknown or the place is confidential. */
	address: string | null;
	/** One number to call (the service's first, else its organisation's). */
	phone: string | null;
	/** The next change of state (week-table.ts nextChange). */
	next_change: NextOpening | null;
	/** The nearest bus stop or station on foot; null for a confidential place or none within reach. */
	stop: StopNear | null;
}
