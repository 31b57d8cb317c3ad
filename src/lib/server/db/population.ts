import { EARLIEST_DAY, isRealDate, todayInRome } from '../../domain/dates';
import { sql, type Sql, type TransactionSql } from './client';

/**
 * Residents per rione, kept as history (rione_population: a newer figure is a new row, never an
 * update), and the city's age structure. Rioni are referred to by name, which survives the seed
 * loader replacing the rioni (see db/migrations/0009_population_transit.sql).
 */

export class PopulationValidationError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PopulationValidationError';
	}
}

export interface SeedPopulationRow {
	rione: string;
	residents: number;
	referenceDate: string;
	source: string;
}

export interface CurrentResidents {
	rione: string;
	residents: number;
	referenceDate: string;
	/** The cited source (seeded figures), or null. */
	source: string | null;
	/** An administrator's description of where the figure comes from, or null. */
	sourceNote: string | null;
	/** Who entered it (null for a seeded figure, or an account since deleted): the account's id in `currentResidents`, its display name (else email) in `history`. */
	enteredBy: string | null;
	enteredAt: Date;
}

export interface AgeRow {
	age: number;
	males: number;
	females: number;
	total: number;
	referenceDate: string;
	source: string;
}

function checkFigure(rione: string, residents: number, referenceDate: string): void {
	if (!rione.trim()) throw new PopulationValidationError('Say which rione the figure is for.');
	if (!Number.isSafeInteger(residents) || residents < 0 || residents > 1_000_000) {
		throw new PopulationValidationError(`Residents of ${rione} must be a whole number from 0 to 1,000,000.`);
	}
	if (!isRealDate(referenceDate) || referenceDate < EARLIEST_DAY) {
		throw new PopulationValidationError(`The reference date of ${rione} must be a real day (YYYY-MM-DD) from ${EARLIEST_DAY}.`);
	}
}

/**
 * The seed file's figures, in one transaction. A figure already recorded (same rione, date,
 * source and number) is skipped, so re-seeding is a no-op; a changed figure becomes a new row of
 * history and never touches what an administrator entered. Returns how many rows were added.
 */
export async function addSeedFigures(rows: SeedPopulationRow[]): Promise<number> {
	for (const row of rows) checkFigure(row.rione, row.residents, row.referenceDate);
	return sql.begin(async (tx) => {
		let added = 0;
		for (const row of rows) {
			const inserted = await tx`
				INSERT INTO rione_population (rione, residents, reference_date, source_id)
				VALUES (${row.rione.trim()}, ${row.residents}, ${row.referenceDate}, ${row.source})
				ON CONFLICT (rione, reference_date, source_id, residents) WHERE entered_by IS NULL DO NOTHING
				RETURNING id`;
			added += inserted.length;
		}
		return added;
	});
}

/**
 * An administrator's newer figure for one rione (the caller checks the role and audits). The rione
 * must be on the current map; the date may not be in the future. Added as history, never replacing.
 */
export async function enterFigure(
	input: { rione: string; residents: number; referenceDate: string; sourceNote: string; enteredBy: string },
	now: Date = new Date(),
	tx?: TransactionSql
): Promise<number> {
	const rione = input.rione.trim();
	checkFigure(rione, input.residents, input.referenceDate);
	if (input.referenceDate > todayInRome(now)) throw new PopulationValidationError('The reference date cannot be in the future.');
	const note = input.sourceNote.trim();
	if (!note) throw new PopulationValidationError('Say where the figure comes from (for example "Comune di Lecco, anagrafe, 30/06/2025").');
	const db = tx ?? sql;
	const [known] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM neighbourhood WHERE name = ${rione}`;
	if (!known?.n) throw new PopulationValidationError(`"${rione}" is not a rione of the map.`);
	const [row] = await db<{ id: string }[]>`
		INSERT INTO rione_population (rione, residents, reference_date, source_note, entered_by)
		VALUES (${rione}, ${input.residents}, ${input.referenceDate}, ${note}, ${input.enteredBy})
		RETURNING id::text AS id`;
	if (!row) throw new Error(`the figure for ${rione} was not written`);
	return Number(row.id);
}

/** The current figure of every rione that has one: its latest reference date, then latest entry. */
export async function currentResidents(): Promise<CurrentResidents[]> {
	return sql<CurrentResidents[]>`
		SELECT rione, residents, reference_date::text AS "referenceDate", source_id AS source,
			source_note AS "sourceNote", entered_by::text AS "enteredBy", entered_at AS "enteredAt"
		FROM rione_population_current ORDER BY rione`;
}

/** Replaces the age structure of each (reference date, source) in the file, in one transaction. */
export async function replaceAges(rows: AgeRow[]): Promise<number> {
	for (const row of rows) {
		if (!isRealDate(row.referenceDate)) throw new PopulationValidationError(`age ${row.age}: bad reference date "${row.referenceDate}"`);
		if (row.males + row.females !== row.total) throw new PopulationValidationError(`age ${row.age}: males and females do not add up to the total`);
	}
	const sets = [...new Set(rows.map((row) => `${row.referenceDate}|${row.source}`))];
	return sql.begin(async (tx) => {
		for (const set of sets) {
			const [date, source] = set.split('|') as [string, string];
			await tx`DELETE FROM population_age WHERE reference_date = ${date} AND source_id = ${source}`;
		}
		for (const row of rows) {
			await tx`
				INSERT INTO population_age (reference_date, source_id, age, males, females, total)
				VALUES (${row.referenceDate}, ${row.source}, ${row.age}, ${row.males}, ${row.females}, ${row.total})`;
		}
		return rows.length;
	});
}

/** The latest age structure (single years), with its date and source. */
export async function ages(): Promise<AgeRow[]> {
	return sql<AgeRow[]>`
		SELECT age, males, females, total, reference_date::text AS "referenceDate", source_id AS source
		FROM population_age
		WHERE (reference_date, source_id) = (SELECT reference_date, source_id FROM population_age ORDER BY reference_date DESC, source_id LIMIT 1)
		ORDER BY age`;
}

/** Whether `name` is a rione of the current map. */
export async function isRione(name: string, db: Sql | TransactionSql = sql): Promise<boolean> {
	const [row] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM neighbourhood WHERE name = ${name}`;
	return (row?.n ?? 0) > 0;
}

/** A figure of a rione's history, current or replaced. */
export interface FigureEntry extends CurrentResidents {
	id: number;
	current: boolean;
}

/**
 * Every figure of every rione, current first then older, as the admin page lists them. Includes
 * rioni no longer on the map: their history stays.
 */
export async function history(): Promise<FigureEntry[]> {
	return sql<FigureEntry[]>`
		SELECT p.id::int AS id, p.rione, p.residents, p.reference_date::text AS "referenceDate", s.name AS source,
			p.source_note AS "sourceNote", COALESCE(u.name, u.email) AS "enteredBy", p.entered_at AS "enteredAt",
			p.id = c.id AS current
		FROM rione_population p
		LEFT JOIN source s ON s.id = p.source_id
		LEFT JOIN app_user u ON u.id = p.entered_by
		LEFT JOIN rione_population_current c ON c.rione = p.rione
		ORDER BY p.rione, p.reference_date DESC, p.entered_at DESC, p.id DESC`;
}
