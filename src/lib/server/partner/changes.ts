import { diffFields, planRevert, type Fields } from '../../domain/record-changes';
import { isUuid } from '../../domain/ids';
import type { LocationFields } from '../../domain/records';
import * as audit from '../db/audit';
import { sql, type TransactionSql } from '../db/client';
import * as partner from '../db/partner';
import { HOURS_PREFIX, type Entity, type OrganizationFields, type ServiceFields } from '../db/partner';

/**
 * Changing the directory's records from the partner pages: an edit, a confirmation ("the data is
 * still correct") and the undoing of an edit. Each is one transaction that locks the record,
 * compares it with what it becomes, writes it (SQL in db/partner.ts), appends the history row
 * (record_change) and the audit event: all or nothing.
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

/* ------------------------------------------------------------------------------------------- */
/* Edits.                                                                                        */

export type UpdateResult =
	| { status: 'saved'; changeId: number; fields: string[] }
	| { status: 'unchanged' }
	/** The record changed since the form was loaded (at `expectedVersion`): nothing was written. */
	| { status: 'stale'; version: string }
	| { status: 'missing' };

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
		if (!current) return { status: 'missing' } as const;
		if (expectedVersion && expectedVersion !== current.version) return { status: 'stale', version: current.version } as const;
		const unknown = Object.keys(next).filter((key) => !(key in current.fields));
		if (unknown.length > 0) throw new Error(`${entity} has no field ${unknown.join(', ')}`);
		const diff = diffFields(current.fields, next);
		if (!diff) return { status: 'unchanged' } as const;
		const changed = new Set(Object.keys(diff.after));
		await write(tx, organizationId, entityId, { ...current.fields, ...next }, changed, true);
		const changeId = await partner.appendChange(tx, { actor, organizationId, entity, entityId, action: 'update', diff });
		await audit.record(
			{
				actorId: actor.id,
				actorEmail: actor.email,
				action: `${entity}.update`,
				subjectType: entity,
				subjectId: entityId,
				address: actor.address,
				detail: { organization: organizationId, change: changeId, fields: [...changed] }
			},
			tx
		);
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
		await audit.record(
			{
				actorId: actor.id,
				actorEmail: actor.email,
				action: 'organization.verify',
				subjectType: 'organization',
				subjectId: organizationId,
				address: actor.address,
				detail: { records: rows.length, moved: confirmed }
			},
			tx
		);
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
	| { status: 'missing' };

/**
 * Undoes a change: restores the fields it changed to their values before it, as a new change
 * (action `revert`) in one transaction. Refused, writing nothing, when a field was changed again
 * since (revert the later change first) or the change was reverted already.
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
		const plan = planRevert(change, current.fields);
		if (!plan.ok) {
			const later = await partner.laterChanges(tx, { id: changeId, entity: change.entity, entityId: change.entity_id });
			return {
				status: 'conflict',
				fields: plan.conflicts,
				later: later.filter((c) => plan.conflicts.some((key) => key in c.after)).map((c) => c.id)
			} as const;
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
		await audit.record(
			{
				actorId: actor.id,
				actorEmail: actor.email,
				action: `${change.entity}.revert`,
				subjectType: change.entity,
				subjectId: change.entity_id,
				address: actor.address,
				detail: { organization: change.organization_id, change: id, reverts: changeId, fields: [...changed] }
			},
			tx
		);
		return { status: 'reverted', changeId: id } as const;
	});
}
