import { describe, expect, it } from 'vitest';
import { houseNumberOf } from '../../src/lib/domain/house-number';
import { isWalkable, landmarkKind, lineLayer } from '../../src/lib/domain/osm-tags';
import { estimatedWalk, metresBetween, routeReachWithin, routeWalk, straightLineWithin, walkMinutes } from '../../src/lib/domain/walking';

describe('which OpenStreetMap ways are walked and drawn', () => {
	it('streets and paths are walkable; motorways, private and foot=no ways are not, unless foot says so', () => {
		expect(isWalkable({ highway: 'residential' })).toBe(true);
		expect(isWalkable({ highway: 'steps' })).toBe(true);
		expect(isWalkable({ highway: 'motorway' })).toBe(false);
		expect(isWalkable({ highway: 'trunk' })).toBe(false);
		expect(isWalkable({ highway: 'trunk', foot: 'yes' })).toBe(true);
		expect(isWalkable({ highway: 'service', access: 'private' })).toBe(false);
		expect(isWalkable({ highway: 'service', access: 'private', foot: 'yes' })).toBe(true);
		expect(isWalkable({ highway: 'footway', foot: 'no' })).toBe(false);
		expect(isWalkable({ highway: 'construction' })).toBe(false);
		expect(isWalkable({ natural: 'water' })).toBe(false);
	});

	it('puts each way in one layer, and names landmarks only when they have a name', () => {
		expect(lineLayer({ highway: 'motorway' })).toEqual({ layer: 'street', kind: 'motorway' });
		expect(lineLayer({ highway: 'footway' })).toEqual({ layer: 'path', kind: 'footway' });
		expect(lineLayer({ natural: 'water', water: 'lake' })).toEqual({ layer: 'shoreline', kind: 'lake' });
		expect(lineLayer({ building: 'yes' })).toBeNull();
		expect(landmarkKind({ amenity: 'place_of_worship', name: 'San Nicolò' })).toBe('place_of_worship');
		expect(landmarkKind({ historic: 'castle', name: 'Torre Viscontea' })).toBe('castle');
		expect(landmarkKind({ amenity: 'place_of_worship' })).toBeNull();
		expect(landmarkKind({ amenity: 'bench', name: 'Panchina' })).toBeNull();
	});
});

describe('a typed address split into street and house number', () => {
	it.each([
		['via dei tigli 12', { street: 'via dei tigli', number: 12, exponent: '' }],
		['Via dei Tigli, 12', { street: 'Via dei Tigli', number: 12, exponent: '' }],
		['v. tigli 12/a', { street: 'v. tigli', number: 12, exponent: 'A' }],
		['corso Martiri 3 bis', { street: 'corso Martiri', number: 3, exponent: 'BIS' }],
		['via roma 12b', { street: 'via roma', number: 12, exponent: 'B' }]
	])('%s', (text, expected) => expect(houseNumberOf(text)).toEqual(expected));

	it.each(['via dei tigli', 'Via XX Settembre', '12', 'via roma 0'])('%s has no house number', (text) => expect(houseNumberOf(text)).toBeNull());
});

describe('walking times: along a route or estimated', () => {
	it('a route is walked at the model pace without the detour factor; the estimate keeps it', () => {
		expect(routeWalk(750)).toEqual({ minutes: 10, metres: 750, basis: 'route' });
		expect(routeWalk(751).minutes).toBe(11);
		expect(routeWalk(0).minutes).toBe(1);
		expect(estimatedWalk(750)).toEqual({ minutes: walkMinutes(750), metres: 975, basis: 'estimate' });
		expect(walkMinutes(straightLineWithin(10))).toBe(10);
		expect(routeWalk(routeReachWithin(10)).minutes).toBe(10);
	});

	it('measures the great circle: a degree of latitude is about 111 km, a degree of longitude at Lecco about 77.6 km', () => {
		expect(metresBetween({ lon: 9.4, lat: 45 }, { lon: 9.4, lat: 46 })).toBeCloseTo(111_195, -1);
		expect(metresBetween({ lon: 9, lat: 45.85 }, { lon: 10, lat: 45.85 })).toBeCloseTo(77_500, -3);
	});
});
