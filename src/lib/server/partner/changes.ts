import { diffFields, partnerMayRevert, planRevert, revertedDiff, type Fields } from '../../domain/record-changes';
import { isUuid } from '../../domain/ids';
import type { LocationFields } from '../../domain/records';
import * as audit from '../db/audit';
import { sql, type TransactionSql } from '../db/client';
import * as partner from '../db/partner';
import { HOURS_PREFIX, type Entity, type OrganizationFields, type ServiceFields } from '../db/partner';

/**
 * Changing the directory's records from the partner pages: an edit, a confirmation ("the data is
 * still correct"), the addition and the removal of a place or a service, and the undoing of any of
 * them. Each is one transaction that locks the record, compares it with what it becomes, writes it
 * (SQL in db/partner.ts), appends the history row (record_change) and the audit event: all or nothing.
 *
 * A removal is soft (db/migrations/0021_partner_add_remove.sql): the record's `removed` field goes
 * from false to true, so undoing it is an ordinary revert that gives back the record exactly. A place
 * still hosting an active service is not removed (the partner removes the service first, or it would
 * stay on the map at a place that is gone), and a service is not restored at a removed place.
 */

export interface Actor {
	id: string;
	email: string;
	address?: string | null;
}

/* ------------------------------------------------------------------------------------------- */
/* Writes of a whole set of fields (the current ones with the changed ones merged in).          */

async function writeOrganization(tx: TransactionSql, _organizationId: string, id: string, f: Fields, changed: Set<string>, confirm: boolean) {
	const o = f as OrganizationFields;
	await partner.updateOrganization(tx, id, o, confirm);
	if (changed.has('phones')) await partner.replacePhones(tx, id, o.phones);
}

async function writeLocation(tx: TransactionSql, organizationId: string, id: string, f: Fields) {
	await partner.updateLocation(tx, organizationId, id, f as LocationFields);
}

async function writeService(tx: TransactionSql, organizationId: string, id: string, f: Fields, changed: Set<string>, confirm: boolean) {
	const s = f as ServiceFields;
	await partner.updateService(tx, organizationId, id, s, confirm);
	if (changed.has('needs')) await partner.replaceServiceNeeds(tx, id, s.needs);
	if (changed.has('audiences')) await partner.replaceServiceAudiences(tx, id, s.audiences);
	for (const key of changed) {
		if (!key.startsWith(HOURS_PREFIX)) continue;
		const expression = f[key];
		await partner.setServiceHours(tx, id, key.slice(HOURS_PREFIX.length), expression === null || expression === undefined ? null : String(expression));
	}
}

const WRITES: Record<Entity, (tx: TransactionSql, organizationId: string, id: string, fields: Fields, changed: Set<string>, confirm: boolean) => Promise<void>> = {
	organization: writeOrganization,
	location: writeLocation,
	service: writeService
};

/** The audit event of a change to the directory, in the changing transaction. */
function recordEvent(tx: TransactionSql, actor: Actor, action: string, subjectType: string, subjectId: string, detail: Record<string, unknown>) {
	return audit.record({ actorId: actor.id, actorEmail: actor.email, action, subjectType, subjectId, address: actor.address, detail }, tx);
}

/* ------------------------------------------------------------------------------------------- */
/* Edits.                                                                                        */

export type UpdateResult =
	| { status: 'saved'; changeId: number; fields: string[] }
	| { status: 'unchanged' }
	/** The record changed since the form was loaded (at `expectedVersion`): nothing was written. */
	| { status: 'stale'; version: string }
	| { status: 'missing' };

const isRemoved = (fields: Fields) => fields[partner.REMOVED] === true;

/**
 * Sets `next` (some or all of the record's editable fields, already validated) on a record of the
 * organisation, and records the change, in one transaction. Saving also confirms the record
 * (verified_at = today): whoever saved it has just looked at it. Refuses fields the record does not
 * have (e.g. hours at a location the service is not offered at).
 */
export async function update(
	entity: Entity,
	organizationId: string,
	entityId: string,
	next: Fields,
	actor: Actor,
	expectedVersion?: string | null
): Promise<UpdateResult> {
	if (!isUuid(organizationId) || !isUuid(entityId)) return { status: 'missing' };
	const write = WRITES[entity];
	return sql.begin(async (tx) => {
		const current = await partner.snapshot(tx, entity, organizationId, entityId, true);
		// A removed record is not edited: it is restored first (its page shows it read-only).
		if (!current || isRemoved(current.fields)) return { status: 'missing' } as const;
		if (expectedVersion && expectedVersion !== current.version) return { status: 'stale', version: current.version } as const;
		const unknown = Object.keys(next).filter((key) => !(key in current.fields));
		if (unknown.length > 0) throw new Error(`${entity} has no field ${unknown.join(', ')}`);
		const diff = diffFields(current.fields, next);
		if (!diff) return { status: 'unchanged' } as const;
		const changed = new Set(Object.keys(diff.after));
		await write(tx, organizationId, entityId, { ...current.fields, ...next }, changed, true);
		const changeId = await partner.appendChange(tx, { actor, organizationId, entity, entityId, action: 'update', diff });
		await recordEvent(tx, actor, `${entity}.update`, entity, entityId, { organization: organizationId, change: changeId, fields: [...changed] });
		return { status: 'saved', changeId, fields: [...changed] } as const;
	});
}

/**
 * "The data is still correct": sets verified_at to today on the organisation and all its services,
 * in one transaction, recording each record whose date moved. Null when there is no such organisation.
 */
export async function confirm(organizationId: string, actor: Actor): Promise<{ confirmed: number } | null> {
	if (!isUuid(organizationId)) return null;
	return sql.begin(async (tx) => {
		const rows = await partner.confirmOrganization(tx, organizationId);
		if (!rows.some((r) => r.entity === 'organization')) return null;
		let confirmed = 0;
		for (const row of rows) {
			if (row.before === row.after) continue;
			confirmed++;
			await partner.appendChange(tx, {
				actor,
				organizationId,
				entity: row.entity,
				entityId: row.id,
				action: 'verify',
				diff: { before: { verified_at: row.before }, after: { verified_at: row.after } }
			});
		}
		await recordEvent(tx, actor, 'organization.verify', 'organization', organizationId, { records: rows.length, moved: confirmed });
		return { confirmed: rows.length };
	});
}

/* ------------------------------------------------------------------------------------------- */
/* Undoing an edit.                                                                              */

export type RevertResult =
	| { status: 'reverted'; changeId: number }
	/** Some of the change's fields were changed again since: nothing was written. */
	| { status: 'conflict'; fields: string[]; later: number[] }
	| { status: 'already'; by: number }
	/** A confirmation ("verify") is not an edit and is not undone. */
	| { status: 'not-revertable' }
	/** Undoing it would leave an active service at a removed place: nothing was written. */
	| Blocked
	| { status: 'missing' };

/**
 * Why a place or a service cannot be removed or restored now: the place hosts active services
 * (`names`: theirs), or the service is offered at removed places (`names`: theirs).
 */
export type Blocked = { status: 'blocked'; reason: 'hosts_services' | 'location_removed'; names: string[] };

/** What keeps `removed` from becoming `removing` on the record, if anything (the record is locked). */
async function blockOf(tx: TransactionSql, entity: Entity, entityId: string, removing: boolean): Promise<Blocked | null> {
	if (entity === 'location' && removing) {
		const names = await partner.activeServicesAt(tx, entityId);
		if (names.length > 0) return { status: 'blocked', reason: 'hosts_services', names };
	}
	if (entity === 'service' && !removing) {
		const names = await partner.removedLocationsOf(tx, entityId);
		if (names.length > 0) return { status: 'blocked', reason: 'location_removed', names };
	}
	return null;
}

/**
 * Undoes a change: restores the fields it changed to their values before it, as a new change
 * (action `revert`) in one transaction; a creation is undone as a removal. Refused, writing
 * nothing, when a field was changed again since (revert the later change first), the change was
 * reverted already, or it would leave an active service at a removed place (`blocked`).
 */
export async function revert(changeId: number, actor: Actor): Promise<RevertResult> {
	if (!Number.isSafeInteger(changeId) || changeId <= 0) return { status: 'missing' };
	return sql.begin(async (tx) => {
		const change = await partner.findChange(tx, changeId);
		if (!change) return { status: 'missing' } as const;
		if (change.action === 'verify') return { status: 'not-revertable' } as const;
		const write = WRITES[change.entity];
		// Lock the record first: a concurrent revert of the same change waits here, then sees this one.
		const current = await partner.snapshot(tx, change.entity, change.organization_id, change.entity_id, true);
		if (!current) return { status: 'missing' } as const;
		const done = await partner.revertedBy(tx, changeId);
		if (done !== null) return { status: 'already', by: done } as const;
		const plan = planRevert(revertedDiff(change), current.fields);
		if (!plan.ok) {
			const later = await partner.laterChanges(tx, { id: changeId, entity: change.entity, entityId: change.entity_id });
			return {
				status: 'conflict',
				fields: plan.conflicts,
				later: later.filter((c) => plan.conflicts.some((key) => key in c.after)).map((c) => c.id)
			} as const;
		}
		if (typeof plan.restore[partner.REMOVED] === 'boolean') {
			const blocked = await blockOf(tx, change.entity, change.entity_id, plan.restore[partner.REMOVED] === true);
			if (blocked) return blocked;
		}
		const changed = new Set(Object.keys(plan.restore));
		await write(tx, change.organization_id, change.entity_id, { ...current.fields, ...plan.restore }, changed, false);
		const id = await partner.appendChange(tx, {
			actor,
			organizationId: change.organization_id,
			entity: change.entity,
			entityId: change.entity_id,
			action: 'revert',
			diff: plan.undo,
			reverts: changeId
		});
		await recordEvent(tx, actor, `${change.entity}.revert`, change.entity, change.entity_id, { organization: change.organization_id, change: id, reverts: changeId, fields: [...changed] });
		return { status: 'reverted', changeId: id } as const;
	});
}

/* ------------------------------------------------------------------------------------------- */
/* Adding and removing places and services.                                                      */

export type CreateResult = { status: 'created'; id: string; changeId: number } | { status: 'unknown_location' } | { status: 'missing' };

/** The history's and the audit's record of a new record, in the creating transaction. */
async function recordCreation(tx: TransactionSql, entity: 'location' | 'service', organizationId: string, id: string, extra: Fields, actor: Actor) {
	// The fields as stored (normalised by the database too), so the history shows what was written.
	const stored = await partner.snapshot(tx, entity, organizationId, id, false);
	if (!stored) throw new Error(`the new ${entity} was not found`);
	const { [partner.REMOVED]: _removed, ...fields } = stored.fields;
	const changeId = await partner.appendChange(tx, { actor, organizationId, entity, entityId: id, action: 'create', diff: { before: {}, after: { ...extra, ...fields } } });
	await recordEvent(tx, actor, `${entity}.create`, entity, id, { organization: organizationId, change: changeId });
	return changeId;
}

/** Whether the organisation exists (a new record of a missing one would fail on its foreign key anyway). */
async function organizationExists(tx: TransactionSql, organizationId: string): Promise<boolean> {
	return (await partner.snapshot(tx, 'organization', organizationId, organizationId, false)) !== null;
}

/**
 * Adds a place to the organisation (fields already validated and the point placed, as for an edit),
 * with its history row and audit event, in one transaction.
 */
export async function createLocation(organizationId: string, fields: LocationFields, actor: Actor): Promise<CreateResult> {
	if (!isUuid(organizationId)) return { status: 'missing' };
	return sql.begin(async (tx) => {
		if (!(await organizationExists(tx, organizationId))) return { status: 'missing' } as const;
		const id = await partner.insertLocation(tx, organizationId, fields);
		const changeId = await recordCreation(tx, 'location', organizationId, id, {}, actor);
		return { status: 'created', id, changeId } as const;
	});
}

export interface NewService {
	category: string;
	/** The service's fields as the service form gives them, `hours.<location id>` for each of `locationIds`. */
	fields: Fields;
	/** The organisation's places it is offered at (at least one). */
	locationIds: string[];
}

/**
 * Adds a service to the organisation — its needs, audiences, places and hours at each — with its
 * history row and audit event, in one transaction. Refused (`unknown_location`, nothing written)
 * when a place is not one of the organisation's or is removed.
 */
export async function createService(organizationId: string, input: NewService, actor: Actor): Promise<CreateResult> {
	if (!isUuid(organizationId)) return { status: 'missing' };
	const locationIds = [...new Set(input.locationIds)];
	if (locationIds.length === 0) return { status: 'unknown_location' };
	return sql.begin(async (tx) => {
		if (!(await organizationExists(tx, organizationId))) return { status: 'missing' } as const;
		// Held until the end, so none of them is removed before the service is there.
		const places = await partner.activeLocations(tx, organizationId, locationIds);
		if (places.length !== locationIds.length) return { status: 'unknown_location' } as const;
		const s = input.fields as ServiceFields & Fields;
		const id = await partner.insertService(tx, organizationId, input.category, s);
		await partner.replaceServiceNeeds(tx, id, s.needs);
		await partner.replaceServiceAudiences(tx, id, s.audiences);
		for (const locationId of places) {
			await partner.addServiceLocation(tx, id, locationId);
			const hours = s[HOURS_PREFIX + locationId];
			if (typeof hours === 'string' && hours !== '') await partner.setServiceHours(tx, id, locationId, hours);
		}
		const changeId = await recordCreation(tx, 'service', organizationId, id, { category: input.category }, actor);
		return { status: 'created', id, changeId } as const;
	});
}

export type RemoveResult = { status: 'removed'; changeId: number } | { status: 'already' } | Blocked | { status: 'missing' };

/**
 * Removes a place or a service of the organisation (softly: reverting the change restores it), with
 * its history row and audit event, in one transaction. A place that hosts active services is
 * refused (`blocked`, with their names): nothing is written.
 */
export async function remove(entity: 'location' | 'service', organizationId: string, entityId: string, actor: Actor): Promise<RemoveResult> {
	if (!isUuid(organizationId) || !isUuid(entityId)) return { status: 'missing' };
	return sql.begin(async (tx) => {
		const current = await partner.snapshot(tx, entity, organizationId, entityId, true);
		if (!current) return { status: 'missing' } as const;
		if (isRemoved(current.fields)) return { status: 'already' } as const;
		const blocked = await blockOf(tx, entity, entityId, true);
		if (blocked) return blocked;
		await WRITES[entity](tx, organizationId, entityId, { ...current.fields, [partner.REMOVED]: true }, new Set([partner.REMOVED]), false);
		const changeId = await partner.appendChange(tx, {
			actor,
			organizationId,
			entity,
			entityId,
			action: 'remove',
			diff: { before: { [partner.REMOVED]: false }, after: { [partner.REMOVED]: true } }
		});
		await recordEvent(tx, actor, `${entity}.remove`, entity, entityId, { organization: organizationId, change: changeId });
		return { status: 'removed', changeId } as const;
	});
}

/**
 * Undoes, for a partner editor of the organisation, an addition or a removal (partnerMayRevert) of
 * one of its records: `missing` for another organisation's change or another kind of change.
 */
export async function revertOwn(organizationId: string, changeId: number, actor: Actor): Promise<RevertResult> {
	if (!isUuid(organizationId) || !Number.isSafeInteger(changeId) || changeId <= 0) return { status: 'missing' };
	const change = await partner.findChange(sql, changeId);
	if (!change || change.organization_id !== organizationId || !partnerMayRevert(change)) return { status: 'missing' };
	return revert(changeId, actor);
}

/** Restores a removed place or service: reverts the change that removed it. */
export async function restore(entity: 'location' | 'service', organizationId: string, entityId: string, actor: Actor): Promise<RevertResult> {
	const removal = await partner.removalOf(sql, entity, entityId);
	if (removal === null) return { status: 'missing' };
	return revertOwn(organizationId, removal, actor);
}
