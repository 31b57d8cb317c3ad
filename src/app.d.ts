// See https://svelte.dev/docs/kit/types#app.d.ts
import type { User } from '$lib/server/db/accounts';
import type { Session } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			/** Interface language of this request (see $lib/server/locale). */
			locale: string;
			/** The signed-in person, validated from the session cookie by hooks.server.ts. */
			user: User | null;
			session: Session | null;
		}
	}
}

export {};
