import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** The accounts page moved to /admin/utenti (issue 13); old bookmarks follow. */
export const GET: RequestHandler = () => redirect(308, '/admin/utenti');
