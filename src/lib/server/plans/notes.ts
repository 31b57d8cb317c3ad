import { z } from 'zod';
import * as audit from '../db/audit';
import { sql } from '../db/client';
import * as db from '../db/plans';
import { access, auditEvent, type Actor } from './context';
import { isoDate, optionalText, parse, text } from './input';

/* The plan's written record: notes (any member) and meetings (the lead). */

/** A note visible to every member (lead or member). */
export async function addNote(actor: Actor, planId: string, input: unknown): Promise<void> {
	const note = parse(z.object({ text: text(4000) }), input, { text: 'noteEmpty' });
	const plan = await access(actor, planId);
	await sql.begin(async (tx) => {
		await db.addNote(tx, plan.id, actor.user.id, note.text);
		await db.touch(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.note_added', plan.id), tx);
	});
}

export async function addMeeting(actor: Actor, planId: string, input: unknown): Promise<void> {
	const meeting = parse(z.object({ held_on: isoDate, summary: optionalText(4000).default('') }), input, { held_on: 'meetingDate' });
	const plan = await access(actor, planId, 'lead');
	await sql.begin(async (tx) => {
		await db.addMeeting(tx, plan.id, meeting.held_on, meeting.summary);
		await db.touch(tx, plan.id);
		await audit.record(auditEvent(actor, 'plan.meeting_added', plan.id), tx);
	});
}
