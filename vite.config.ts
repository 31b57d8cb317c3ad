import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
	plugins: [sveltekit()],
	ssr: {
		// PGlite and its extensions load WebAssembly and data files next to their own modules:
		// leave them in node_modules instead of bundling them.
		external: ['@electric-sql/pglite', '@electric-sql/pglite-postgis', '@electric-sql/pglite-socket']
	}
});
