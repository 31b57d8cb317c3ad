/**
 * Which OpenStreetMap features become what in the atlas (`npm run import:osm`): pure rules on a
 * feature's tags, so they are tested without a file. See the README's "Territory data a deployment
 * downloads".
 */

export type OsmTags = Record<string, string>;

/** Roads drawn as streets; a person may walk along all but the motorways and trunk roads. */
const STREETS = new Set([
	'motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary', 'secondary_link',
	'tertiary', 'tertiary_link', 'unclassified', 'residential', 'living_street', 'service', 'pedestrian', 'road'
]);
/** Ways drawn as paths: for people on foot (or bicycles, which pedestrians share in Italy unless signed). */
const PATHS = new Set(['footway', 'path', 'steps', 'track', 'cycleway', 'bridleway', 'corridor']);
/** Roads closed to pedestrians by Italian law (Codice della strada, art. 175) unless tagged otherwise. */
const NO_PEDESTRIANS = new Set(['motorway', 'motorway_link', 'trunk', 'trunk_link']);
const REFUSED = new Set(['no', 'private']);
const ALLOWED = new Set(['yes', 'designated', 'permissive', 'destination']);

/** Whether a way is part of the walkable network. */
export function isWalkable(tags: OsmTags): boolean {
	const highway = tags.highway;
	if (!highway || !(STREETS.has(highway) || PATHS.has(highway))) return false;
	if (tags.area === 'yes' && highway !== 'pedestrian') return false;
	const foot = tags.foot;
	if (foot && REFUSED.has(foot)) return false;
	if (foot && ALLOWED.has(foot)) return true;
	if (NO_PEDESTRIANS.has(highway)) return false;
	return !(tags.access && REFUSED.has(tags.access));
}

export type LineLayer = 'street' | 'path' | 'shoreline';

/** The basemap layer a way is drawn in (with the tag value that put it there), or null. */
export function lineLayer(tags: OsmTags): { layer: LineLayer; kind: string } | null {
	const highway = tags.highway;
	if (highway && STREETS.has(highway)) return { layer: 'street', kind: highway };
	if (highway && PATHS.has(highway)) return { layer: 'path', kind: highway };
	if (tags.natural === 'coastline') return { layer: 'shoreline', kind: 'coastline' };
	if (tags.natural === 'water' || tags.waterway === 'riverbank') return { layer: 'shoreline', kind: tags.water ?? 'water' };
	return null;
}

/** Whether a relation outlines water (its member ways are shoreline). */
export function isWaterArea(tags: OsmTags): boolean {
	return tags.type === 'multipolygon' && (tags.natural === 'water' || tags.waterway === 'riverbank');
}

const LANDMARK_TAGS: Record<string, Set<string> | null> = {
	amenity: new Set(['place_of_worship', 'townhall', 'library', 'hospital', 'theatre', 'marketplace', 'community_centre', 'arts_centre']),
	tourism: new Set(['attraction', 'museum', 'viewpoint']),
	leisure: new Set(['park', 'garden', 'stadium']),
	railway: new Set(['station']),
	// Every historic feature: castles, monuments, memorials — what people give directions by.
	historic: null
};

/** The kind of a named landmark to orient by ("place_of_worship", "park", …), or null. */
export function landmarkKind(tags: OsmTags): string | null {
	if (!tags.name?.trim()) return null;
	for (const [key, values] of Object.entries(LANDMARK_TAGS)) {
		const value = tags[key];
		if (value && (values === null || values.has(value))) return value;
	}
	return null;
}
