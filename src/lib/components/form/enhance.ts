import type { SubmitFunction } from '@sveltejs/kit';

/**
 * For forms the server answers with the values to show again (a refusal, a preview, a located
 * address): the fields are redrawn from that answer, not emptied by the browser.
 */
export const keepTyped: SubmitFunction = () => async ({ update }) => update({ reset: false });
