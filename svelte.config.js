import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	// No `window.__svelte.v` version marker: a few hundred bytes off every page's scripts (issue 14).
	compilerOptions: { discloseVersion: false },
	kit: {
		adapter: adapter({ out: 'build' }),
		// Content-Security-Policy: scripts only from this origin (SvelteKit adds a nonce or hash to
		// its own inline start-up script). MapLibre runs its worker from this origin too and draws
		// icons and labels into canvases (blob: and data: images). Inline styles stay allowed: Svelte
		// and MapLibre position elements with style attributes. hooks.server.ts widens connect-src and
		// img-src only when an external basemap style is configured.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				'worker-src': ['self', 'blob:'],
				'child-src': ['self', 'blob:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
