/** A public resource as the API and the home page carry it (a GeoJSON Point feature). */
export interface ResourceFeature {
	type: 'Feature';
	id: string;
	geometry: { type: 'Point'; coordinates: number[] };
	properties: {
		id: string;
		name: string;
		category: string;
		needs: string[];
		audiences: string[];
		neighbourhood: string | null;
		address: string | null;
		open_now: boolean | null;
		accepting_new: boolean | null;
		demo: boolean;
		approximate: boolean;
		distance_m?: number | null;
	};
}

export type Bbox = [number, number, number, number];

export function inBbox(feature: ResourceFeature, bbox: Bbox | null): boolean {
	if (!bbox) return true;
	const [lon, lat] = feature.geometry.coordinates as [number, number];
	return lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3];
}
