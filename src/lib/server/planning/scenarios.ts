import { scenarioBodySchema, scenarioNameSchema, type ScenarioBody } from '../../domain/planning';
import { isUuid } from '../../domain/ids';
import type { User } from '../db/accounts';
import * as audit from '../db/audit';
import { sql } from '../db/client';
import * as scenarios from '../db/scenarios';
import { PLANNING } from '../auth/guards';

/**
 * Saved "what if" scenarios: planners and administrators only, every read and write audited (the
 * audit names the scenario by id; a scenario holds no personal data). Nothing here writes to the
 * directory: a scenario is re-run by the coverage functions when opened.
 *
 * Problems are data: a refusal is a ScenarioError with a status and a code; the route picks the
 * words.
 */
export interface Actor {
	user: User;
	address: string | null;
}

export type ScenarioProblem = 'name' | 'body' | 'not_found' | 'forbidden';

export class ScenarioError extends Error {
	constructor(
		readonly status: 400 | 404,
		readonly code: ScenarioProblem
	) {
		super(`scenario: ${code}`);
		this.name = 'ScenarioError';
	}
}

export interface Scenario {
	id: string;
	name: string;
	body: ScenarioBody;
	/** The author's display name, else the email. */
	createdBy: string | null;
	createdAt: Date;
	updatedAt: Date;
}

/** Not a planner: as if the scenario did not exist (the routes already refuse others; this is the backstop). */
function requirePlanner(actor: Actor): void {
	if (!PLANNING.includes(actor.user.role)) throw new ScenarioError(404, 'forbidden');
}

const event = (actor: Actor, action: string, id: string | null, detail?: Record<string, unknown>): audit.AuditEvent => ({
	actorId: actor.user.id,
	actorEmail: actor.user.email,
	action,
	subjectType: 'planning_scenario',
	subjectId: id,
	address: actor.address,
	detail
});

/** Checks a name and a body as sent (unknown shapes); the parsed values, or a 400 problem. */
export function checkScenario(name: unknown, body: unknown): { name: string; body: ScenarioBody } {
	const n = scenarioNameSchema.safeParse(name);
	if (!n.success) throw new ScenarioError(400, 'name');
	const b = scenarioBodySchema.safeParse(body);
	if (!b.success) throw new ScenarioError(400, 'body');
	return { name: n.data, body: b.data };
}

/**
 * Saves a scenario: a new one, or (with `id`) a new version of an existing one, in one
 * transaction with its audit record. Returns the id.
 */
export async function save(actor: Actor, input: { id?: string | null; name: unknown; body: unknown }): Promise<string> {
	requirePlanner(actor);
	const { name, body } = checkScenario(input.name, input.body);
	const id = input.id ?? null;
	if (id !== null && !isUuid(id)) throw new ScenarioError(404, 'not_found');
	return sql.begin(async (tx) => {
		if (id === null) {
			const created = await scenarios.create(name, body, actor.user.id, tx);
			await audit.record(event(actor, 'planning_scenario.create', created, { need: body.need, add: body.add.length, hide: body.hide.length }), tx);
			return created;
		}
		if (!(await scenarios.update(id, name, body, tx))) throw new ScenarioError(404, 'not_found');
		await audit.record(event(actor, 'planning_scenario.update', id, { need: body.need, add: body.add.length, hide: body.hide.length }), tx);
		return id;
	});
}

/** A saved scenario, audited as read; 404 when there is none (or its stored body no longer validates). */
export async function open(actor: Actor, id: string): Promise<Scenario> {
	requirePlanner(actor);
	if (!isUuid(id)) throw new ScenarioError(404, 'not_found');
	const row = await scenarios.get(id);
	if (!row) throw new ScenarioError(404, 'not_found');
	const body = scenarioBodySchema.safeParse(row.body);
	if (!body.success) throw new ScenarioError(404, 'not_found');
	await audit.record(event(actor, 'planning_scenario.read', row.id));
	return { id: row.id, name: row.name, body: body.data, createdBy: row.created_by_name, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** Saved scenarios, the most recently changed first (names and needs only; not audited as a read of any one). */
export async function list(actor: Actor): Promise<scenarios.ScenarioSummary[]> {
	requirePlanner(actor);
	return scenarios.list();
}

export async function remove(actor: Actor, id: string): Promise<void> {
	requirePlanner(actor);
	if (!isUuid(id)) throw new ScenarioError(404, 'not_found');
	await sql.begin(async (tx) => {
		if (!(await scenarios.remove(id, tx))) throw new ScenarioError(404, 'not_found');
		await audit.record(event(actor, 'planning_scenario.delete', id), tx);
	});
}
