import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/access';
import { createUser } from '../../src/lib/server/auth/users';
import { sql } from '../../src/lib/server/db/client';
import * as throttleCounts from '../../src/lib/server/db/report-throttle';
import * as reports from '../../src/lib/server/reports/reports';

// "Segnala un errore" (issue 14): reports stored with the least (no address), checked by the one
// set of rules, limited per address in memory, seen and closed by their organisation's editors
// and by the administrators only; every write audited.

const BAKERY = 'Panificio Il Forno del Rione (esempio)';
const PARISH = 'Comunità parrocchiale di Acquate (esempio)';
const MISSING = '00000000-0000-4000-8000-000000000000';
const PASSWORD = 'Sette nani nel bosco 1937';

let counter = 0;
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const email = (who: string) => `report-${who}-${run}-${++counter}@atlante.test`;
// Each test its own address, so the hourly limit of one does not reach another.
const clientAddress = () => `198.51.100.${++counter % 250}-${run}`;

async function person(role: 'worker' | 'admin'): Promise<Actor> {
	return { user: await createUser({ email: email(role), role, password: PASSWORD }), address: '192.0.2.1' };
}

async function staff(organization: string, organizationRole: 'editor' | 'viewer' = 'editor'): Promise<Actor> {
	return { user: await createUser({ email: email('partner'), role: 'partner', password: PASSWORD, organization, organizationRole }), address: '192.0.2.2' };
}

async function resourceOf(organization: string): Promise<{ id: string; organization_id: string }> {
	const [row] = await sql<{ id: string; organization_id: string }[]>`
		SELECT id::text, organization_id::text FROM public_resource WHERE organization_name = ${organization} ORDER BY id LIMIT 1`;
	return row!;
}

const blank = { kind: '', note: '', reply_email: '' };

async function report(resourceId: string, values: Partial<typeof blank>, options: { address?: string; honeypot?: string; perHour?: number; now?: Date } = {}) {
	return reports.submit({
		resourceId,
		values: { ...blank, ...values },
		honeypot: options.honeypot ?? '',
		address: options.address ?? clientAddress(),
		perHour: options.perHour ?? 100,
		now: options.now
	});
}

/** The newest report of an organisation, as stored (every column). */
async function newest(organizationId: string): Promise<Record<string, unknown> | undefined> {
	const [row] = await sql`SELECT * FROM error_report WHERE organization_id = ${organizationId}::uuid ORDER BY created_at DESC, id DESC LIMIT 1`;
	return row;
}

const answer = (promise: Promise<unknown>) =>
	promise.then(
		() => 'passed',
		(problem: unknown) => (isHttpError(problem) ? problem.status : problem)
	);

describe('sending a report', () => {
	it('stores the kind, the note and the optional email, stamped with the app clock, and no address', async () => {
		const resource = await resourceOf(BAKERY);
		const now = new Date(Date.now() - 3 * 60_000);
		expect(await report(resource.id, { kind: 'hours', note: '  Il sabato è chiuso  ', reply_email: 'Chi@Example.org' }, { now })).toEqual({ status: 'sent' });
		const row = await newest(resource.organization_id);
		expect(row).toMatchObject({ service_at_location_id: resource.id, kind: 'hours', note: 'Il sabato è chiuso', reply_email: 'chi@example.org', status: 'open', resolved_at: null });
		expect((row!.created_at as Date).getTime()).toBe(now.getTime());
		// Nothing that could hold the client's address.
		expect(Object.keys(row!).sort()).toEqual(['created_at', 'id', 'kind', 'note', 'organization_id', 'reply_email', 'resolved_at', 'resolved_by', 'service_at_location_id', 'service_id', 'status']);
		const [audit] = await sql`SELECT action, address, actor_id, detail FROM audit_event WHERE subject_id = ${row!.id as string}`;
		expect(audit).toMatchObject({ action: 'error_report.created', address: null, actor_id: null, detail: { kind: 'hours', reply: true, organization: resource.organization_id } });
	});

	it('needs nothing personal: a kind alone is a report', async () => {
		const resource = await resourceOf(BAKERY);
		expect(await report(resource.id, { kind: 'closed' })).toEqual({ status: 'sent' });
		expect(await newest(resource.organization_id)).toMatchObject({ kind: 'closed', note: null, reply_email: null });
	});

	it('refuses bad input with problem codes and stores nothing', async () => {
		const resource = await resourceOf(BAKERY);
		const before = await newest(resource.organization_id);
		expect(await report(resource.id, {})).toEqual({ status: 'invalid', errors: { kind: 'required' } });
		expect(await report(resource.id, { kind: 'opinion' })).toEqual({ status: 'invalid', errors: { kind: 'unknown_code' } });
		expect(await report(resource.id, { kind: 'other', note: '   ' })).toEqual({ status: 'invalid', errors: { note: 'required' } });
		expect(await report(resource.id, { kind: 'hours', note: 'x'.repeat(1001), reply_email: 'not an email' })).toEqual({
			status: 'invalid',
			errors: { note: 'too_long', reply_email: 'email' }
		});
		expect(await report(resource.id, { kind: 'hours', note: 'a\0b' })).toEqual({ status: 'invalid', errors: { note: 'text' } });
		expect(await newest(resource.organization_id)).toEqual(before);
	});

	it('answers "missing" for an id no public resource has', async () => {
		expect(await report(MISSING, { kind: 'closed' })).toEqual({ status: 'missing' });
		expect(await report('not-a-uuid', { kind: 'closed' })).toEqual({ status: 'missing' });
	});

	it('thanks a bot that filled the hidden field, and keeps nothing', async () => {
		const resource = await resourceOf(BAKERY);
		const before = await newest(resource.organization_id);
		expect(await report(resource.id, { kind: 'closed', note: 'buy now' }, { honeypot: 'https://spam.example' })).toEqual({ status: 'sent' });
		expect(await newest(resource.organization_id)).toEqual(before);
	});

	it('limits the reports of one address per hour, not those of another', async () => {
		const resource = await resourceOf(BAKERY);
		const address = clientAddress();
		// In the past, so that "an hour later" is not a report newer than the other tests' ones.
		const now = new Date(Date.now() - 2 * 3_600_000);
		for (let i = 0; i < 3; i++) expect(await report(resource.id, { kind: 'closed' }, { address, perHour: 3, now })).toEqual({ status: 'sent' });
		const refused = await report(resource.id, { kind: 'closed' }, { address, perHour: 3, now });
		expect(refused).toEqual({ status: 'throttled', retryAfterSeconds: 3600 });
		expect(await report(resource.id, { kind: 'closed' }, { perHour: 3, now })).toEqual({ status: 'sent' });
		// An hour later the address may report again.
		expect(await report(resource.id, { kind: 'closed' }, { address, perHour: 3, now: new Date(now.getTime() + 3_600_001) })).toEqual({ status: 'sent' });
	});

	it('counts in the database (every instance shares it) without storing the address, and forgets after the hour', async () => {
		const resource = await resourceOf(BAKERY);
		const address = clientAddress();
		const now = new Date(Date.now() - 4 * 3_600_000);
		expect(await report(resource.id, { kind: 'closed' }, { address, perHour: 1, now })).toEqual({ status: 'sent' });
		// The count is a row another instance reads, not this process's memory.
		const stored = await sql<{ hex: string }[]>`SELECT encode(address_hash, 'hex') AS hex FROM report_throttle WHERE at = ${now}`;
		expect(stored).toHaveLength(1);
		const everything = JSON.stringify(await sql`SELECT encode(address_hash, 'escape') AS text, * FROM report_throttle`);
		expect(everything).not.toContain(address);
		await sql`DELETE FROM report_throttle WHERE at = ${now}`;
		expect(await report(resource.id, { kind: 'closed' }, { address, perHour: 1, now })).toEqual({ status: 'sent' });
		// A later count deletes the rows past the hour.
		await report(resource.id, { kind: 'closed' }, { perHour: 1, now: new Date(now.getTime() + 3_600_000) });
		expect(await sql`SELECT 1 FROM report_throttle WHERE at = ${now}`).toHaveLength(0);
	});

	it('replaces the hashing key after a day, so no stored hash links to an address for longer', async () => {
		// The counts alone (no report rows: a report dated tomorrow would be every later test's newest).
		const key = async () => (await sql<{ salt: Buffer }[]>`SELECT salt FROM report_throttle_key`)[0]!.salt.toString('hex');
		const count = (hours: number) => {
			const at = new Date(Date.now() + hours * 3_600_000);
			return throttleCounts.count(clientAddress(), at, new Date(at.getTime() - 3_600_000));
		};
		await count(0);
		const first = await key();
		await count(1);
		expect(await key()).toBe(first);
		await count(25);
		expect(await key()).not.toBe(first);
		expect(await key()).not.toBe(first);
	});
});

describe('who sees and closes reports', () => {
	it('the organisation’s editors and the administrators see them; another organisation’s editor gets 404', async () => {
		const bakery = await resourceOf(BAKERY);
		await report(bakery.id, { kind: 'contacts', note: 'Il numero non risponde' });
		const editor = await staff(BAKERY);
		const stranger = await staff(PARISH);
		const viewer = await staff(BAKERY, 'viewer');
		const admin = await person('admin');
		const worker = await person('worker');

		const seen = await reports.openFor(editor, bakery.organization_id);
		expect(seen.some((r) => r.note === 'Il numero non risponde' && r.organization_id === bakery.organization_id)).toBe(true);
		expect((await reports.openAll(admin)).some((r) => r.note === 'Il numero non risponde')).toBe(true);
		expect(await answer(reports.openFor(stranger, bakery.organization_id))).toBe(404);
		expect(await answer(reports.openFor(viewer, bakery.organization_id))).toBe(404);
		expect(await answer(reports.openAll(worker))).toBe(404);
		// The parish's editor sees only the parish's reports.
		expect((await reports.openFor(stranger, (await resourceOf(PARISH)).organization_id)).every((r) => r.organization_id !== bakery.organization_id)).toBe(true);
	});

	it('an editor resolves their organisation’s report (audited, the reply email erased); another organisation’s editor cannot', async () => {
		const bakery = await resourceOf(BAKERY);
		await report(bakery.id, { kind: 'hours', note: 'Orari cambiati', reply_email: 'risposta@example.org' });
		const id = (await newest(bakery.organization_id))!.id as string;
		const editor = await staff(BAKERY);
		const stranger = await staff(PARISH);
		const parishId = (await resourceOf(PARISH)).organization_id;

		// Through the report's organisation (not theirs) and through their own (not the report's).
		expect(await answer(reports.close(stranger, { organizationId: bakery.organization_id, reportId: id, decision: 'resolved' }))).toBe(404);
		expect(await answer(reports.close(stranger, { organizationId: parishId, reportId: id, decision: 'resolved' }))).toBe(404);
		expect(await answer(reports.close(stranger, { organizationId: null, reportId: id, decision: 'resolved' }))).toBe(404);
		expect(await answer(reports.close(editor, { organizationId: bakery.organization_id, reportId: id, decision: 'fixed' }))).toBe(400);
		expect(await newest(bakery.organization_id)).toMatchObject({ id, status: 'open', note: 'Orari cambiati', reply_email: 'risposta@example.org' });
		const [refusal] = await sql`SELECT action, subject_type FROM audit_event WHERE actor_id = ${stranger.user.id}::uuid AND subject_id = ${id}`;
		expect(refusal).toMatchObject({ action: 'authz.denied', subject_type: 'error_report' });

		const now = new Date();
		expect(await answer(reports.close(editor, { organizationId: bakery.organization_id, reportId: id, decision: 'resolved' }, now))).toBe('passed');
		const [row] = await sql`SELECT status, resolved_by::text, resolved_at, reply_email FROM error_report WHERE id = ${id}::uuid`;
		expect(row).toEqual({ status: 'resolved', resolved_by: editor.user.id, resolved_at: now, reply_email: null });
		const [audit] = await sql`SELECT action, actor_id::text FROM audit_event WHERE subject_id = ${id} AND action = 'error_report.resolved'`;
		expect(audit).toEqual({ action: 'error_report.resolved', actor_id: editor.user.id });
		expect((await reports.openFor(editor, bakery.organization_id)).some((r) => r.id === id)).toBe(false);
		// A closed report cannot be closed again.
		expect(await answer(reports.close(editor, { organizationId: bakery.organization_id, reportId: id, decision: 'dismissed' }))).toBe(404);
	});

	it('an administrator dismisses any report from the list of all', async () => {
		const parish = await resourceOf(PARISH);
		await report(parish.id, { kind: 'other', note: 'Non è più qui' });
		const id = (await newest(parish.organization_id))!.id as string;
		const admin = await person('admin');
		await reports.close(admin, { organizationId: null, reportId: id, decision: 'dismissed' });
		expect(await newest(parish.organization_id)).toMatchObject({ id, status: 'dismissed', resolved_by: admin.user.id });
	});
});

describe('telling the editors', () => {
	it('queues one notice, a link without the report’s words, when a report starts waiting', async () => {
		const parish = await resourceOf(PARISH);
		await sql`UPDATE error_report SET status = 'dismissed', resolved_at = now(), reply_email = NULL WHERE organization_id = ${parish.organization_id}::uuid AND status = 'open'`;
		const editor = await staff(PARISH);
		const mails = () => sql<{ kind: string; body_text: string }[]>`SELECT kind, body_text FROM mail_outbox WHERE recipient = ${editor.user.email}`;
		await report(parish.id, { kind: 'other', note: 'Parole riservate della nota', reply_email: 'segreta@example.org' });
		await report(parish.id, { kind: 'closed' });
		const queued = await mails();
		expect(queued.map((m) => m.kind)).toEqual(['report.new']);
		expect(queued[0]!.body_text).toContain(`/partner/${parish.organization_id}#errori`);
		expect(queued[0]!.body_text).not.toContain('Parole riservate');
		expect(queued[0]!.body_text).not.toContain('segreta@');
	});
});
