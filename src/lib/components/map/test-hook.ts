import type { Map } from 'maplibre-gl';

/**
 * `window.__map`: the live MapLibre map of the page, set by AtlasMap for the end-to-end tests,
 * which read its state (layers, zoom, rendered features) rather than pixels.
 */
declare global {
	interface Window {
		__map?: Map;
	}
}

export {};
