import { requirePlan, type Actor } from '../auth/access';

/**
 * What every part of the plan module shares: who acts, the settings, the audit event and the
 * access check (auth/access.ts), asked before anything else.
 */

export type { Actor };

export interface PlanSettings {
	staleDays: number;
}

/** An audit event about one plan, or (planId null) about the actor's plans in general. */
export function auditEvent(actor: Actor, action: string, planId: string | null, detail: Record<string, unknown> = {}) {
	return { actorId: actor.user.id, actorEmail: actor.user.email, action, subjectType: 'plan', subjectId: planId, address: actor.address, detail };
}

/** The plan, if `actor` may see it (or, `lead`, lead it); otherwise refused by auth/access.ts. */
export const access = (actor: Actor, planId: string, need: 'see' | 'lead' = 'see') => requirePlan(actor, planId, need);
