import * as gazetteer from '../db/gazetteer';
import { pointFacts } from '../db/match';

/* Placing an address: the pact form's and the partner location form's "find" button, without JavaScript. */

export interface Located {
	lon: number;
	lat: number;
	/** What the address matched in the gazetteer. */
	name: string;
	kind: gazetteer.PlaceMatch['kind'];
	/** The rione the point falls in, if any. */
	neighbourhood: string | null;
}

/**
 * A point for a typed address from the offline gazetteer: the street (placed at the known
 * addresses on it: approximate), else a place or rione, with the rione it falls in. House numbers
 * are not known, so they are left out of the search; the applicant checks and corrects the point.
 */
export async function locate(address: string, servedMarginM: number): Promise<Located | null> {
	const street = address.split(/[,\d]/)[0]!.replace(/\s+/g, ' ').trim();
	if (street.length < 3) return null;
	const matches = (await gazetteer.search(street, 8)).filter((m) => m.kind !== 'resource');
	// Several comuni have a "Via Roma": prefer one in a rione of the city, then one in the served area.
	let best: { located: Located; served: boolean } | null = null;
	for (const match of matches) {
		const facts = await pointFacts(match, servedMarginM);
		const located = { lon: match.lon, lat: match.lat, name: match.name, kind: match.kind, neighbourhood: facts.neighbourhood };
		if (facts.neighbourhood) return located;
		if (!best || (facts.served && !best.served)) best = { located, served: facts.served };
	}
	return best?.located ?? null;
}
