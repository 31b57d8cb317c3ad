/**
 * A Mapbox Vector Tile (spec 2.1, https://github.com/mapbox/vector-tile-spec/tree/master/2.1)
 * encoder for one layer of points, as PostGIS's ST_AsMVT writes it: the embedded backend's PostGIS
 * is compiled without protobuf-c (no ST_AsMVT), so there the app encodes the rows of
 * `resource_tile_features` (db/functions/resource_tiles.sql) itself. Only what those rows need:
 * points already in tile coordinates, and scalar properties (null ones left out, as ST_AsMVT does).
 * Pure: no I/O.
 */

export interface TilePoint {
	/** Tile coordinates: 0…extent, y down. */
	x: number;
	y: number;
	properties: Record<string, unknown>;
}

/** Field numbers and wire types of the vector tile protobuf schema (vector_tile.proto). */
const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const TILE_LAYERS = 3;
const LAYER = { name: 1, features: 2, keys: 3, values: 4, extent: 5, version: 15 } as const;
const FEATURE = { tags: 2, type: 3, geometry: 4 } as const;
const VALUE = { string: 1, double: 3, uint: 5, sint: 6, bool: 7 } as const;
const POINT = 1;
const UTF8 = new TextEncoder();
const MOVE_TO_ONE = (1 << 3) | 1;

/** A growable protobuf writer (varints, length-delimited fields, doubles). */
class Writer {
	private bytes = new Uint8Array(256);
	length = 0;

	private reserve(n: number) {
		if (this.length + n <= this.bytes.length) return;
		const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
		next.set(this.bytes.subarray(0, this.length));
		this.bytes = next;
	}

	varint(value: number) {
		// Values here stay below 2^53: split into 7-bit groups arithmetically (bit operators are 32-bit).
		this.reserve(10);
		let rest = value;
		while (rest >= 0x80) {
			this.bytes[this.length++] = (rest % 0x80) | 0x80;
			rest = Math.floor(rest / 0x80);
		}
		this.bytes[this.length++] = rest;
	}

	tag(field: number, wireType: number) {
		this.varint((field << 3) | wireType);
	}

	raw(data: Uint8Array) {
		this.reserve(data.length);
		this.bytes.set(data, this.length);
		this.length += data.length;
	}

	message(field: number, body: Writer) {
		this.tag(field, BYTES);
		this.varint(body.length);
		this.raw(body.finish());
	}

	string(field: number, text: string) {
		const data = UTF8.encode(text);
		this.tag(field, BYTES);
		this.varint(data.length);
		this.raw(data);
	}

	packed(field: number, values: number[]) {
		const body = new Writer();
		for (const value of values) body.varint(value);
		this.message(field, body);
	}

	double(field: number, value: number) {
		this.tag(field, FIXED64);
		const data = new Uint8Array(8);
		new DataView(data.buffer).setFloat64(0, value, true);
		this.raw(data);
	}

	finish(): Uint8Array {
		return this.bytes.slice(0, this.length);
	}
}

const zigzag = (n: number) => (n < 0 ? -2 * n - 1 : 2 * n);

type Scalar = string | number | boolean;

/** One value message, typed as ST_AsMVT types it: integers ≥ 0 uint, below 0 sint, others double. */
function encodeValue(value: Scalar): Writer {
	const body = new Writer();
	if (typeof value === 'string') body.string(VALUE.string, value);
	else if (typeof value === 'boolean') {
		body.tag(VALUE.bool, VARINT);
		body.varint(value ? 1 : 0);
	} else if (Number.isSafeInteger(value)) {
		body.tag(value >= 0 ? VALUE.uint : VALUE.sint, VARINT);
		body.varint(value >= 0 ? value : zigzag(value));
	} else body.double(VALUE.double, value);
	return body;
}

function isScalar(value: unknown): value is Scalar {
	return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * One tile holding one layer `name` with `points`, in the given order. No points: an empty tile
 * (zero bytes), as ST_AsMVT gives for no rows (resource_tiles turns its NULL into '').
 */
export function encodePointLayer(name: string, points: readonly TilePoint[], extent = 4096): Uint8Array {
	if (points.length === 0) return new Uint8Array(0);
	const keys = new Map<string, number>();
	const values = new Map<string, { index: number; value: Scalar }>();
	const layer = new Writer();
	layer.tag(LAYER.version, VARINT);
	layer.varint(2);
	layer.string(LAYER.name, name);
	for (const point of points) {
		const tags: number[] = [];
		for (const [key, value] of Object.entries(point.properties)) {
			if (!isScalar(value)) continue;
			if (!keys.has(key)) keys.set(key, keys.size);
			// Values are shared by type and content: 1 (a number) and "1" (a string) stay distinct.
			const valueKey = `${typeof value}:${value}`;
			if (!values.has(valueKey)) values.set(valueKey, { index: values.size, value });
			tags.push(keys.get(key)!, values.get(valueKey)!.index);
		}
		const feature = new Writer();
		if (tags.length > 0) feature.packed(FEATURE.tags, tags);
		feature.tag(FEATURE.type, VARINT);
		feature.varint(POINT);
		feature.packed(FEATURE.geometry, [MOVE_TO_ONE, zigzag(Math.round(point.x)), zigzag(Math.round(point.y))]);
		layer.message(LAYER.features, feature);
	}
	for (const key of keys.keys()) layer.string(LAYER.keys, key);
	for (const { value } of values.values()) layer.message(LAYER.values, encodeValue(value));
	layer.tag(LAYER.extent, VARINT);
	layer.varint(extent);
	const tile = new Writer();
	tile.message(TILE_LAYERS, layer);
	return tile.finish();
}
