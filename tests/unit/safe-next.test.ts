import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/lib/server/auth/origin';

const origin = 'https://atlante.example';

describe('safeNext: where to go after signing in', () => {
	it('keeps a path on this site, with its query and fragment', () => {
		expect(safeNext('/admin/domande', origin)).toBe('/admin/domande');
		expect(safeNext('/admin/modifiche?org=1&x=%2F#top', origin)).toBe('/admin/modifiche?org=1&x=%2F#top');
		expect(safeNext('/a/../partner', origin)).toBe('/partner');
	});

	it('refuses other sites, however the address is disguised', () => {
		for (const next of [
			'//evil.example',
			'/\t/evil.example',
			'/\n/evil.example',
			'/\r\n/evil.example',
			'/\\evil.example',
			'/\\/evil.example',
			'https://evil.example/',
			'http://atlante.example/',
			'javascript:alert(1)',
			' //evil.example',
			'/..//evil.example',
			'/.//evil.example',
			'\u0000/evil',
			'/ok\u007f',
			'/ok\u0085',
			'',
			null,
			undefined
		]) {
			expect(safeNext(next, origin, '/account'), JSON.stringify(next)).toBe('/account');
		}
	});

	it('whatever it is given, answers a path that a browser resolves on this site, with no control character', () => {
		const nasty = fc.constantFrom('/', '\\', '\t', '\n', '\r', '\u0000', '\u007f', ':', '@', '.', '%', '?', '#', 'evil.example', 'https:', ' ');
		const input = fc.oneof(fc.string(), fc.array(nasty, { maxLength: 12 }).map((parts) => parts.join('')), fc.webUrl(), fc.webPath());
		fc.assert(
			fc.property(input, (next) => {
				const target = safeNext(next, origin, '/fallback');
				expect(target.startsWith('/')).toBe(true);
				// eslint-disable-next-line no-control-regex -- matching control characters is the point
				expect(/[\u0000-\u001f\u007f-\u009f]/.test(target)).toBe(false);
				// As a browser reads a Location header: stripped of tabs and newlines, then resolved.
				expect(new URL(target.replace(/[\t\n\r]/g, ''), origin).origin).toBe(origin);
			}),
			{ numRuns: 2000 }
		);
	});
});
