import { sql } from './client';

/**
 * Demand against supply (issue 11): true counts of households with a need in support plans, and
 * of those turned away for lack of capacity, by rione. SQL only; the planning service
 * (src/lib/server/planning/demand.ts) protects them before anyone sees them. Nothing here returns
 * a household, a plan or a referral: only counts of households per rione and membership.
 *
 * Which plans count (deleted plans never do; a household with several plans counts once):
 * - active now: status `active` or `under_review` (a plan in force, being reviewed). Drafts are
 *   not agreed with the family yet; closed plans are over.
 * - active in the 12 months up to `now`: active now, or closed within those 12 months after having
 *   been in force (`activated_at`, migration 0012). A plan returned to draft counts in neither.
 * A household's need is the plan's need as recorded now (`plan_need`).
 *
 * Turned away (unmet demand) in a period: counted in that period's demand for the need, and a
 * referral of one of its (not deleted) plans for the need declined `no_capacity` within the 12
 * months up to `now`, the decline's time taken from the referral's history. So unmet demand is
 * part of demand in each period, and "active" is part of "12 months" for both measures: the
 * nesting the disclosure rules rely on.
 *
 * The household's rione is `household.neighbourhood_id`, else the rione containing its rounded
 * point (the first by id where boundaries overlap); a household with neither has no rione and
 * counts in the city totals only.
 *
 * `now` is the app's clock (a parameter, as in accounts.ts), never the database's `now()`.
 */

export interface DemandRow {
	/** null: the household has no rione. */
	rione: string | null;
	demand_active: boolean;
	demand_last_12_months: boolean;
	unmet_active: boolean;
	unmet_last_12_months: boolean;
	households: number;
}

/** Households with `need` in a plan active in the 12 months up to `now`, by rione and by the views they belong to. */
export async function householdsByRione(need: string, now: Date): Promise<DemandRow[]> {
	const since = sql`${now}::timestamptz - make_interval(months => 12)`;
	return sql<DemandRow[]>`
		WITH plans AS (
			SELECT p.household_id,
				bool_or(p.status IN ('active', 'under_review')) AS active,
				bool_or(p.status IN ('active', 'under_review')
					OR (p.status = 'closed' AND p.activated_at IS NOT NULL AND p.closed_at > ${since})) AS recent
			FROM support_plan p JOIN plan_need pn ON pn.plan_id = p.id AND pn.need = ${need}
			WHERE p.deleted_at IS NULL
			GROUP BY p.household_id
		), turned_away AS (
			SELECT DISTINCT p.household_id
			FROM referral r JOIN support_plan p ON p.id = r.plan_id AND p.deleted_at IS NULL
			WHERE r.need = ${need} AND r.decline_code = 'no_capacity'
				AND EXISTS (SELECT 1 FROM referral_event e
					WHERE e.referral_id = r.id AND e.to_status = 'declined' AND e.at > ${since})
		), households AS (
			SELECT plans.active, plans.recent, t.household_id IS NOT NULL AS turned_away,
				COALESCE(h.neighbourhood_id, (
					SELECT n.id FROM neighbourhood n WHERE ST_Intersects(n.geom, h.rounded_point) ORDER BY n.id LIMIT 1)) AS rione_id
			FROM plans JOIN household h ON h.id = plans.household_id
			LEFT JOIN turned_away t ON t.household_id = plans.household_id
			WHERE plans.recent
		)
		SELECT n.name AS rione, hh.active AS demand_active, hh.recent AS demand_last_12_months,
			hh.active AND hh.turned_away AS unmet_active, hh.recent AND hh.turned_away AS unmet_last_12_months,
			count(*)::int AS households
		FROM households hh LEFT JOIN neighbourhood n ON n.id = hh.rione_id
		GROUP BY 1, 2, 3, 4, 5
		ORDER BY 1, 2, 3, 4, 5`;
}

/** Every rione by name: each appears in the figures, with or without households. */
export async function rioneNames(): Promise<string[]> {
	return (await sql<{ name: string }[]>`SELECT name FROM neighbourhood ORDER BY name`).map((r) => r.name);
}

/**
 * A fingerprint of everything the demand figures are computed from (plans, their needs, households'
 * rioni, referrals and their answers, the rioni): equal fingerprints, equal true counts at the same
 * moment. Lets the service reuse a computation until something changes.
 */
export async function fingerprint(): Promise<string> {
	const [row] = await sql<{ value: string }[]>`
		SELECT concat_ws('|',
			(SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') || ':' || coalesce(max(closed_at)::text, '') FROM support_plan),
			(SELECT count(*) || ':' || coalesce(sum(hashtext(plan_id::text || need)), 0) FROM plan_need),
			(SELECT count(*) || ':' || coalesce(sum(hashtext(id::text || coalesce(neighbourhood_id::text, '') || coalesce(ST_AsText(rounded_point), ''))), 0) FROM household),
			(SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM referral),
			(SELECT count(*) || ':' || coalesce(max(id), 0) FROM referral_event),
			(SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM neighbourhood)) AS value`;
	return row!.value;
}
