import { z } from 'zod';

/**
 * Staff accounts as administrators manage them (the /admin/utenti page and /api/admin/users):
 * one schema set, shared by the page's form and the JSON API.
 */
export const ROLES = ['admin', 'worker', 'planner', 'partner'] as const;
export type Role = (typeof ROLES)[number];
export const ORGANIZATION_ROLES = ['editor', 'viewer'] as const;
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];
export const ACCOUNT_LOCALES = ['it', 'en'] as const;

/** Where each role lands after signing in: its own work, not a blank account page. */
export function homeOf(role: Role): string {
	return { admin: '/admin', worker: '/piani', partner: '/segnalazioni', planner: '/pianificazione' }[role];
}

/** A single-use link (invitation, administrator's reset) stays valid this long. */
export const LINK_VALID_MS = 7 * 24 * 3_600_000;
/** A reset a person asked for by email stays valid this long. */
export const SELF_RESET_VALID_MS = 3_600_000;

/** A staff account's display name (shown to other staff instead of the email). */
export const displayName = z
	.string()
	.trim()
	.min(1)
	.max(120)
	// eslint-disable-next-line no-control-regex -- matching control characters is the point
	.refine((text) => !/[\u0000-\u001f\u007f<>]/.test(text), 'no control characters or angle brackets');

const memberships = z
	.array(z.object({ id: z.uuid(), role: z.enum(ORGANIZATION_ROLES).default('editor') }))
	.max(50)
	.refine((list) => new Set(list.map((m) => m.id)).size === list.length, 'each organisation once');

export const inviteSchema = z
	.object({
		email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
		name: displayName,
		role: z.enum(ROLES),
		locale: z.enum(ACCOUNT_LOCALES).default('it'),
		organizations: memberships.default([])
	})
	.refine((input) => input.role !== 'partner' || input.organizations.length > 0, {
		message: 'a partner account needs at least one organisation',
		path: ['organizations']
	})
	.refine((input) => input.role === 'partner' || input.organizations.length === 0, {
		message: 'only partner accounts belong to organisations',
		path: ['organizations']
	});
export type Invitation = z.infer<typeof inviteSchema>;

export const userPatchSchema = z
	.object({
		name: displayName.optional(),
		role: z.enum(ROLES).optional(),
		disabled: z.boolean().optional(),
		locale: z.enum(ACCOUNT_LOCALES).optional(),
		organizations: memberships.optional()
	})
	.strict()
	.refine((patch) => Object.keys(patch).length > 0, 'nothing to change');
export type UserPatch = z.infer<typeof userPatchSchema>;
