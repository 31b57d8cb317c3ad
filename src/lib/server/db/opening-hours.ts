import { checkOpeningHours, openIntervals } from '../../domain/opening-hours';
import { sql, type Sql, type TransactionSql } from './client';

// Concrete open intervals are kept from a day ago to EXPAND_DAYS ahead, and expanded again
// before fewer than REFRESH_DAYS remain, so "open now" never runs past the known horizon.
const EXPAND_DAYS = 8;
const REFRESH_DAYS = 2;
const DAY_MS = 86_400_000;
// Serialises expansion across app instances sharing one database.
const EXPAND_LOCK = 4_711_043;

/**
 * Returns the id of `expression` in `opening_hours`, adding it (with its intervals) when new.
 * Throws with the parser's message when the expression is invalid: nothing is written then.
 */
export async function idFor(tx: TransactionSql | Sql, input: string): Promise<number> {
	const checked = checkOpeningHours(input);
	if (!checked.ok) throw new Error(checked.error);
	const [row] = await tx<{ id: number; expanded_until: Date | null }[]>`
		INSERT INTO opening_hours (expression) VALUES (${checked.expression})
		ON CONFLICT (expression) DO UPDATE SET expression = EXCLUDED.expression
		RETURNING id, expanded_until`;
	if (!row) throw new Error('opening hours were not saved');
	if (!row.expanded_until) await expandOne(tx, row.id, checked.expression, new Date());
	return row.id;
}

async function expandOne(tx: TransactionSql | Sql, id: number, expression: string, now: Date): Promise<void> {
	const from = new Date(now.getTime() - DAY_MS);
	const until = new Date(now.getTime() + EXPAND_DAYS * DAY_MS);
	const intervals = openIntervals(expression, from, until);
	await tx`DELETE FROM opening_interval WHERE opening_hours_id = ${id}`;
	if (intervals.length > 0) {
		const rows = intervals.map(([start, end]) => ({
			opening_hours_id: id,
			during: `[${start.toISOString()},${end.toISOString()})`
		}));
		await tx`INSERT INTO opening_interval ${tx(rows, 'opening_hours_id', 'during')}`;
	}
	const updated = await tx`UPDATE opening_hours SET expanded_until = ${until} WHERE id = ${id}`;
	if (updated.count !== 1) throw new Error(`opening hours ${id} vanished while being expanded`);
}

/**
 * Makes sure every expression's intervals reach at least REFRESH_DAYS past `now`, and returns how
 * many it expanded. Called at start-up and by the hourly job (startup.ts), never on a read: public
 * reads only read. The due rows are chosen after the lock is taken, so an instance that waited for
 * another's expansion finds nothing left to do instead of expanding the same rows again.
 */
export async function ensureExpanded(now = new Date()): Promise<number> {
	return sql.begin(async (tx) => {
		await tx`SELECT pg_advisory_xact_lock(${EXPAND_LOCK})`;
		const due = await tx<{ id: number; expression: string }[]>`
			SELECT id, expression FROM opening_hours
			WHERE expanded_until IS NULL OR expanded_until < ${new Date(now.getTime() + REFRESH_DAYS * DAY_MS)}`;
		for (const { id, expression } of due) await expandOne(tx, id, expression, now);
		return due.length;
	});
}
