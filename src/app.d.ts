// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			/** Interface language of this request (see $lib/server/locale). */
			locale: string;
		}
	}
}

export {};
