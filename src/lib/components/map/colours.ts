/**
 * The schematic basemap's colours: MapLibre's style (style.ts) and the server-drawn first frame
 * (MapFrame, server/map-frame.ts) paint with the same. A module of its own so the frame, on the
 * page's critical path, does not bring the whole MapLibre style with it.
 */
export const COLOURS = {
	background: '#e9edf0',
	neighbour: '#dde2e6',
	neighbourLine: '#aab3bc',
	served: '#fbfbf9',
	servedLine: '#3a434d',
	rioneLine: '#8793a0',
	water: '#a9cbe3',
	waterLine: '#6fa3c8',
	label: '#4a5360',
	rioneLabel: '#3a434d',
	landmark: '#5b4a3a',
	square: '#e4e0d4',
	park: '#2f6b3a',
	stop: '#1f5f99',
	street: '#ffffff',
	streetCasing: '#c3cad1',
	path: '#8a7a66',
	halo: '#ffffff'
};
