import { createHash } from 'node:crypto';
import { growBounds, readBoundaryFile, readBoundarySource, type BoundaryDiff, type BoundaryFeature, type Problem } from '../../domain/territory';
import type { User } from '../db/accounts';
import * as audit from '../db/audit';
import * as boundaries from '../db/boundaries';
import { sql } from '../db/client';

/**
 * Replacing the rioni's boundaries from an administrator's GeoJSON: a preview that writes nothing,
 * then the import in one transaction (old geometry to history, locations re-placed, audited).
 *
 * The file travels between the two steps in the browser, never on the server or in a URL: the
 * confirm step sends the same file again (the page re-attaches it, or the administrator picks it
 * again), with the digest of the file that was previewed and the fingerprint of the boundaries it
 * was compared with. A different file or boundaries changed meanwhile are refused, so what is
 * applied is exactly what was seen.
 *
 * Households: a rione that a household of the support plans is placed in cannot be removed (the
 * import is refused naming the rione, never the household); rioni are matched by name, so a rione
 * that stays on the map keeps its id and its households, whatever its new shape.
 */

/** How far beyond the served comune's bounding box a rione may reach (rioni are inside the comune). */
export const BOUNDARY_MARGIN_M = 2_000;

export interface Preview {
	features: BoundaryFeature[];
	diff: BoundaryDiff;
	/** SHA-256 of the file, echoed back by the confirm step. */
	digest: string;
	/** The fingerprint of the boundaries the preview was made against. */
	basis: string;
	/** Service areas naming a removed rione (they go with it). */
	serviceAreasLost: number;
	/** Problems that block the import (a removed rione still holding households). */
	blockers: Problem[];
}

export const digestOf = (text: string): string => createHash('sha256').update(text).digest('hex');

async function prepare(text: string): Promise<{ ok: true; preview: Preview } | { ok: false; problems: Problem[] }> {
	const bounds = await boundaries.servedBounds();
	if (!bounds) return { ok: false, problems: [{ field: 'file', code: 'noComune' }] };
	const read = readBoundaryFile(text, growBounds(bounds, BOUNDARY_MARGIN_M));
	if (!read.ok) return read;
	const diff = await boundaries.compare(read.features);
	const held = await boundaries.rioniOfHouseholds(diff.removed);
	const blockers = held.map((name) => ({ field: 'file', code: 'householdRione', values: { name } }));
	return {
		ok: true,
		preview: {
			features: read.features,
			diff,
			digest: digestOf(text),
			basis: await boundaries.fingerprint(),
			serviceAreasLost: await boundaries.serviceAreasIn(diff.removed),
			blockers
		}
	};
}

/** Step 1: what the file would change. Reads only. */
export async function preview(text: string): Promise<{ ok: true; preview: Preview } | { ok: false; problems: Problem[] }> {
	return prepare(text);
}

export interface ApplyInput {
	text: string;
	digest: string;
	basis: string;
	source_name: string;
	licence: string;
}

/** Step 2: the import, all or nothing. The caller's route admits administrators only. */
export async function apply(
	actor: Pick<User, 'id' | 'email'>,
	input: ApplyInput,
	address: string | null,
	now: Date = new Date()
): Promise<{ ok: true; diff: BoundaryDiff; archived: number } | { ok: false; problems: Problem[] }> {
	const source = readBoundarySource(input);
	if (!source.ok) return source;
	if (digestOf(input.text) !== input.digest) return { ok: false, problems: [{ field: 'file', code: 'notPreviewed' }] };
	const prepared = await prepare(input.text);
	if (!prepared.ok) return prepared;
	const { preview: checked } = prepared;
	if (checked.blockers.length) return { ok: false, problems: checked.blockers };
	// A timestamped source per import: each set of boundaries cites where it came from.
	const sourceId = `rioni-import-${now.toISOString().replace(/[^0-9]/g, '').slice(0, 14)}`;
	return sql.begin(async (tx) => {
		// Serialise imports and see the boundaries as the preview saw them, or refuse.
		await boundaries.lockForImport(tx);
		if ((await boundaries.fingerprint(tx)) !== input.basis || checked.basis !== input.basis) {
			return { ok: false as const, problems: [{ field: 'file', code: 'stale' }] };
		}
		const diff = await boundaries.compare(checked.features, tx);
		await boundaries.addSource(tx, { id: sourceId, name: source.source.name, licence: source.source.licence });
		const archived = await boundaries.replace(tx, checked.features, diff, sourceId, actor.id);
		await audit.record(
			{
				actorId: actor.id,
				actorEmail: actor.email,
				action: 'neighbourhood.import',
				subjectType: 'neighbourhood',
				address,
				detail: { source: sourceId, digest: input.digest, added: diff.added, changed: diff.changed, removed: diff.removed, archived }
			},
			tx
		);
		return { ok: true as const, diff, archived };
	});
}

export const current = boundaries.current;
export const history = boundaries.history;
