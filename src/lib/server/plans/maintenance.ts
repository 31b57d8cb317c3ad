import * as audit from '../db/audit';
import { sql } from '../db/client';
import * as db from '../db/plans';
import { currentKeyId, decryptIdentity, encryptIdentity } from './crypto';

/* Maintenance, run by `npm run admin`. */

/** Erases the identity of households whose plans all closed more than `months` ago. */
export async function applyRetention(months: number): Promise<number> {
	const due = await db.dueForErasure(months);
	for (const household of due) {
		await sql.begin(async (tx) => {
			await db.eraseIdentity(tx, household.household_id);
			for (const planId of household.plan_ids) {
				await audit.record({ actorEmail: 'retention', action: 'plan.erased', subjectType: 'plan', subjectId: planId, detail: { retention_months: months } }, tx);
			}
		});
	}
	return due.length;
}

/** Re-encrypts every household identity with the current key (after a key change). */
export async function rotateHouseholdKey(): Promise<number> {
	let count = 0;
	for (const household of await db.encryptedIdentities()) {
		if (household.key_id === currentKeyId()) continue;
		const sealed = encryptIdentity(decryptIdentity(household.identity_ciphertext));
		await sql.begin((tx) => db.setIdentity(tx, household.id, sealed.ciphertext, sealed.keyId));
		count += 1;
	}
	await audit.record({ actorEmail: 'npm run admin', action: 'household.key_rotated', detail: { count } });
	return count;
}
