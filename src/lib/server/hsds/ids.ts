import { createHash } from 'node:crypto';

/**
 * HSDS wants a UUID for every object; ours have one for organisations, services, places, pins and
 * phones, but not for what the atlas keeps as codes or rows of a join (taxonomies and their terms,
 * a service's rioni, its schedules, addresses, attributes, capacities). Those get a name-based
 * UUID (RFC 9562 version 5) in the atlas's own namespace, from the record's kind and natural key:
 * the same record has the same id in every answer and every export, on every installation, so an
 * importer can match them across runs.
 */
const NAMESPACE = Buffer.from('6b1d3f0e8c2a4f5b9e7d2c1a0b3e4f57', 'hex');

export function derivedId(kind: string, ...key: (string | number)[]): string {
	const hash = createHash('sha1').update(NAMESPACE).update([kind, ...key].join('\u0000')).digest();
	hash[6] = (hash[6]! & 0x0f) | 0x50;
	hash[8] = (hash[8]! & 0x3f) | 0x80;
	const hex = hash.subarray(0, 16).toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
