import { AUDIENCES, CATEGORIES, NEEDS } from '../../domain/taxonomy';
import { publicNotesOf } from '../db/location-notes';
import * as places from '../db/places';
import type { ResourceFeature } from '../../domain/resource';
import { nextChange, type NextOpening } from '../../domain/week-table';
import * as resources from '../db/resources';
import type { TileQuery } from '../db/tiles';
import { tileProblem } from '../../domain/tiles';
import { ApiError } from './http';
import * as params from './params';

/**
 * The public API's answers as plain data (see "Public HTTP API" in PRODUCT.md and the README):
 * routes parse nothing themselves, they call these and wrap the result.
 */

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

/** Next changes of state, one reading per distinct hours and closure (many pins share them). */
function nextChanges(now: Date) {
	const seen = new Map<string, NextOpening | null>();
	return (resource: resources.ResourceRow): NextOpening | null => {
		const key = JSON.stringify([resource.opening_hours, resource.closure?.from, resource.closure?.until]);
		if (!seen.has(key)) seen.set(key, nextChange(resource.opening_hours, resource.closure, now));
		return seen.get(key)!;
	};
}

function feature(resource: resources.ResourceRow, withDistance: boolean, next: (row: resources.ResourceRow) => NextOpening | null): ResourceFeature {
	return {
		type: 'Feature' as const,
		id: resource.id,
		geometry: { type: 'Point' as const, coordinates: [round6(resource.lon), round6(resource.lat)] },
		properties: {
			id: resource.id,
			name: resource.name,
			category: resource.category,
			needs: resource.needs,
			audiences: resource.audiences,
			neighbourhood: resource.neighbourhood,
			address: resource.address,
			organization_name: resource.organization_name,
			phone: resource.phone,
			open_now: resource.open_now,
			next_change: next(resource),
			accepting_new: resource.accepting_new,
			demo: resource.demo,
			approximate: resource.approximate,
			...(withDistance ? { distance_m: resource.distance_m } : {})
		}
	};
}

/** Reads the `/api/resources` query; throws a 400 {@link ApiError} for a malformed parameter. */
export function resourceFilter(query: URLSearchParams): resources.ResourceFilter {
	const near = params.lonLat(query, 'near');
	const radius = params.integer(query, 'radius', { min: 1, max: 50_000, fallback: 1000 });
	return {
		near: near ? { ...near, radius } : undefined,
		bbox: params.bbox(query, 'bbox'),
		categories: params.categories(query),
		needs: params.needs(query),
		audiences: params.audiences(query),
		openNow: params.boolean(query, 'open_now') ?? false,
		q: params.text(query, 'q', 200),
		limit: params.integer(query, 'limit', { min: 1, max: 5000, fallback: 200 })
	};
}

export async function resourceCollection(query: URLSearchParams) {
	return collectionFor(resourceFilter(query));
}

/** The FeatureCollection for an already parsed filter. */
export async function collectionFor(filter: resources.ResourceFilter) {
	const rows = await resources.list(filter);
	const next = nextChanges(filter.at ?? new Date());
	return { type: 'FeatureCollection' as const, features: rows.map((row) => feature(row, filter.near !== undefined, next)) };
}

export async function resourceDetail(id: string) {
	const detail = await resources.get(id);
	if (!detail) throw new ApiError(404, `No public resource has the id "${id}".`);
	const base = feature(detail, false, nextChanges(new Date()));
	return {
		...base,
		properties: {
			...base.properties,
			description: detail.description,
			opening_hours: detail.opening_hours,
			timezone: 'Europe/Rome',
			closure: detail.closure,
			...publicNotesOf(detail),
			verified_at: detail.verified_at,
			organization: detail.organization,
			services: detail.services,
			source: detail.source
		}
	};
}

export async function neighbourhoodCollection() {
	const rows = await places.listNeighbourhoods();
	return {
		type: 'FeatureCollection' as const,
		features: rows.map((row) => {
			const counts = Object.fromEntries(CATEGORIES.map((c) => [c.code, row.counts[c.code] ?? 0]));
			return {
				type: 'Feature' as const,
				id: row.id,
				geometry: row.geometry,
				properties: {
					name: row.name,
					derived: row.derived,
					counts,
					total: Object.values(counts).reduce((sum, n) => sum + n, 0)
				}
			};
		})
	};
}

export const needList = () => NEEDS.map(({ code, label_it, label_en }) => ({ code, label_it, label_en }));
export const categoryList = () => CATEGORIES.map(({ code, label_it, label_en }) => ({ code, label_it, label_en }));
export const audienceList = () => AUDIENCES.map(({ code, label_it, label_en }) => ({ code, label_it, label_en }));

/**
 * Reads a tile address (digits already checked by the route's matcher) and its query (`category`);
 * throws a 400 {@link ApiError} for an address outside the tile grid or a malformed parameter.
 */
export function tileQuery(path: { z: string; x: string; y: string }, query: URLSearchParams): TileQuery {
	const address = { z: Number(path.z), x: Number(path.x), y: Number(path.y) };
	const problem = tileProblem(address);
	if (problem) throw new ApiError(400, `No such tile: ${problem}.`);
	return { ...address, categories: params.categories(query) };
}
