import { describe, expect, it } from 'vitest';
import { isLocale, negotiate, pageMessages } from '../../src/lib/i18n';
import { translator as format } from '../../src/lib/i18n/translate';

// Names every plain object inherits: looked up with user input, they must find nothing.
const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

describe('lookups by a name from a request find own keys only', () => {
	it.each(INHERITED)('%s is no language and no message', (name) => {
		expect(isLocale(name)).toBe(false);
		expect(negotiate(`${name},en;q=0.5`)).toBe('en');
		expect(pageMessages(name)).toEqual(pageMessages('it'));
		expect(format('it', { a: 'b' }, { c: 'd' })(name)).toBe(name);
	});

	it('still knows the real ones', () => {
		expect(isLocale('it') && isLocale('en')).toBe(true);
	});
});
