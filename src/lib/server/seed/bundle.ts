import { z } from 'zod';
import { organizationRecord, phoneRecord, requiredText } from '../../domain/records';

/**
 * A directory bundle: the file format of `db/seed/**\/*.directory.json`. One bundle holds the
 * records of one source (a real data set, or the fictional demo set) in HSDS shape:
 * organisations with their locations and the services offered at them, checked by the same field
 * rules as every form (domain/records.ts): a problem in a file is reported with the field's path
 * and its problem code, e.g. `organizations.3.website: url`.
 * `ref`s are stable identifiers within the source, so loading again updates instead of duplicating.
 */
export const bundleOrganization = organizationRecord;
export const bundlePhone = phoneRecord;

export const directoryBundle = z.object({
	source: z.object({
		id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,60}$/),
		name: requiredText(300),
		licence: requiredText(200),
		url: z.url().nullable().default(null),
		attribution: requiredText(500)
	}),
	/** When the source was last checked: becomes each record's verification date. */
	verified_at: z.iso.date(),
	/** True for fictional sample records (shown as examples, removable with ATLANTE_DEMO=0). */
	demo: z.boolean(),
	organizations: z.array(bundleOrganization)
});

export type DirectoryBundle = z.infer<typeof directoryBundle>;
export type BundleOrganization = z.infer<typeof bundleOrganization>;
