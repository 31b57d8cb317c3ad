import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { env as publicEnv } from '$env/dynamic/public';
import { blankValues, changeSlots, parseSlotChange, valuesFromPayload, type ApplicationValues } from '$lib/domain/pact-application';
import type { FieldProblems } from '$lib/domain/problems';
import { config } from '$lib/server/startup';
import * as pact from '$lib/server/db/pact';
import { locate } from '$lib/server/pact/address-lookup';
import * as applicationForm from '$lib/server/pact/form';
import * as submission from '$lib/server/pact/submit';

/**
 * The public application form. Who sees what:
 * - nobody signed in: the form with the account part (a new applicant);
 * - a partner whose application awaits changes: that application, to change and send again;
 * - a partner with an application in review: sent to its page;
 * - a partner with none open (e.g. rejected before): a new application, no account part;
 * - any other signed-in role: an explanation (applications come from partner accounts).
 */
type Mode = 'new' | 'again' | 'edit' | 'not_applicant';

async function modeFor(event: Pick<RequestEvent, 'locals'>): Promise<{ mode: Mode; application: pact.Application | null }> {
	const user = event.locals.user;
	if (!user) return { mode: 'new', application: null };
	if (user.role !== 'partner') return { mode: 'not_applicant', application: null };
	const openId = await pact.openFor(user.id);
	const application = openId ? await pact.getForApplicant(openId, user.id) : null;
	if (application?.status === 'submitted') redirect(303, '/aderisci/domanda');
	return { mode: application ? 'edit' : 'again', application };
}

export const load: PageServerLoad = async (event) => {
	const { mode, application } = await modeFor(event);
	return {
		mode,
		values: application ? valuesFromPayload(application.payload) : blankValues(),
		reviewNote: application?.review_note ?? null,
		styleUrl: publicEnv.PUBLIC_BASEMAP_STYLE_URL || null
	};
};

const margin = () => config().servedMarginM;

/** Where a new applicant goes after sending: signing in, then their application. */
const SENT_SIGN_IN = `/login?${new URLSearchParams({ domanda: 'inviata', next: '/aderisci/domanda?sent=1' })}`;

/** What every re-shown form carries: the values as typed (never a password) and the problems. */
function again(status: number, values: ApplicationValues, errors: FieldProblems, extra: Record<string, unknown> = {}) {
	return fail(status, { values, errors, ...extra });
}

export const actions: Actions = {
	/** Sends the application (a new one, or the changed one when changes were asked for). */
	submit: async (event) => {
		const { mode, application } = await modeFor(event);
		const form = await event.request.formData();
		const values = applicationForm.valuesFromForm(form);
		const address = event.getClientAddress();
		if (mode === 'not_applicant') return again(403, values, {}, { problem: 'not_applicant' });
		if (mode === 'edit' && application) {
			const result = await submission.resubmit(event.locals.user!, application.id, values, { servedMarginM: margin(), address });
			if (!result.ok) return again(400, values, result.errors, { problem: result.problem ?? 'invalid' });
			redirect(303, '/aderisci/domanda?sent=1');
		}
		const result = await submission.submit(
			values,
			{ password: String(form.get('account.password') ?? '').slice(0, 1024), confirm: String(form.get('account.confirm') ?? '').slice(0, 1024) },
			{ servedMarginM: margin(), user: event.locals.user, address }
		);
		if (!result.ok) return again(result.problem === 'throttled' ? 429 : 400, values, result.errors, { problem: result.problem ?? 'invalid' });
		// A new applicant gets the same answer whether their email had an account or not (nothing
		// is created then): no session, the sign-in form, and one text on how to follow the
		// application. Otherwise the form would tell anyone which addresses have accounts.
		if (mode === 'new') redirect(303, SENT_SIGN_IN);
		redirect(303, '/aderisci/domanda?sent=1');
	},

	/** Adds or removes a location or service slot (the form's buttons, working without JavaScript). */
	slots: async ({ request }) => {
		const form = await request.formData();
		const change = parseSlotChange(String(form.get('change') ?? ''));
		const values = applicationForm.valuesFromForm(form);
		return { values: change ? changeSlots(values, change) : values, errors: {} as FieldProblems, change: change?.kind ?? null };
	},

	/** Places a location's typed address with the offline gazetteer, filling its coordinates. */
	locate: async ({ request }) => {
		const form = await request.formData();
		const values = applicationForm.valuesFromForm(form);
		const index = Number(form.get('locate'));
		const location = Number.isInteger(index) ? values.locations[index] : undefined;
		if (!location) return again(400, values, {});
		const key = `locations.${index}.address`;
		if (!location.address.trim()) return again(400, values, { [key]: 'required' });
		const found = await locate(location.address, margin());
		if (!found) return again(400, values, { [key]: 'not_found' });
		location.lon = String(found.lon);
		location.lat = String(found.lat);
		return { values, errors: {} as FieldProblems, located: { index, name: found.name, kind: found.kind, neighbourhood: found.neighbourhood } };
	}
};
