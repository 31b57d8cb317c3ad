import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { INT32_MAX } from '../../domain/dates';
import { roundCoordinate } from '../../domain/help-search';
import { PLAN_STATUSES } from '../../domain/plan-forms';
import * as audit from '../db/audit';
import { sql } from '../db/client';
import * as db from '../db/plans';
import { access, auditEvent, type Actor } from './context';
import { encryptIdentity, type Identity } from './crypto';
import { PlanError } from './errors';
import { isoDate, optionalText, parse, strengthInput, text, uniqueNeeds, uuid } from './input';

/* A plan's life: opened with its household, its content changed by the lead, erased. */

const newPlanSchema = z.object({
	household: z.object({
		name: text(200),
		neighbourhood: optionalText(100).optional(),
		phone: optionalText(50).optional(),
		address: optionalText(300).optional(),
		notes: optionalText(2000).optional(),
		point: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).optional()
	}),
	strengths: z.array(strengthInput).min(1, 'name at least one of the family’s strengths: they are the centre of the plan').max(30),
	needs: uniqueNeeds.default([])
});

export type NewPlanInput = z.input<typeof newPlanSchema>;

async function newCode(): Promise<string> {
	const alphabet = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
	for (;;) {
		const code = `F-${Array.from({ length: 6 }, () => alphabet[randomInt(alphabet.length)]).join('').padEnd(6, 'X')}`;
		if (!(await db.codeExists(code))) return code;
	}
}

/** A social worker opens a household and its plan, and leads it. */
export async function createPlan(actor: Actor, input: unknown): Promise<{ id: string; code: string }> {
	if (actor.user.role !== 'worker') throw new PlanError(403, 'Only social workers open plans.');
	const plan = parse(newPlanSchema, input);
	let neighbourhoodId: number | null = null;
	if (plan.household.neighbourhood) {
		neighbourhoodId = await db.neighbourhoodId(plan.household.neighbourhood);
		if (neighbourhoodId === null) {
			throw new PlanError(400, `household.neighbourhood: unknown rione "${plan.household.neighbourhood}"; known: ${(await db.neighbourhoodNames()).join(', ')}`);
		}
	}
	// Never more precise than ~100 m.
	const point = plan.household.point ? { lon: roundCoordinate(plan.household.point[0]), lat: roundCoordinate(plan.household.point[1]) } : null;
	const identity: Identity = { name: plan.household.name };
	for (const key of ['phone', 'address', 'notes'] as const) if (plan.household[key]) identity[key] = plan.household[key];
	let sealed;
	try {
		sealed = encryptIdentity(identity);
	} catch (error) {
		throw new PlanError(503, error instanceof Error ? error.message : String(error));
	}
	const code = await newCode();
	const created = await sql.begin(async (tx) => {
		const row = await db.create(tx, {
			code,
			identityCiphertext: sealed.ciphertext,
			keyId: sealed.keyId,
			neighbourhoodId,
			point,
			leadUserId: actor.user.id,
			strengths: plan.strengths,
			needs: plan.needs
		});
		await audit.record(auditEvent(actor, 'plan.created', row.id, { household: code }), tx);
		return row;
	});
	return { id: created.id, code };
}

/** The rioni a household may be placed in, by name. */
export function neighbourhoods(): Promise<string[]> {
	return db.neighbourhoodNames();
}

const updateSchema = z.object({
	version: z.number().int().min(1).max(INT32_MAX, 'must be the version the plan was opened at'),
	status: z.enum(PLAN_STATUSES).optional(),
	outcome: optionalText(2000).optional(),
	strengths: z.array(strengthInput).min(1, 'keep at least one strength').max(30).optional(),
	needs: uniqueNeeds.optional(),
	goals: z.array(z.object({ text: text(500), due_on: isoDate.nullable().default(null), done: z.boolean().default(false) })).max(30).optional(),
	actions: z
		.array(
			z.object({
				text: text(500),
				organization_id: uuid.nullable().default(null),
				by_family: z.boolean().default(false),
				due_on: isoDate.nullable().default(null),
				done: z.boolean().default(false)
			})
		)
		.max(50)
		.optional()
});

/**
 * Changes the plan's content (lead only), from the version the editor started from: when someone
 * else saved in between, nothing is written and PlanError 409 says so.
 */
export async function updatePlan(actor: Actor, planId: string, input: unknown): Promise<{ version: number }> {
	const change = parse(updateSchema, input, { strengths: 'strengths', outcome: 'outcome' });
	if (change.status === 'closed' && !change.outcome) throw new PlanError(400, 'outcome: say how the plan ended when closing it', 'outcome');
	if (change.actions?.some((a) => a.by_family && a.organization_id)) throw new PlanError(400, 'actions: an action is for the family or for an organisation, not both');
	const organizationIds = [...new Set((change.actions ?? []).flatMap((a) => (a.organization_id ? [a.organization_id.toLowerCase()] : [])))];
	if (organizationIds.length > 0) {
		const known = await db.organizationsExist(organizationIds);
		const unknown = organizationIds.filter((id) => !known.includes(id));
		if (unknown.length > 0) throw new PlanError(400, `actions: no organisation has the id ${unknown.join(', ')}`);
	}
	const plan = await access(actor, planId, 'lead');
	return sql.begin(async (tx) => {
		const claimed = await db.bumpVersion(tx, plan.id, change.version, { status: change.status, outcome: change.outcome });
		if (!claimed) {
			throw new PlanError(409, `Someone else changed this plan since you opened it (you had version ${change.version}). Reload it, then make your change again.`);
		}
		if (change.strengths) await db.replaceStrengths(tx, plan.id, change.strengths);
		if (change.needs) await db.replaceNeeds(tx, plan.id, change.needs);
		if (change.goals) await db.replaceGoals(tx, plan.id, change.goals);
		if (change.actions) await db.replaceActions(tx, plan.id, change.actions);
		const fields = Object.keys(change).filter((k) => k !== 'version');
		await audit.record(auditEvent(actor, 'plan.updated', plan.id, { fields, version: change.version + 1 }), tx);
		return { version: change.version + 1 };
	});
}

/**
 * Erasure where the law allows (lead only): the household's identifiers and place are destroyed,
 * the plan soft-deleted; the pseudonymous code and the audit trail remain.
 */
export async function erase(actor: Actor, planId: string): Promise<void> {
	const plan = await access(actor, planId, 'lead');
	await sql.begin(async (tx) => {
		await db.eraseIdentity(tx, plan.household_id);
		await db.softDelete(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.erased', plan.id, { household: plan.code }), tx);
	});
}
