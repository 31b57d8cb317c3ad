import type * as maplibregl from 'maplibre-gl';
import { getContext, setContext } from 'svelte';

/**
 * The state a map shares with the parts drawn on it (layers, popup, markers), as a runes class in
 * a Svelte context — the pattern svelte-maplibre-gl uses for its own map context
 * (https://svelte.dev/docs/svelte/$state#Classes). BaseMap creates it; the parts read it instead
 * of being handed the map and the cursor through props.
 */
export class MapState {
	/** The live MapLibre map, once created. */
	map: maplibregl.Map | undefined = $state.raw();
	/** The cursor a part asks for (e.g. `pointer` over a pin); empty for the map's default. */
	cursor = $state('');
}

const KEY = Symbol('atlas map state');

export function setMapState(): MapState {
	return setContext(KEY, new MapState());
}

export function getMapState(): MapState {
	const state = getContext<MapState | undefined>(KEY);
	if (!state) throw new Error('getMapState() outside a BaseMap');
	return state;
}
