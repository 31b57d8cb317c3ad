import { DEMAND_MEASURES, demandStructure, demandView, membership, protect, type Atoms, type ProtectedView } from '../../domain/disclosure';
import { DEMAND_PERIODS, type DemandPeriod } from '../../domain/planning';
import { NEED_CODES, type NeedCode } from '../../domain/taxonomy';
import * as audit from '../db/audit';
import * as db from '../db/demand';

/**
 * Demand against supply for planners: per rione and for the city, the households with a need in
 * support plans and those turned away for lack of capacity, under the disclosure rules of
 * src/lib/domain/disclosure.ts (≥ 5 households, rounded to 5, complementary suppression, no
 * differencing across the periods a planner can choose or between demand and unmet demand).
 * Which plans and referrals count is documented in src/lib/server/db/demand.ts.
 *
 * Every view of a need (both measures, every period) is protected in one computation, so what
 * is published in one period does not depend on which period was asked for first. A planner never
 * sees a household, a plan or a referral: only these figures.
 */

/** The figures of one rione (or of the city) in one period: null and suppressed when not published. */
export interface DemandFigures {
	demand: number | null;
	demand_suppressed: boolean;
	unmet: number | null;
	unmet_suppressed: boolean;
}

export interface DemandByRione {
	/** Every rione, by name. */
	rioni: Map<string, DemandFigures>;
	/** The city: every household, those without a rione included. */
	city: DemandFigures;
}

/** Input a route should have refused already; the field at fault, for a 400. */
export class DemandInputError extends Error {
	readonly status = 400;
	constructor(readonly field: 'need' | 'period') {
		super(`${field}: unknown ${field}`);
	}
}

/** Who asked, for the audit trail (the plan service's Actor fits). */
export interface DemandReader {
	user: { id: string; email: string };
	address: string | null;
}

/**
 * The protected figures of every view of `need`, keyed by view (`demand:active`, …): the true
 * counts read once, then `protect` over all of them.
 */
export async function protectedViews(need: NeedCode, now: Date): Promise<Record<string, ProtectedView>> {
	// The disclosure step costs up to tens of milliseconds a need: reuse it while nothing it reads
	// has changed (db.fingerprint) and for at most a minute (the 12-month window slides).
	const fingerprint = await db.fingerprint();
	const key = `${need}|${fingerprint}`;
	const hit = cache.get(key);
	if (hit && now.getTime() - hit.at >= 0 && now.getTime() - hit.at < CACHE_MS) return hit.views;
	const views = await computeViews(need, now);
	if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
	cache.set(key, { at: now.getTime(), views });
	return views;
}

const CACHE_MS = 60_000;
// Both periods of every need, a few fingerprints over.
const CACHE_ENTRIES = 64;
const cache = new Map<string, { at: number; views: Record<string, ProtectedView> }>();

async function computeViews(need: NeedCode, now: Date): Promise<Record<string, ProtectedView>> {
	const [rows, names] = await Promise.all([db.householdsByRione(need, now), db.rioneNames()]);
	const atoms: Atoms = { rioni: Object.fromEntries(names.map((name) => [name, {}])), unplaced: {} };
	for (const row of rows) {
		const views = DEMAND_PERIODS.flatMap((period) =>
			DEMAND_MEASURES.filter((measure) => row[`${measure}_${period}`]).map((measure) => demandView(measure, period))
		);
		if (views.length === 0) continue;
		const group = row.rione === null ? atoms.unplaced : (atoms.rioni[row.rione] ??= {});
		const key = membership(views);
		group[key] = (group[key] ?? 0) + row.households;
	}
	const { views, pairs } = demandStructure(DEMAND_PERIODS);
	return protect(views, pairs, atoms);
}

/**
 * Demand and unmet demand for `need` in `period`, per rione and for the city. `now` is the app's
 * clock. One aggregate read is recorded in the audit trail (`planning.demand_read`: the need and
 * the period, who asked; nothing about any household).
 */
export async function demandByRione(need: NeedCode, period: DemandPeriod, now: Date = new Date(), reader?: DemandReader): Promise<DemandByRione> {
	if (!(NEED_CODES as readonly string[]).includes(need)) throw new DemandInputError('need');
	if (!(DEMAND_PERIODS as readonly string[]).includes(period)) throw new DemandInputError('period');
	const all = await protectedViews(need, now);
	const demand = all[demandView('demand', period)]!;
	const unmet = all[demandView('unmet', period)]!;
	const figures = (d: ProtectedView['total'], u: ProtectedView['total']): DemandFigures => ({
		demand: d.value,
		demand_suppressed: d.suppressed,
		unmet: u.value,
		unmet_suppressed: u.suppressed
	});
	const rioni = new Map(Object.keys(demand.cells).map((name) => [name, figures(demand.cells[name]!, unmet.cells[name]!)]));
	await audit.record({
		actorId: reader?.user.id ?? null,
		actorEmail: reader?.user.email ?? null,
		action: 'planning.demand_read',
		subjectType: 'need',
		subjectId: need,
		address: reader?.address ?? null,
		detail: { period }
	});
	return { rioni, city: figures(demand.total, unmet.total) };
}
