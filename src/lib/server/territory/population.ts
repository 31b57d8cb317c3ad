import { todayInRome } from '../../domain/dates';
import { readPopulationForm, type PopulationForm, type Problem } from '../../domain/territory';
import type { User } from '../db/accounts';
import * as audit from '../db/audit';
import { sql } from '../db/client';
import * as population from '../db/population';

/**
 * Residents per rione entered by an administrator: read and checked (domain/territory.ts), then
 * added as history with its audit event in one transaction. A figure is never changed: a newer one
 * becomes current (rione_population_current).
 */

export async function enter(
	actor: Pick<User, 'id' | 'email'>,
	values: PopulationForm,
	address: string | null,
	now: Date = new Date()
): Promise<{ ok: true; id: number } | { ok: false; problems: Problem[] }> {
	const read = readPopulationForm(values, todayInRome(now));
	if (!read.ok) return read;
	const { figure } = read;
	return sql.begin(async (tx) => {
		if (!(await population.isRione(figure.rione, tx))) return { ok: false as const, problems: [{ field: 'rione', code: 'unknownRione' }] };
		const id = await population.enterFigure({ ...figure, enteredBy: actor.id }, now, tx);
		await audit.record(
			{
				actorId: actor.id,
				actorEmail: actor.email,
				action: 'population.enter',
				subjectType: 'rione',
				subjectId: figure.rione,
				address,
				detail: { id, residents: figure.residents, reference_date: figure.referenceDate }
			},
			tx
		);
		return { ok: true as const, id };
	});
}

export const currentResidents = population.currentResidents;
export const history = population.history;
