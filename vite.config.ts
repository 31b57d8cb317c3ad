import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';

/**
 * The browser formats messages the server has already parsed (src/lib/i18n/compile.ts), so its
 * build takes intl-messageformat without the ICU parser: formatjs's documented "no-parser" variant
 * of @formatjs/icu-messageformat-parser (type guards only; parsing a string there throws). The
 * server keeps the parser. About 7 KB gzip off every page's JavaScript.
 */
function browserWithoutMessageParser(): Plugin {
	const parser = '@formatjs/icu-messageformat-parser';
	return {
		name: 'atlante:browser-without-message-parser',
		enforce: 'pre',
		applyToEnvironment: (environment) => environment.config.consumer === 'client',
		resolveId(source, importer, options) {
			if (source !== parser) return null;
			return this.resolve(`${parser}/no-parser.js`, importer, { ...options, skipSelf: true });
		}
	};
}

export default defineConfig({
	plugins: [browserWithoutMessageParser(), sveltekit()],
	ssr: {
		// PGlite and its extensions load WebAssembly and data files next to their own modules:
		// leave them in node_modules instead of bundling them.
		external: ['@electric-sql/pglite', '@electric-sql/pglite-postgis', '@electric-sql/pglite-socket']
	}
});
