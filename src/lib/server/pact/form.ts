import { MAX_LOCATIONS, MAX_SERVICES, MAX_SLOTS, type ApplicationValues, type ServiceValues } from '../../domain/pact-application';
import { locationValuesFromForm } from '../../domain/records';

/**
 * Joining the pact, step one: the application form as submitted, read into its values (strings as
 * typed, kept when something is wrong). validate.ts checks them.
 */

// Generous caps on what is read from a request, so a huge field cannot fill memory; the schema's
// own limits (smaller) decide what is too long.
const READ_CAP = 10_000;

/** The form's values from a submitted form (any missing field reads as empty). */
export function valuesFromForm(form: FormData): ApplicationValues {
	const text = (name: string) => String(form.get(name) ?? '').slice(0, READ_CAP);
	const list = (name: string) => form.getAll(name).slice(0, 64).map((v) => String(v).slice(0, 100));
	const count = (name: string, max: number) => Math.min(max, Math.max(1, Number.parseInt(text(name), 10) || 1));
	const locations = Array.from({ length: count('location_count', MAX_LOCATIONS) }, (_, i) => locationValuesFromForm(form, `locations.${i}.`, READ_CAP));
	const services: ServiceValues[] = Array.from({ length: count('service_count', MAX_SERVICES) }, (_, i) => {
		const at = `services.${i}.`;
		return {
			name: text(at + 'name'),
			description: text(at + 'description'),
			category: text(at + 'category'),
			needs: list(at + 'needs'),
			audiences: list(at + 'audiences'),
			accepting: text(at + 'accepting'),
			at: list(at + 'at'),
			slots: Array.from({ length: MAX_SLOTS }, (_, j) => ({
				days: text(`${at}slots.${j}.days`),
				from: text(`${at}slots.${j}.from`),
				to: text(`${at}slots.${j}.to`)
			})),
			hours: text(at + 'hours'),
			phone: text(at + 'phone'),
			email: text(at + 'email')
		};
	});
	return {
		organization: {
			name: text('organization.name'),
			kind: text('organization.kind'),
			description: text('organization.description'),
			email: text('organization.email'),
			website: text('organization.website'),
			phone: text('organization.phone')
		},
		contact: { name: text('contact.name'), role: text('contact.role'), phone: text('contact.phone') },
		locations,
		services,
		commitments: list('commitments'),
		free_commitment: text('free_commitment'),
		account: { email: text('account.email') },
		declaration: form.get('declaration') === 'on'
	};
}
