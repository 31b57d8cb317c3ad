import { LOCATION_NOTES, type LocationNote } from '../../domain/records';
import type postgres from 'postgres';
import { sql } from './client';

/**
 * A location's notes for the public (LOCATION_NOTES in domain/records.ts) in SQL, the one place the
 * queries that read or write them take them from (directory writes, partner edits, the public
 * resource detail). Each note `<note>` is stored in the column `location.<note>_description` (HSDS
 * `<note>.description`, as migration 0013 named the accessibility note), so a new note is a
 * migration and a name in LOCATION_NOTES, and no query changes.
 *
 * Each fragment begins with its comma: it follows a fixed list, and is empty when there are no notes.
 */

/** A note's column. */
const column = (note: LocationNote) => `${note}_description`;

/** `, <part>, <part>…` */
const list = (parts: postgres.PendingQuery<postgres.Row[]>[]) => parts.reduce((all, part) => sql`${all}, ${part}`, sql``);

/** For a SELECT list: `, <alias>.<column> AS <note>…` (each a string or null). */
export function selectNotes(alias: string) {
	return list(LOCATION_NOTES.map((note) => sql`${sql(`${alias}.${column(note)}`)} AS ${sql(note)}`));
}

/** For a SELECT list: `, {description} or null AS <note>…`, as the public API shows them (HSDS). */
export function selectPublicNotes(alias: string) {
	return list(
		LOCATION_NOTES.map((note) => {
			const value = sql(`${alias}.${column(note)}`);
			return sql`CASE WHEN ${value} IS NOT NULL THEN json_build_object('description', ${value}) END AS ${sql(note)}`;
		})
	);
}

/** For an INSERT's column list: `, <column>…`, in the order of {@link noteValues}. */
export function noteColumns() {
	return list(LOCATION_NOTES.map((note) => sql`${sql(column(note))}`));
}

/** For an INSERT's VALUES: `, <value>…`. */
export function noteValues(value: (note: LocationNote) => string | null) {
	return list(LOCATION_NOTES.map((note) => sql`${value(note)}`));
}

/** For an UPDATE's SET: `, <column> = <value>…`. */
export function setNotes(value: (note: LocationNote) => string | null) {
	return list(LOCATION_NOTES.map((note) => sql`${sql(column(note))} = ${value(note)}`));
}

/** For an upsert's `ON CONFLICT … DO UPDATE SET`: `, <column> = EXCLUDED.<column>…`. */
export function setNotesFromExcluded() {
	return list(LOCATION_NOTES.map((note) => sql`${sql(column(note))} = EXCLUDED.${sql(column(note))}`));
}

/** A location's notes as the public sees them: each `{ description }`, or null when none was written. */
export type PublicNotes = Record<LocationNote, { description: string } | null>;

/** The notes of a row read with {@link selectPublicNotes}, alone (e.g. for the API's properties). */
export function publicNotesOf(row: PublicNotes): PublicNotes {
	return Object.fromEntries(LOCATION_NOTES.map((note) => [note, row[note]])) as PublicNotes;
}

/** Only the notes written (not null, not empty), e.g. for a snapshot that must equal one taken before a note existed. */
export function writtenNotes(row: Partial<Record<LocationNote, string | null>>): Partial<Record<LocationNote, string>> {
	return Object.fromEntries(LOCATION_NOTES.filter((note) => row[note]).map((note) => [note, row[note]!]));
}
