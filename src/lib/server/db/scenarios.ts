import type { ScenarioBody } from '../../domain/planning';
import { sql, type Sql, type TransactionSql } from './client';

/**
 * Planners' saved "what if" scenarios (table planning_scenario). Plain reads and writes: the
 * service (server/planning/scenarios.ts) validates the body, decides who may, and audits.
 */

export interface ScenarioRow {
	id: string;
	name: string;
	/** As stored: the service validates it before use. */
	body: unknown;
	created_by: string | null;
	created_by_email: string | null;
	/** The author's display name, else the email (what the pages show). */
	created_by_name: string | null;
	created_at: Date;
	updated_at: Date;
}

export interface ScenarioSummary {
	id: string;
	name: string;
	need: string | null;
	created_by_email: string | null;
	/** The author's display name, else the email (what the pages show). */
	created_by_name: string | null;
	updated_at: Date;
}

type Db = Sql | TransactionSql;

export async function create(name: string, body: ScenarioBody, createdBy: string, db: Db = sql): Promise<string> {
	const [row] = await db<{ id: string }[]>`
		INSERT INTO planning_scenario (name, body, created_by)
		VALUES (${name}, ${sql.json(body as never)}, ${createdBy}::uuid)
		RETURNING id`;
	return row!.id;
}

/** Replaces a scenario's name and body; false when there is no such scenario. */
export async function update(id: string, name: string, body: ScenarioBody, db: Db = sql): Promise<boolean> {
	const rows = await db`
		UPDATE planning_scenario SET name = ${name}, body = ${sql.json(body as never)}, updated_at = now()
		WHERE id = ${id}::uuid
		RETURNING id`;
	return rows.length === 1;
}

export async function get(id: string, db: Db = sql): Promise<ScenarioRow | null> {
	const [row] = await db<ScenarioRow[]>`
		SELECT s.id, s.name, s.body, s.created_by, u.email AS created_by_email, COALESCE(u.name, u.email) AS created_by_name, s.created_at, s.updated_at
		FROM planning_scenario s LEFT JOIN app_user u ON u.id = s.created_by
		WHERE s.id = ${id}::uuid`;
	return row ?? null;
}

/** The most recently changed scenarios first. */
export async function list(limit = 100, db: Db = sql): Promise<ScenarioSummary[]> {
	return db<ScenarioSummary[]>`
		SELECT s.id, s.name, s.body->>'need' AS need, u.email AS created_by_email, COALESCE(u.name, u.email) AS created_by_name, s.updated_at
		FROM planning_scenario s LEFT JOIN app_user u ON u.id = s.created_by
		ORDER BY s.updated_at DESC, s.id
		LIMIT ${limit}`;
}

export async function remove(id: string, db: Db = sql): Promise<boolean> {
	const rows = await db`DELETE FROM planning_scenario WHERE id = ${id}::uuid RETURNING id`;
	return rows.length === 1;
}
