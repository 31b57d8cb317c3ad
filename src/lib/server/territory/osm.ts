import fs from 'node:fs';
import path from 'node:path';
import { createOSMStream } from 'osm-pbf-parser-node';
import { checkLonLat } from '../../domain/geometry';
import { isWalkable, isWaterArea, landmarkKind, lineLayer, type OsmTags } from '../../domain/osm-tags';
import { metresBetween } from '../../domain/walking';
import * as territory from '../db/territory';

/**
 * `npm run import:osm -- FILE.osm.pbf`: an OpenStreetMap extract (read with osm-pbf-parser-node)
 * becomes the walkable network (walk_node, walk_edge) and the app's own basemap layers
 * (territory_feature: streets, paths, shoreline, landmarks), replaced whole in one transaction.
 * Which feature goes where is domain/osm-tags.ts. Every coordinate is held in memory while the
 * file is read: use an extract of the city (a few MB), not a region (see the README).
 */

export class OsmImportError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'OsmImportError';
	}
}

export interface OsmImportReport {
	file: string;
	nodes: number;
	edges: number;
	/** Network length, km (each street once). */
	km: number;
	layers: Record<territory.TerritoryLayer, number>;
}

interface OsmNode { type: 'node'; id: number; lon: number; lat: number; tags?: OsmTags }
interface OsmWay { type: 'way'; id: number; refs: number[]; tags?: OsmTags }
interface OsmRelation { type: 'relation'; id: number; members: { type: string; ref: number; role: string }[]; tags?: OsmTags }
type OsmItem = OsmNode | OsmWay | OsmRelation | { type?: undefined };

async function* items(file: string): AsyncGenerator<OsmItem> {
	try {
		for await (const item of createOSMStream(file, { withTags: true, withInfo: false })) yield item as OsmItem;
	} catch (error) {
		throw new OsmImportError(`${path.basename(file)} is not a readable OpenStreetMap PBF file (${(error as Error).message})`);
	}
}

/** Reads the extract; writes nothing. */
export async function readExtract(file: string): Promise<{ nodes: territory.NetworkNode[]; edges: territory.NetworkEdge[]; features: territory.TerritoryFeatureInput[] }> {
	if (!fs.existsSync(file)) throw new OsmImportError(`${file}: no such file`);
	if (!file.endsWith('.pbf')) throw new OsmImportError(`${path.basename(file)}: expected an .osm.pbf extract`);

	// First pass: the ways that outline water in multipolygon relations (relations come last in a
	// PBF file, after the ways they use, so they cannot be known in one pass).
	const waterWays = new Map<number, string>();
	for await (const item of items(file)) {
		if (item.type === 'relation' && item.tags && isWaterArea(item.tags)) {
			for (const m of item.members) if (m.type === 'way') waterWays.set(m.ref, item.tags.water ?? 'water');
		}
	}

	const coords = new Map<number, [number, number]>();
	const features: territory.TerritoryFeatureInput[] = [];
	const edges = new Map<string, territory.NetworkEdge>();
	const used = new Set<number>();
	const problems: string[] = [];
	const line = (refs: number[]): [number, number][] => refs.map((r) => coords.get(r)).filter((c): c is [number, number] => c !== undefined);

	for await (const item of items(file)) {
		if (item.type === 'node') {
			const checked = checkLonLat(item.lon, item.lat);
			if (!checked.ok) {
				problems.push(`node ${item.id}: ${checked.error}`);
				continue;
			}
			coords.set(item.id, [item.lon, item.lat]);
			const kind = item.tags ? landmarkKind(item.tags) : null;
			if (kind) features.push({ layer: 'landmark', kind, name: item.tags!.name!.trim(), geometry: { type: 'Point', coordinates: [item.lon, item.lat] }, ref: `node/${item.id}` });
		} else if (item.type === 'way') {
			const tags = item.tags ?? {};
			const points = line(item.refs);
			// A way whose nodes are not in the extract (cut at its border) keeps the part inside.
			if (points.length < 2) continue;
			const layer = lineLayer(tags) ?? (waterWays.has(item.id) ? { layer: 'shoreline' as const, kind: waterWays.get(item.id)! } : null);
			const name = tags.name?.trim() || null;
			if (layer) features.push({ layer: layer.layer, kind: layer.kind, name, geometry: { type: 'LineString', coordinates: points }, ref: `way/${item.id}` });
			const landmark = landmarkKind(tags);
			if (landmark && item.refs[0] === item.refs.at(-1)) {
				// A closed way (a park, a church's outline): its landmark is the mean of its corners.
				const ring = points.slice(0, -1);
				const lon = ring.reduce((s, p) => s + p[0], 0) / ring.length;
				const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
				features.push({ layer: 'landmark', kind: landmark, name, geometry: { type: 'Point', coordinates: [lon, lat] }, ref: `way/${item.id}` });
			}
			if (isWalkable(tags)) {
				for (let i = 1; i < item.refs.length; i++) {
					const a = item.refs[i - 1]!, b = item.refs[i]!;
					const ca = coords.get(a), cb = coords.get(b);
					if (a === b || !ca || !cb) continue;
					const [source, target] = a < b ? [a, b] : [b, a];
					const length_m = metresBetween({ lon: ca[0], lat: ca[1] }, { lon: cb[0], lat: cb[1] });
					const key = `${source}:${target}`;
					const seen = edges.get(key);
					if (!seen || length_m < seen.length_m) edges.set(key, { source, target, length_m });
					used.add(a).add(b);
				}
			}
		}
	}
	if (problems.length > 0) throw new OsmImportError(`${problems.length} bad nodes, e.g. ${problems.slice(0, 5).join('; ')}`);
	if (edges.size === 0) throw new OsmImportError(`${path.basename(file)} has no walkable way: is it an extract of the served territory?`);
	const nodes = [...used].sort((a, b) => a - b).map((id) => ({ id, lon: coords.get(id)![0], lat: coords.get(id)![1] }));
	return { nodes, edges: [...edges.values()], features };
}

/** Reads FILE and replaces the network and the OSM layers with it (nothing is written on an error). */
export async function importOsm(file: string, actor: territory.ImportActor = { id: null, email: null }): Promise<OsmImportReport> {
	const data = await readExtract(file);
	await territory.replaceOsm(data, path.basename(file), actor);
	const layers: Record<territory.TerritoryLayer, number> = { street: 0, path: 0, shoreline: 0, landmark: 0 };
	for (const f of data.features) layers[f.layer]++;
	return {
		file,
		nodes: data.nodes.length,
		edges: data.edges.length,
		km: Math.round(data.edges.reduce((s, e) => s + e.length_m, 0) / 100) / 10,
		layers
	};
}
