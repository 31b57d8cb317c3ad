import { describe, expect, inject, it } from 'vitest';

// A request refused before its body is read (here: sign in first) must still get its answer, and
// must not break the connection for the next request: Node resets a connection whose request body
// was left unread, and a client reusing it (a browser, a test, an importer script) then failed its
// next request with ECONNRESET (seen in CI after a refused import of 50 rows).
const base = inject('baseUrl');
const origin = new URL(base).origin;

describe('a refusal before the body is read', () => {
	it('answers, and the same connection serves the next requests', async () => {
		const body = new FormData();
		body.set('rows', 'x'.repeat(300_000));
		for (let i = 0; i < 4; i++) {
			const refused = await fetch(`${base}/admin/import?/commit`, { method: 'POST', redirect: 'manual', body, headers: { origin, accept: 'application/json' } });
			expect(refused.status).toBe(401);
			await refused.arrayBuffer();
			const next = await fetch(`${base}/api/needs`);
			expect(next.status).toBe(200);
			await next.arrayBuffer();
		}
	});
});
