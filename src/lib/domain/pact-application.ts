import type { HoursSlot } from './hours-slots';
import { blankLocation, locationValuesOf, type LocationNote, type LocationValues } from './records';
import type { AudienceCode, CategoryCode, NeedCode, PactCommitmentCode } from './taxonomy';

/**
 * An application to join the Patto di comunità, in its two shapes: the form's values (strings as
 * typed, re-shown when something is wrong) and the validated payload the database keeps. Pure:
 * shared by the form (browser) and the server (validation in server/pact/validate.ts).
 */

/** Slots the form offers: enough for a typical partner, few enough to stay usable without JavaScript. */
export const MAX_LOCATIONS = 3;
export const MAX_SERVICES = 5;
/** "Days, from, to" rows per service (see hours-slots.ts). */
export const MAX_SLOTS = 3;

export const APPLICATION_STATUSES = ['submitted', 'changes_requested', 'approved', 'rejected'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/* The form's values (a location's are the directory's location form values, records.ts). */
export { blankLocation, type LocationValues };

export interface SlotValues {
	days: string;
	from: string;
	to: string;
}

export interface ServiceValues {
	name: string;
	description: string;
	category: string;
	needs: string[];
	audiences: string[];
	/** '' (not said), 'yes' or 'no'. */
	accepting: string;
	/** Indexes ("0", "1", …) of the location slots where it is offered. */
	at: string[];
	slots: SlotValues[];
	/** An OSM opening_hours expression typed directly, for hours the rows cannot say. */
	hours: string;
	phone: string;
	email: string;
}

export interface ApplicationValues {
	organization: { name: string; kind: string; description: string; email: string; website: string; phone: string };
	/** The person the Comune talks to (not published). */
	contact: { name: string; role: string; phone: string };
	locations: LocationValues[];
	services: ServiceValues[];
	commitments: string[];
	free_commitment: string;
	/** New applicants only: the account's email (passwords are never kept in values). */
	account: { email: string };
	declaration: boolean;
}

/* The validated payload, as stored in pact_application.payload. */

/** With each note (LOCATION_NOTES) that was written. */
export interface PayloadLocation extends Partial<Record<LocationNote, string>> {
	name: string;
	address: string;
	postal_code: string | null;
	city: string;
	lon: number;
	lat: number;
	confidential: boolean;
	/** The rione the point lies in when validated (informative; the directory recomputes it). */
	neighbourhood: string | null;
}

export interface PayloadService {
	name: string;
	description: string;
	category: CategoryCode;
	needs: NeedCode[];
	audiences: AudienceCode[];
	accepting_new: boolean | null;
	/** Indexes into `locations`. */
	locations: number[];
	slots: HoursSlot[];
	/** The expression stored in the directory: built from `slots`, or typed; null when unknown. */
	opening_hours: string | null;
	/** Typed directly (not built from slots). */
	hours_typed: boolean;
	phone: string | null;
	email: string | null;
}

export interface ApplicationPayload {
	organization: {
		name: string;
		kind: CategoryCode;
		description: string;
		email: string | null;
		website: string | null;
		phone: string | null;
	};
	contact: { name: string; role: string | null; phone: string | null };
	locations: PayloadLocation[];
	services: PayloadService[];
	commitments: PactCommitmentCode[];
	free_commitment: string | null;
}

export function blankSlot(): SlotValues {
	return { days: '', from: '', to: '' };
}

export function blankService(): ServiceValues {
	return {
		name: '',
		description: '',
		category: '',
		needs: [],
		audiences: [],
		accepting: '',
		at: ['0'],
		slots: Array.from({ length: MAX_SLOTS }, blankSlot),
		hours: '',
		phone: '',
		email: ''
	};
}

export function blankValues(): ApplicationValues {
	return {
		organization: { name: '', kind: '', description: '', email: '', website: '', phone: '' },
		contact: { name: '', role: '', phone: '' },
		locations: [blankLocation()],
		services: [blankService()],
		commitments: [],
		free_commitment: '',
		account: { email: '' },
		declaration: false
	};
}

/** A stored payload back as form values, for the applicant to change it. */
export function valuesFromPayload(payload: ApplicationPayload, accountEmail = ''): ApplicationValues {
	const text = (value: string | null) => value ?? '';
	return {
		organization: {
			name: payload.organization.name,
			kind: payload.organization.kind,
			description: payload.organization.description,
			email: text(payload.organization.email),
			website: text(payload.organization.website),
			phone: text(payload.organization.phone)
		},
		contact: { name: payload.contact.name, role: text(payload.contact.role), phone: text(payload.contact.phone) },
		locations: payload.locations.map((l) => locationValuesOf(l)),
		services: payload.services.map((s) => ({
			name: s.name,
			description: s.description,
			category: s.category,
			needs: [...s.needs],
			audiences: [...s.audiences],
			accepting: s.accepting_new === null ? '' : s.accepting_new ? 'yes' : 'no',
			at: s.locations.map(String),
			slots: Array.from({ length: MAX_SLOTS }, (_, i) => {
				const slot = s.slots[i];
				return slot ? { days: slot.days, from: slot.from, to: slot.to } : blankSlot();
			}),
			hours: s.hours_typed ? text(s.opening_hours) : '',
			phone: text(s.phone),
			email: text(s.email)
		})),
		commitments: [...payload.commitments],
		free_commitment: text(payload.free_commitment),
		account: { email: accountEmail },
		declaration: false
	};
}

/** Changes to the form's slots, asked for by its "add"/"remove" buttons (a form action without JavaScript). */
export type SlotChange = { kind: 'add-location' | 'add-service' } | { kind: 'remove-location' | 'remove-service'; index: number };

export function parseSlotChange(value: string): SlotChange | null {
	if (value === 'add-location' || value === 'add-service') return { kind: value };
	const removal = /^(remove-location|remove-service):(\d)$/.exec(value);
	if (removal) return { kind: removal[1] as 'remove-location' | 'remove-service', index: Number(removal[2]) };
	return null;
}

/**
 * The values with a slot added or removed. Removing a location also removes it from the services
 * offered there and renumbers the others; the last slot of each kind is never removed.
 */
export function changeSlots(values: ApplicationValues, change: SlotChange): ApplicationValues {
	const next = structuredClone(values);
	switch (change.kind) {
		case 'add-location':
			if (next.locations.length < MAX_LOCATIONS) next.locations.push(blankLocation());
			break;
		case 'add-service':
			if (next.services.length < MAX_SERVICES) next.services.push(blankService());
			break;
		case 'remove-location':
			if (next.locations.length > 1 && change.index < next.locations.length) {
				next.locations.splice(change.index, 1);
				for (const service of next.services) {
					service.at = service.at
						.map(Number)
						.filter((i) => i !== change.index)
						.map((i) => String(i > change.index ? i - 1 : i));
				}
			}
			break;
		case 'remove-service':
			if (next.services.length > 1 && change.index < next.services.length) next.services.splice(change.index, 1);
			break;
	}
	return next;
}
