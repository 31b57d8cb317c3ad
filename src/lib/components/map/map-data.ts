import type { Feature, FeatureCollection, Point } from 'geojson';
import type { Translate } from '$lib/i18n/translate';
import type { Bbox, ResourceProperties } from '$lib/domain/resource';

/** Small pure helpers of AtlasMap: resource filtering, counts, links and formatting. */

export interface Resource {
	properties: ResourceProperties;
	lon: number;
	lat: number;
}

/** The resource behind a feature, or null when the feature is not a well-formed point resource. */
export function asResource(feature: Feature | undefined): Resource | null {
	if (!feature || feature.geometry?.type !== 'Point') return null;
	const props = feature.properties as Partial<ResourceProperties> | null;
	if (!props || typeof props.id !== 'string') return null;
	const [lon, lat] = (feature.geometry as Point).coordinates;
	if (typeof lon !== 'number' || typeof lat !== 'number') return null;
	return { properties: props as ResourceProperties, lon, lat };
}

export function findResource(resources: FeatureCollection, id: string | null | undefined): Resource | null {
	if (!id) return null;
	return asResource(resources.features.find((f) => (f.properties as { id?: unknown } | null)?.id === id));
}

/** Only the features of the visible categories (clusters then count only what is shown). */
export function filterByCategory(resources: FeatureCollection, visible: readonly string[]): FeatureCollection {
	const shown = new Set(visible);
	return {
		type: 'FeatureCollection',
		features: resources.features.filter((f) => shown.has(String((f.properties as { category?: unknown } | null)?.category)))
	};
}

export function countByCategory(resources: FeatureCollection): Map<string, number> {
	const counts = new Map<string, number>();
	for (const f of resources.features) {
		const category = String((f.properties as { category?: unknown } | null)?.category);
		counts.set(category, (counts.get(category) ?? 0) + 1);
	}
	return counts;
}

const round5 = (value: number) => Math.round(value * 1e5) / 1e5;

export function roundBbox(bbox: Bbox): Bbox {
	return [round5(bbox[0]), round5(bbox[1]), round5(bbox[2]), round5(bbox[3])];
}

export function sameBbox(a: Bbox | null | undefined, b: Bbox | null | undefined): boolean {
	return !!a && !!b && a.every((value, i) => Math.abs(value - b[i]!) < 1e-9);
}

/** The resource page, carrying the chosen place so the page can show the distance from it. */
export function resourceHref(id: string, place: { lon: number; lat: number } | null | undefined): string {
	const path = `/risorse/${encodeURIComponent(id)}`;
	return place ? `${path}?near=${round5(place.lon)},${round5(place.lat)}` : path;
}

/** Metres to "350 m" (to the nearest `roundTo` metres) or "1,2 km": every distance the pages write. */
export function formatDistance(t: Translate, metres: number, roundTo = 1): string {
	return metres < 1000 ? t('distance.m', { distance: Math.round(metres / roundTo) * roundTo }) : t('distance.km', { distance: metres / 1000 });
}

export function openText(t: Translate, openNow: boolean | null | undefined): string {
	if (openNow === true) return t('open.now');
	if (openNow === false) return t('open.closed');
	return t('open.unknown');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For MapLibre's attribution control, which inserts its strings as HTML. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
