import { z } from 'zod';
import { AUDIENCE_CODES, CATEGORY_CODES, NEED_CODES } from '../../domain/taxonomy';

/**
 * A directory bundle: the file format of `db/seed/**\/*.directory.json`. One bundle holds the
 * records of one source (a real data set, or the fictional demo set) in HSDS shape:
 * organisations with their locations and the services offered at them.
 * `ref`s are stable identifiers within the source, so loading again updates instead of duplicating.
 */
const text = (max: number) => z.string().trim().min(1).max(max);

export const bundleLocation = z.object({
	ref: text(100),
	name: text(300),
	lon: z.number().min(-180).max(180),
	lat: z.number().min(-90).max(90),
	address: text(300).optional(),
	postal_code: z.string().regex(/^[0-9]{5}$/).optional(),
	city: text(100).optional(),
	confidential: z.boolean().default(false)
});

export const bundlePhone = z.object({
	number: z.string().regex(/^\+?[0-9][0-9 ./-]{4,19}$/),
	description: text(200).optional()
});

export const bundleService = z.object({
	ref: text(100),
	name: text(300),
	description: z.string().max(5000).default(''),
	category: z.enum(CATEGORY_CODES),
	needs: z.array(z.enum(NEED_CODES)).default([]),
	audiences: z.array(z.enum(AUDIENCE_CODES)).default([]),
	accepting_new: z.boolean().nullable().default(null),
	email: z.email().optional(),
	url: z.url({ protocol: /^https?$/ }).optional(),
	phones: z.array(bundlePhone).default([]),
	/** Where it is offered, each with its OSM opening_hours (null or absent when unknown). */
	at: z
		.array(z.object({ location: text(100), opening_hours: text(1000).nullable().optional() }))
		.min(1)
});

export const bundleOrganization = z.object({
	ref: text(100),
	name: text(300),
	kind: z.enum(CATEGORY_CODES),
	description: z.string().max(5000).default(''),
	email: z.email().optional(),
	website: z.url({ protocol: /^https?$/ }).optional(),
	phones: z.array(bundlePhone).default([]),
	locations: z.array(bundleLocation).min(1),
	services: z.array(bundleService).min(1)
});

export const directoryBundle = z.object({
	source: z.object({
		id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,60}$/),
		name: text(300),
		licence: text(200),
		url: z.url().nullable().default(null),
		attribution: text(500)
	}),
	/** When the source was last checked: becomes each record's verification date. */
	verified_at: z.iso.date(),
	/** True for fictional sample records (shown as examples, removable with ATLANTE_DEMO=0). */
	demo: z.boolean(),
	organizations: z.array(bundleOrganization)
});

export type DirectoryBundle = z.infer<typeof directoryBundle>;
export type BundleOrganization = z.infer<typeof bundleOrganization>;
