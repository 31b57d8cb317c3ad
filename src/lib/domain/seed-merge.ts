import { sameValue, type Fields, type Json } from './record-changes';

/**
 * How a changed seed file meets a record people have edited since it was loaded. Pure functions,
 * no I/O; the database side is src/lib/server/db/directory.ts.
 *
 * The loader keeps, per record, the fields as it last wrote them (`seeded`). A field whose current
 * value differs from that was edited since (by a partner or an administrator): it belongs to them,
 * and the loader leaves it alone and says so. Every other field follows the seed file.
 */

export interface FieldMerge {
	/** Fields to set to the seed file's value. */
	write: Fields;
	/** Fields the seed file no longer has and nobody edited: to remove (a service's pin at a place). */
	remove: string[];
	/** Edited fields left alone although the seed file says otherwise. */
	kept: string[];
	/** What to remember as last written: the new value where written (or already equal), the old one where kept. */
	snapshot: Fields;
}

/**
 * Decides, field by field, what loading `next` over a record does. `current` is null for a record
 * not in the database yet. `seeded` is null for a record written before the loader kept snapshots;
 * then `editedWithoutSnapshot` names the fields its change history says someone edited.
 */
export function mergeSeeded(
	current: Fields | null,
	seeded: Fields | null,
	next: Fields,
	editedWithoutSnapshot: ReadonlySet<string> = new Set()
): FieldMerge {
	if (!current) return { write: { ...next }, remove: [], kept: [], snapshot: { ...next } };
	const result: FieldMerge = { write: {}, remove: [], kept: [], snapshot: {} };
	for (const key of new Set([...Object.keys(next), ...Object.keys(current)])) {
		const wanted: Json | undefined = next[key];
		const now: Json | undefined = current[key];
		if (sameValue(now, wanted)) {
			// Nothing to write; an edit that matches the new seed value goes back to the seed.
			if (wanted !== undefined) result.snapshot[key] = wanted;
		} else if (seeded ? !sameValue(now, seeded[key]) : editedWithoutSnapshot.has(key)) {
			result.kept.push(key);
			if (seeded?.[key] !== undefined) result.snapshot[key] = seeded[key]!;
		} else if (wanted === undefined) {
			result.remove.push(key);
		} else {
			result.write[key] = wanted;
			result.snapshot[key] = wanted;
		}
	}
	return result;
}

/**
 * Whether anyone edited a record since the loader last wrote it: any field differs from the
 * snapshot (or, without one, its change history names an edit). Such a record is not removed when
 * the seed file drops it.
 */
export function editedSinceSeeded(current: Fields, seeded: Fields | null, editedWithoutSnapshot: ReadonlySet<string> = new Set()): boolean {
	if (!seeded) return editedWithoutSnapshot.size > 0;
	return [...new Set([...Object.keys(current), ...Object.keys(seeded)])].some((key) => !sameValue(current[key], seeded[key]));
}

/** Coordinates compared at 1e-7 degrees (about a centimetre), so float printing never reads as an edit. */
export const roundCoordinate = (value: number): number => Math.round(value * 1e7) / 1e7;
