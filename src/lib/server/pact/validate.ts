import { z } from 'zod';
import { checkSlot, slotsToExpression, type HoursSlot } from '../../domain/hours-slots';
import { checkOpeningHours } from '../../domain/opening-hours';
import {
	MAX_LOCATIONS,
	MAX_SERVICES,
	MAX_SLOTS,
	type ApplicationPayload,
	type ApplicationValues,
	type PayloadLocation,
	type PayloadService,
	type ServiceValues
} from '../../domain/pact-application';
import type { FieldProblems } from '../../domain/problems';
import { LIMITS, LOCATION_NOTES, codeOf, collectProblems, locationFields, optionalPhone, optionalText, organizationFields, requiredText, serviceFields } from '../../domain/records';
import { CATEGORY_CODES, PACT_COMMITMENT_CODES } from '../../domain/taxonomy';
import { placePoint } from '../records';

/**
 * Joining the pact: checking an application's values. Every problem a person can fix comes back
 * as a field path and a problem code (domain/problems.ts, said by the page as `problem.<code>`);
 * a valid application becomes the payload that submit.ts stores.
 */

/* Validating: the field rules are domain/records.ts, shared with partner self-service, the
   directory writes and the seed loader; the application adds its own parts here. */

// A new application asks for more than the directory needs: an address (the city defaults to Lecco).
const applicationOrganization = organizationFields.extend({ kind: codeOf(CATEGORY_CODES), phone: optionalPhone() });
const contactSchema = z.object({ name: requiredText(LIMITS.person), role: optionalText(LIMITS.person), phone: optionalPhone() });
const applicationLocation = locationFields.extend({
	address: requiredText(LIMITS.address),
	city: optionalText(LIMITS.city).transform((v) => v ?? 'Lecco')
});
const applicationService = serviceFields.extend({
	category: codeOf(CATEGORY_CODES),
	needs: serviceFields.shape.needs.min(1, 'needs_required'),
	accepting: z.enum(['', 'yes', 'no'], { error: 'unknown_code' }),
	phone: optionalPhone()
});
const commitmentsSchema = z.array(codeOf(PACT_COMMITMENT_CODES));

const isBlankSlot = (slot: { days: string; from: string; to: string }) => !slot.days && !slot.from.trim() && !slot.to.trim();

function isBlankLocation(l: ApplicationValues['locations'][number]): boolean {
	return ![l.name, l.address, l.postal_code, l.city, l.lon, l.lat, ...LOCATION_NOTES.map((note) => l[note] ?? '')].some((v) => v.trim()) && !l.confidential;
}

function isBlankService(s: ServiceValues): boolean {
	return (
		![s.name, s.description, s.category, s.hours, s.phone, s.email, s.accepting].some((v) => v.trim()) &&
		s.needs.length === 0 &&
		s.audiences.length === 0 &&
		s.slots.every(isBlankSlot)
	);
}

export type Validation = { ok: true; payload: ApplicationPayload } | { ok: false; errors: FieldProblems };

export interface ValidationOptions {
	/** Metres beyond the served comuni a location may lie (ATLANTE_SERVED_MARGIN_M). */
	servedMarginM: number;
}

/**
 * Checks an application's values: every field's format, known codes for types, needs, audiences
 * and commitments, hours that parse, and each location's point in range and inside the served
 * area (a confidential one inside a rione, where the public sees it). Slots left completely empty
 * are dropped (not the first); services follow their locations' new numbers.
 */
export async function validate(values: ApplicationValues, options: ValidationOptions): Promise<Validation> {
	const errors: FieldProblems = {};

	const organization = applicationOrganization.safeParse(values.organization);
	if (!organization.success) collectProblems(errors, 'organization', organization.error);
	const contact = contactSchema.safeParse(values.contact);
	if (!contact.success) collectProblems(errors, 'contact', contact.error);

	// Locations: kept ones, and the new index of each slot (null when dropped as blank).
	// Null marks a location with problems (reported in `errors`): it keeps the numbering.
	const locations: (PayloadLocation | null)[] = [];
	const newIndex: (number | null)[] = [];
	for (const [i, raw] of values.locations.slice(0, MAX_LOCATIONS).entries()) {
		if (i > 0 && isBlankLocation(raw)) {
			newIndex.push(null);
			continue;
		}
		const prefix = `locations.${i}`;
		const parsed = applicationLocation.safeParse(raw);
		if (!parsed.success) collectProblems(errors, prefix, parsed.error);
		const placed = await placePoint(raw.lon, raw.lat, raw.confidential, options.servedMarginM);
		if (!placed.ok) errors[`${prefix}.point`] ??= placed.code;
		newIndex.push(locations.length);
		if (parsed.success && placed.ok) {
			// A note only when there is one: the payload stays as it was before the field existed.
			const location: Record<string, unknown> = { ...parsed.data, ...placed.point, neighbourhood: placed.neighbourhood };
			for (const note of LOCATION_NOTES) if (!location[note]) delete location[note];
			locations.push(location as (typeof locations)[number] & object);
		} else locations.push(null);
	}

	const services: PayloadService[] = [];
	for (const [i, raw] of values.services.slice(0, MAX_SERVICES).entries()) {
		if (i > 0 && isBlankService(raw)) continue;
		const prefix = `services.${i}`;
		const parsed = applicationService.safeParse(raw);
		if (!parsed.success) collectProblems(errors, prefix, parsed.error);

		const at: number[] = [];
		for (const value of new Set(raw.at)) {
			const index = /^\d$/.test(value) ? newIndex[Number(value)] : undefined;
			if (index === undefined || index === null) errors[`${prefix}.at`] ??= 'unknown_location';
			else at.push(index);
		}
		if (raw.at.length === 0) errors[`${prefix}.at`] ??= 'at_required';

		const slots: HoursSlot[] = [];
		for (const [j, slot] of raw.slots.slice(0, MAX_SLOTS).entries()) {
			if (isBlankSlot(slot)) continue;
			const problem = checkSlot({ days: slot.days, from: slot.from.trim(), to: slot.to.trim() });
			if (problem) errors[`${prefix}.slots.${j}`] ??= problem;
			else slots.push({ days: slot.days as HoursSlot['days'], from: slot.from.trim(), to: slot.to.trim() });
		}
		let openingHours: string | null = null;
		const typed = raw.hours.trim();
		if (typed && raw.slots.some((slot) => !isBlankSlot(slot))) errors[`${prefix}.hours`] ??= 'hours_both';
		else if (typed) {
			const checked = checkOpeningHours(typed);
			if (checked.ok) openingHours = checked.expression;
			else errors[`${prefix}.hours`] ??= 'hours_invalid';
		} else if (slots.length > 0) {
			openingHours = slotsToExpression(slots);
			// The rows always make a valid expression; checked anyway, the directory will parse it.
			if (openingHours && !checkOpeningHours(openingHours).ok) errors[`${prefix}.slots.0`] ??= 'hours_time';
		}

		if (parsed.success) {
			const s = parsed.data;
			services.push({
				name: s.name,
				description: s.description,
				category: s.category,
				needs: [...new Set(s.needs)],
				audiences: [...new Set(s.audiences)],
				accepting_new: s.accepting === '' ? null : s.accepting === 'yes',
				locations: at.sort((a, b) => a - b),
				slots,
				opening_hours: openingHours,
				hours_typed: Boolean(typed),
				phone: s.phone,
				email: s.email
			});
		}
	}

	const commitments = commitmentsSchema.safeParse(values.commitments);
	if (!commitments.success) collectProblems(errors, 'commitments', commitments.error);
	const free = optionalText(2000).safeParse(values.free_commitment);
	if (!free.success) collectProblems(errors, 'free_commitment', free.error);
	if (commitments.success && free.success && commitments.data.length === 0 && !free.data) errors['commitments'] ??= 'commitment_required';
	if (!values.declaration) errors['declaration'] = 'declaration_required';

	const placed = locations.filter((l): l is PayloadLocation => l !== null);
	if (Object.keys(errors).length > 0 || placed.length !== locations.length || !organization.success || !contact.success || !commitments.success || !free.success) {
		return { ok: false, errors };
	}
	return {
		ok: true,
		payload: {
			organization: organization.data,
			contact: contact.data,
			locations: placed,
			services,
			commitments: PACT_COMMITMENT_CODES.filter((code) => commitments.data.includes(code)),
			free_commitment: free.data
		}
	};
}
