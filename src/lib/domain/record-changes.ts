/**
 * The history of directory edits as plain data: what changed between two versions of a record's
 * editable fields, and whether a change can be undone. Pure functions, no I/O; the edits that use
 * them are src/lib/server/partner/changes.ts (SQL in src/lib/server/db/partner.ts).
 *
 * A record's editable fields are a flat object of JSON values (a service's hours per location are
 * separate fields, `hours.<location id>`, so changing one place's hours does not touch another's).
 * A change keeps only the fields it changed, before and after.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Fields = Record<string, Json>;

/** Records are "da verificare" (to be confirmed) when nobody confirmed them for this long. */
export const STALE_AFTER_MONTHS = 6;

/**
 * The one rule for "da verificare": a record confirmed (verified_at) before this day is stale on
 * `today` (both YYYY-MM-DD, Lecco's calendar). The administrators' list and the partner pages
 * (server/db/partner.ts, in SQL) and the public resource page (domain/provenance.ts) all ask it.
 * STALE_AFTER_MONTHS months before today, the day clamped to the month's last, as PostgreSQL's
 * `date - interval` does (31 August → 28 or 29 February).
 */
export function staleBefore(today: string): string {
	const [year, month, day] = today.split('-').map(Number) as [number, number, number];
	const index = year * 12 + (month - 1) - STALE_AFTER_MONTHS;
	const y = Math.floor(index / 12);
	const m = (index % 12) + 1;
	const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
	return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

/** Whether a record confirmed on `verifiedAt` is "da verificare" on `today` (see {@link staleBefore}). */
export const isStale = (verifiedAt: string, today: string): boolean => verifiedAt < staleBefore(today);

/** Deep equality of JSON values, ignoring the order of object keys (not of array items). */
export function sameValue(a: Json | undefined, b: Json | undefined): boolean {
	if (a === b) return true;
	if (a === null || b === null || a === undefined || b === undefined) return false;
	if (typeof a !== 'object' || typeof b !== 'object') return false;
	if (Array.isArray(a) || Array.isArray(b)) {
		if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
		return a.every((item, i) => sameValue(item, b[i]));
	}
	const keys = Object.keys(a);
	if (keys.length !== Object.keys(b).length) return false;
	return keys.every((key) => key in b && sameValue(a[key], b[key]));
}

export interface FieldDiff {
	before: Fields;
	after: Fields;
}

/**
 * The fields of `next` whose value differs from `current`, as they were and as they become; null
 * when nothing changes. Fields `next` does not name are left alone and not part of the change.
 */
export function diffFields(current: Fields, next: Fields): FieldDiff | null {
	const before: Fields = {};
	const after: Fields = {};
	for (const [key, value] of Object.entries(next)) {
		const old = current[key] ?? null;
		if (!sameValue(old, value)) {
			before[key] = old;
			after[key] = value;
		}
	}
	return Object.keys(after).length === 0 ? null : { before, after };
}

export type RevertPlan =
	| { ok: true; restore: Fields; undo: FieldDiff }
	| {
			ok: false;
			/** Fields changed again since (or gone): reverting would overwrite someone's later edit. */
			conflicts: string[];
	  };

/**
 * How to undo `change` on a record whose fields are now `current`. The revert restores the
 * change's `before` values, and is refused when any of its fields no longer holds the value the
 * change left (a later edit would be lost silently): revert the later changes first, newest first.
 * Fields the change did not touch are never affected.
 */
export function planRevert(change: FieldDiff, current: Fields): RevertPlan {
	const conflicts = Object.keys(change.after).filter((key) => !(key in current) || !sameValue(current[key], change.after[key]));
	if (conflicts.length > 0) return { ok: false, conflicts };
	return { ok: true, restore: { ...change.before }, undo: { before: { ...change.after }, after: { ...change.before } } };
}

/**
 * A location's or a service's `removed` field: a removal (soft) and its undoing are changes of this
 * field alone, so a revert gives back the record exactly.
 */
export const REMOVED = 'removed';

/**
 * Reverting a creation removes what it created, whatever was edited since: the change to undo is
 * `removed` false ← true, not the record's fields.
 */
export function revertedDiff(change: FieldDiff & { action: string }): FieldDiff {
	if (change.action === 'create') return { before: { [REMOVED]: true }, after: { [REMOVED]: false } };
	return { before: change.before, after: change.after };
}

/**
 * Whether a partner editor may undo this change from the organisation's page: the addition or the
 * removal of a place or a service, or the undoing of one (a change of `removed` alone). Other
 * changes are undone by an administrator (/admin/modifiche).
 */
export function partnerMayRevert(change: { action: string; after: Record<string, unknown> }): boolean {
	if (change.action === 'create' || change.action === 'remove') return true;
	const keys = Object.keys(change.after);
	return change.action === 'revert' && keys.length === 1 && keys[0] === REMOVED;
}
