import type {
	CircleLayerSpecification,
	ExpressionSpecification,
	FilterSpecification,
	LayerSpecification,
	StyleSpecification,
	SymbolLayerSpecification
} from 'maplibre-gl';
import { INK } from './categories';
import { COLOURS } from './colours';

/**
 * The schematic basemap as a MapLibre style built in code, fed only by the app's own GeoJSON
 * (`/basemap/layers.geojson`, `/basemap/transit.geojson`): no tiles, sprite or glyph server, so it works
 * offline and never leaves the site's origin. Spec: https://maplibre.org/maplibre-style-spec/
 *
 * Text is drawn by MapLibre itself from a CSS font (no `glyphs` property: MapLibre renders each
 * glyph locally with TinySDF, using `text-font` as the CSS font-family list). The font is
 * self-hosted Noto Sans (@fontsource, imported by AtlasMap). MapLibre guesses the weight from the
 * first name, hence "Noto Sans Bold" (matching no font) before the real family "Noto Sans".
 */
export const FONT_REGULAR = ['Noto Sans'];
export const FONT_BOLD = ['Noto Sans Bold', 'Noto Sans'];

/** Lecco's ISTAT outline bounds [W, S, E, N], the default view before any data arrives. */
export { SERVED_BOUNDS } from '$lib/domain/map-frame';

/**
 * Natural Earth's 1:10M lake is not a shoreline (it covers part of the city centre): draw it only
 * up to zoom 10 (a layer's maxzoom is exclusive, so 11 keeps every zoom below 11), fading out.
 */
const LAKE_MAX_ZOOM = 11;
/** Neighbouring comuni are named up to zoom 13; closer in, the rioni take over. */
const COMUNE_LABEL_MAX_ZOOM = 14;
const RIONE_LABEL_MIN_ZOOM = 11.5;
/** Railway stations from city zoom; squares and landmarks in the town; bus stops only close in. */
const STATION_MIN_ZOOM = 11.5;
const LANDMARK_MIN_ZOOM = 14;
const BUS_STOP_MIN_ZOOM = 15.5;
const BUS_STOP_LABEL_MIN_ZOOM = 16.5;
/** Imported OpenStreetMap layers (in /basemap/layers.geojson as `osm-…`): streets from the town's scale, paths and names closer in. */
const STREET_MIN_ZOOM = 12;
const PATH_MIN_ZOOM = 14;
const STREET_LABEL_MIN_ZOOM = 15.5;


const layer = {
	comune: ['==', ['get', 'layer'], 'comune'] as ExpressionSpecification,
	comuneLabel: ['==', ['get', 'layer'], 'comune-label'] as ExpressionSpecification,
	rioneLabel: ['==', ['get', 'layer'], 'rione-label'] as ExpressionSpecification,
	served: ['==', ['get', 'served'], true] as ExpressionSpecification,
	landmark: ['==', ['get', 'layer'], 'landmark'] as ExpressionSpecification,
	rione: ['==', ['get', 'layer'], 'rione'] as ExpressionSpecification,
	lake: ['==', ['get', 'layer'], 'lake'] as ExpressionSpecification,
	river: ['==', ['get', 'layer'], 'river'] as ExpressionSpecification,
	rail: ['==', ['get', 'kind'], 'rail'] as ExpressionSpecification,
	bus: ['==', ['get', 'kind'], 'bus'] as ExpressionSpecification
};

/** "Lecco, Amendola/Ghislanzoni" → "Amendola/Ghislanzoni": every stop in town starts with the comune. */
const STOP_NAME: ExpressionSpecification = [
	'case',
	['==', ['index-of', 'Lecco, ', ['get', 'name']], 0],
	['slice', ['get', 'name'], 7],
	['get', 'name']
];

/**
 * What the map can orient people with offline (there is no street network): the gazetteer's
 * squares, parks and landmarks, the railway stations and the bus stops (GTFS), as labels.
 */
function landmarkLayers(): LayerSpecification[] {
	const halo = { 'text-halo-color': COLOURS.halo, 'text-halo-width': 1.5 };
	return [
		{
			id: 'bus-stops',
			type: 'circle',
			source: 'transit',
			minzoom: BUS_STOP_MIN_ZOOM,
			filter: layer.bus,
			paint: {
				'circle-radius': ['interpolate', ['linear'], ['zoom'], 15.5, 2.5, 18, 4.5],
				'circle-color': COLOURS.halo,
				'circle-stroke-color': COLOURS.stop,
				'circle-stroke-width': 1.5
			}
		},
		{
			id: 'bus-stops-label',
			type: 'symbol',
			source: 'transit',
			minzoom: BUS_STOP_LABEL_MIN_ZOOM,
			filter: layer.bus,
			layout: {
				'text-field': STOP_NAME,
				'text-font': FONT_REGULAR,
				'text-size': 10.5,
				'text-anchor': 'left',
				'text-offset': [0.6, 0],
				'text-max-width': 9,
				'text-optional': true
			},
			paint: { 'text-color': COLOURS.stop, ...halo }
		},
		{
			id: 'landmarks',
			type: 'symbol',
			source: 'basemap',
			minzoom: LANDMARK_MIN_ZOOM,
			filter: layer.landmark,
			layout: {
				'text-field': ['get', 'name'],
				'text-font': FONT_REGULAR,
				'text-size': ['interpolate', ['linear'], ['zoom'], 14, 10.5, 17, 12.5],
				'text-max-width': 8,
				// Squares first when labels collide: they are what people name as a meeting point.
				'symbol-sort-key': ['match', ['get', 'kind'], 'square', 0, 'park', 1, 2]
			},
			paint: {
				'text-color': ['match', ['get', 'kind'], 'park', COLOURS.park, COLOURS.landmark],
				...halo
			}
		},
		{
			id: 'stations',
			type: 'circle',
			source: 'transit',
			minzoom: STATION_MIN_ZOOM,
			filter: layer.rail,
			paint: {
				'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 4, 16, 6],
				'circle-color': COLOURS.servedLine,
				'circle-stroke-color': COLOURS.halo,
				'circle-stroke-width': 2
			}
		},
		{
			id: 'stations-label',
			type: 'symbol',
			source: 'transit',
			minzoom: STATION_MIN_ZOOM,
			filter: layer.rail,
			layout: {
				'text-field': ['concat', 'Stazione di ', ['get', 'name']],
				'text-font': FONT_BOLD,
				'text-size': 12,
				// The station sits among the centre's clusters and squares: any side of its dot will
				// do, rather than no name at all when the one below is taken.
				'text-variable-anchor': ['top', 'bottom', 'right', 'left'],
				'text-radial-offset': 0.8,
				'text-max-width': 10
			},
			paint: { 'text-color': COLOURS.servedLine, ...halo }
		}
	];
}

const TEXT_HALO = { 'text-halo-color': COLOURS.halo, 'text-halo-width': 1.5 };
/** An imported OpenStreetMap layer in the basemap collection (server: `basemap.mapLayers`). */
const territoryLayer = (name: string): ExpressionSpecification => ['==', ['get', 'layer'], `osm-${name}`];
/**
 * A street's width by zoom and kind, `extra` pixels wider for its casing. A zoom curve must be the
 * top-level expression of a paint property (MapLibre refuses `['+', curve, n]`, and then the whole
 * style: no map at all), so the casing gets a curve of its own.
 */
function streetWidth(extra = 0): ExpressionSpecification {
	const major = ['primary', 'secondary', 'trunk', 'motorway'];
	return [
		'interpolate', ['linear'], ['zoom'],
		12, ['match', ['get', 'kind'], major, 1.6 + extra, 0.6 + extra],
		17, ['match', ['get', 'kind'], major, 9 + extra, ['service'], 3 + extra, 6 + extra]
	];
}

/**
 * The layers a deployment imported from OpenStreetMap (`npm run import:osm`): shoreline, paths,
 * streets with their names, landmarks. An empty source (nothing imported) draws nothing.
 */
function territoryLayers(): LayerSpecification[] {
	return [
		{
			id: 'territory-shoreline',
			type: 'line',
			source: 'basemap',
			filter: territoryLayer('shoreline'),
			paint: { 'line-color': COLOURS.waterLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.8, 16, 2] }
		},
		{
			id: 'territory-path',
			type: 'line',
			source: 'basemap',
			minzoom: PATH_MIN_ZOOM,
			filter: territoryLayer('path'),
			paint: { 'line-color': COLOURS.path, 'line-width': 1, 'line-dasharray': [2, 1.5] }
		},
		{
			id: 'territory-street-casing',
			type: 'line',
			source: 'basemap',
			minzoom: STREET_MIN_ZOOM,
			filter: territoryLayer('street'),
			layout: { 'line-join': 'round', 'line-cap': 'round' },
			paint: { 'line-color': COLOURS.streetCasing, 'line-width': streetWidth(1.5) }
		},
		{
			id: 'territory-street',
			type: 'line',
			source: 'basemap',
			minzoom: STREET_MIN_ZOOM,
			filter: territoryLayer('street'),
			layout: { 'line-join': 'round', 'line-cap': 'round' },
			paint: { 'line-color': COLOURS.street, 'line-width': streetWidth() }
		}
	];
}

function territoryLabels(): LayerSpecification[] {
	return [
		{
			id: 'territory-street-label',
			type: 'symbol',
			source: 'basemap',
			minzoom: STREET_LABEL_MIN_ZOOM,
			filter: ['all', ['any', territoryLayer('street'), territoryLayer('path')], ['has', 'name']],
			layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': FONT_REGULAR, 'text-size': 11 },
			paint: { 'text-color': COLOURS.label, ...TEXT_HALO }
		},
		{
			id: 'territory-landmark',
			type: 'symbol',
			source: 'basemap',
			minzoom: LANDMARK_MIN_ZOOM,
			filter: territoryLayer('landmark'),
			layout: { 'text-field': ['get', 'name'], 'text-font': FONT_REGULAR, 'text-size': 11, 'text-max-width': 9 },
			paint: { 'text-color': ['match', ['get', 'kind'], ['park', 'garden'], COLOURS.park, COLOURS.landmark], ...TEXT_HALO }
		}
	];
}

function basemapLayers(): LayerSpecification[] {
	return [
		{ id: 'background', type: 'background', paint: { 'background-color': COLOURS.background } },
		{
			id: 'comuni-fill',
			type: 'fill',
			source: 'basemap',
			filter: layer.comune,
			paint: { 'fill-color': ['case', layer.served, COLOURS.served, COLOURS.neighbour] }
		},
		{
			id: 'lake',
			type: 'fill',
			source: 'basemap',
			maxzoom: LAKE_MAX_ZOOM,
			filter: layer.lake,
			paint: {
				'fill-color': COLOURS.water,
				'fill-opacity': ['interpolate', ['linear'], ['zoom'], 10, 1, LAKE_MAX_ZOOM, 0]
			}
		},
		{
			id: 'river',
			type: 'line',
			source: 'basemap',
			maxzoom: LAKE_MAX_ZOOM,
			filter: layer.river,
			paint: { 'line-color': COLOURS.waterLine, 'line-width': 1.2 }
		},
		...territoryLayers(),
		{
			id: 'rioni-line',
			type: 'line',
			source: 'basemap',
			minzoom: 10,
			filter: layer.rione,
			// Thin and dashed: rioni are informal areas, and the shipped boundaries are approximate.
			paint: { 'line-color': COLOURS.rioneLine, 'line-width': 1, 'line-dasharray': [3, 2] }
		},
		{
			id: 'comuni-line',
			type: 'line',
			source: 'basemap',
			filter: ['all', layer.comune, ['!', layer.served]],
			paint: { 'line-color': COLOURS.neighbourLine, 'line-width': 0.8 }
		},
		{
			id: 'served-line',
			type: 'line',
			source: 'basemap',
			filter: ['all', layer.comune, layer.served],
			layout: { 'line-join': 'round' },
			paint: { 'line-color': COLOURS.servedLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.5, 14, 3] }
		},
		{
			id: 'comuni-label',
			type: 'symbol',
			source: 'basemap',
			minzoom: 9,
			maxzoom: COMUNE_LABEL_MAX_ZOOM,
			filter: ['all', layer.comuneLabel, ['!', layer.served]],
			layout: { 'text-field': ['get', 'name'], 'text-font': FONT_REGULAR, 'text-size': 12, 'text-max-width': 8 },
			paint: { 'text-color': COLOURS.label, 'text-halo-color': COLOURS.halo, 'text-halo-width': 1.5 }
		},
		{
			id: 'rioni-label',
			type: 'symbol',
			source: 'basemap',
			minzoom: RIONE_LABEL_MIN_ZOOM,
			filter: layer.rioneLabel,
			layout: {
				'text-field': ['upcase', ['get', 'name']],
				'text-font': FONT_REGULAR,
				'text-size': ['interpolate', ['linear'], ['zoom'], 12, 11, 16, 14],
				'text-letter-spacing': 0.08,
				'text-max-width': 7
			},
			paint: { 'text-color': COLOURS.rioneLabel, 'text-halo-color': COLOURS.halo, 'text-halo-width': 1.8 }
		},
		...territoryLabels(),
		...landmarkLayers(),
		{
			id: 'served-label',
			type: 'symbol',
			source: 'basemap',
			maxzoom: RIONE_LABEL_MIN_ZOOM,
			filter: ['all', layer.comuneLabel, layer.served],
			layout: { 'text-field': ['get', 'name'], 'text-font': FONT_BOLD, 'text-size': 15 },
			paint: { 'text-color': COLOURS.servedLine, 'text-halo-color': COLOURS.halo, 'text-halo-width': 2 }
		}
	];
}

/**
 * The schematic style. `origin` is the site's own origin (location.origin): source URLs are made
 * absolute so nothing depends on how MapLibre resolves relative ones.
 */
export function schematicStyle(origin: string): StyleSpecification {
	const url = (path: string) => new URL(path, origin).href;
	return {
		version: 8,
		name: 'Atlante di comunità — schematic',
		// No `glyphs` and no `sprite`: text and icons are drawn in the browser (see above).
		sources: {
			// One source for every fill and line (see `mapLayers` in $lib/server/db/basemap: one
			// tile clipping mask a frame instead of one per change of source).
			basemap: { type: 'geojson', data: url('/basemap/layers.geojson') },
			// Circles and labels only, which MapLibre does not clip to tiles.
			transit: { type: 'geojson', data: url('/basemap/transit.geojson') }
		},
		layers: basemapLayers()
	};
}

/* Resource layers, added on top of whichever basemap is used. */

/** Zoom above which points are never clustered (and a selected pin is surely drawn on its own). */
/** The resource layers a click may hit (ResourceLayers.svelte); a click elsewhere is the map's own. */
export const CLICKABLE_LAYERS = ['atlas-pins', 'atlas-clusters'];

export const CLUSTER_MAX_ZOOM = 14;
export const CLUSTER_RADIUS = 40;

export const clusterCircle: Pick<CircleLayerSpecification, 'paint'> = {
	paint: {
		'circle-color': '#37404a',
		'circle-radius': ['step', ['get', 'point_count'], 15, 10, 19, 50, 24],
		'circle-stroke-color': '#ffffff',
		'circle-stroke-width': 2
	}
};

export const clusterCount: Pick<SymbolLayerSpecification, 'layout' | 'paint'> = {
	layout: {
		'text-field': ['get', 'point_count_abbreviated'],
		'text-font': FONT_BOLD,
		'text-size': 13,
		'text-allow-overlap': true,
		// Like the circle under it, a count does not push the basemap's names (stations, squares) off.
		'text-ignore-placement': true
	},
	paint: { 'text-color': '#ffffff' }
};

/** A ring under the selected pin. */
export function selectedFilter(selectedId: string | null): FilterSpecification {
	return ['all', ['!', ['has', 'point_count']], ['==', ['get', 'id'], selectedId ?? '']];
}

export const selectedPaint: CircleLayerSpecification['paint'] = {
	'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 13, 14, 16, 17, 20],
	'circle-color': 'rgba(255,255,255,0.85)',
	'circle-stroke-color': INK,
	'circle-stroke-width': 3
};

export const pins: Pick<SymbolLayerSpecification, 'layout' | 'paint' | 'filter'> = {
	filter: ['!', ['has', 'point_count']],
	layout: {
		'icon-image': ['concat', 'atlas-', ['get', 'category'], ['case', ['==', ['get', 'demo'], true], '-demo', '']],
		'icon-size': ['interpolate', ['linear'], ['zoom'], 10, 0.75, 14, 1, 17, 1.25],
		'icon-allow-overlap': true,
		// Names only when zoomed in far enough for them to fit; the pin never gives way to its name.
		// Parishes and schools are landmarks people orient by: named as soon as they are unclustered.
		'text-field': [
			'step',
			['zoom'],
			'',
			CLUSTER_MAX_ZOOM + 1,
			['match', ['get', 'category'], ['parish', 'school'], ['get', 'name'], ''],
			16,
			['get', 'name']
		],
		'text-font': FONT_REGULAR,
		'text-size': 11,
		'text-anchor': 'top',
		'text-offset': [0, 1.2],
		'text-max-width': 10,
		'text-optional': true
	},
	paint: { 'text-color': INK, 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 }
};
