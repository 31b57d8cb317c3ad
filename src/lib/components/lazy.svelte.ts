import type { Component } from 'svelte';

/**
 * A component its parent needs only after an interaction (a map's popup, the marker of a chosen
 * place) or only in some set-ups (the tiled map layers): imported on first need instead of with the
 * parent's chunk, so a page does not download it up front (issue 14: the home page's JavaScript).
 * `get()` starts the import once and is null until the component has arrived; read in markup, it
 * re-renders then. The service worker keeps every chunk of the build, so this works offline too.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Svelte's own constraint on props (Component<Props>)
export class LazyComponent<Props extends Record<string, any>> {
	#component = $state.raw<Component<Props> | null>(null);
	#started = false;
	readonly #load: () => Promise<{ default: Component<Props> }>;

	constructor(load: () => Promise<{ default: Component<Props> }>) {
		this.#load = load;
	}

	/** The component, or null while it is being imported (the import starts at the first call). */
	get(): Component<Props> | null {
		if (!this.#started) {
			this.#started = true;
			this.#load().then(
				(module) => (this.#component = module.default),
				// A failed import (a new build replaced the chunk) may be retried at the next need.
				() => (this.#started = false)
			);
		}
		return this.#component;
	}
}
