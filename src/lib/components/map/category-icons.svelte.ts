import { ICON_PIXEL_RATIO, drawIcon, parseIconId } from './categories';
import type { MapState } from './map-state.svelte';

/**
 * Draws the category icons a pin layer asks for (`atlas-<category>[-demo]`) on demand, so they also
 * come back after an external style reloads. Call during a component's initialisation: the
 * resolver lives as long as the component (ResourceLayers, ResourceTileLayers).
 */
export function resolveCategoryIcons(mapState: MapState) {
	$effect(() => {
		const target = mapState.map;
		if (!target) return;
		target.setMissingStyleImageResolver((id) => {
			const icon = parseIconId(id);
			if (!icon || target.hasImage(id)) return;
			const image = drawIcon(icon.code, icon.demo);
			if (image) target.addImage(id, image, { pixelRatio: ICON_PIXEL_RATIO });
		});
		return () => void target.setMissingStyleImageResolver(null);
	});
}
