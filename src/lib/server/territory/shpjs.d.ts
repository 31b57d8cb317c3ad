// shpjs 6 ships no type declarations: the part of its API the census importer uses.
declare module 'shpjs' {
	import type { FeatureCollection } from 'geojson';
	type Bytes = ArrayBuffer | Uint8Array;
	/** A zipped shapefile (one layer), or its parts; reprojects to WGS84 when a readable .prj is given. */
	export default function shp(input: Bytes | { shp: Bytes; dbf?: Bytes; prj?: string | Bytes; cpg?: string | Bytes }): Promise<FeatureCollection | FeatureCollection[]>;
}
