import fs from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { HELP_LINES } from '../../src/lib/domain/help-lines';
import { PROBLEM_CODES } from '../../src/lib/domain/problems';
import { AUDIENCE_CODES, CATEGORY_CODES, NEED_CODES, PACT_COMMITMENT_CODES } from '../../src/lib/domain/taxonomy';
import { compileMessages } from '../../src/lib/i18n/compile';
import { translator } from '../../src/lib/i18n/translate';

// The i18n module uses Vite's import.meta.glob; these tests read the same files directly.
const root = 'src/lib/i18n/messages';
const locales = fs.readdirSync(root).filter((name) => fs.statSync(path.join(root, name)).isDirectory());

function messages(locale: string): Record<string, string> {
	const folder = path.join(root, locale);
	return Object.assign({}, ...fs.readdirSync(folder).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(folder, f), 'utf8'))));
}

describe('interface languages', () => {
	it('include Italian and English', () => {
		expect(locales).toEqual(expect.arrayContaining(['it', 'en']));
	});

	it.each(locales)('%s has every key Italian has, and no other', (locale) => {
		expect(Object.keys(messages(locale)).sort()).toEqual(Object.keys(messages('it')).sort());
	});

	it.each(locales)('%s names every help line (its label is a message, not code)', (locale) => {
		for (const line of HELP_LINES) expect(messages(locale)[`helpLines.line.${line.number}`], line.number).toMatch(/\p{L}{3}/u);
	});

	it.each(locales)('%s messages are valid ICU MessageFormat', (locale) => {
		for (const [key, text] of Object.entries(messages(locale))) {
			expect(() => new IntlMessageFormat(text, locale), key).not.toThrow();
		}
	});

	it('planning words the walking basis as matching does: "a piedi" on a route, "circa" on the estimate', () => {
		const say = (locale: string, key: string, basis: string) =>
			String(new IntlMessageFormat(messages(locale)[key]!, locale).format({ basis, minutes: 15, within: 1, residents: 2, share: '50 %', need: 'x', column: 'c', dir: 'd', when: 'w', audience: 'a', accepting: 'y' }));
		for (const key of ['planning.city', 'planning.table.caption', 'planning.print.view']) {
			expect(say('it', key, 'route'), key).toContain('15 minuti a piedi');
			expect(say('it', key, 'route'), key).not.toContain('circa');
			expect(say('it', key, 'estimate'), key).toContain('circa 15 minuti a piedi');
			expect(say('en', key, 'route'), key).toContain("15 minutes' walk");
			expect(say('en', key, 'route'), key).not.toContain('about');
			expect(say('en', key, 'estimate'), key).toContain("about 15 minutes' walk");
		}
		expect(say('it', 'planning.method.text', 'route')).toContain('lungo la rete pedonale');
		expect(say('it', 'planning.method.text', 'estimate')).not.toContain('rete pedonale');
		expect(say('en', 'planning.method.text', 'route')).toContain('along the network of streets and paths');
		expect(say('it', 'planning.map.cells', 'estimate')).toContain('circa');
		expect(say('it', 'planning.map.cells', 'route')).not.toContain('circa');
	});

	it('the grid classes, the "what if" line and the plans\' suggestions are worded by the basis too', () => {
		const say = (locale: string, key: string, basis: string) =>
			String(new IntlMessageFormat(messages(locale)[key]!, locale).format({ basis, minutes: 15, before: 10, after: 20, change: '+10' }));
		const cases: [string, { it: [string, string]; en: [string, string] }][] = [
			['planning.cells.le', { it: ['fino a 15 min a piedi', 'fino a circa 15 min a piedi'], en: ['up to 15 min walk', 'up to about 15 min walk'] }],
			['planning.scenario.resultCity', { it: ['entro 15 minuti a piedi', 'entro circa 15 minuti a piedi'], en: ["within 15 minutes' walk", "within about 15 minutes' walk"] }],
			['plans.suggest.walk', { it: ['15 min a piedi', 'circa 15 min a piedi'], en: ['15 min walk', 'about 15 min walk'] }]
		];
		for (const [key, words] of cases) {
			expect(say('it', key, 'route'), key).toContain(words.it[0]);
			expect(say('it', key, 'route'), key).not.toContain('circa');
			expect(say('it', key, 'estimate'), key).toContain(words.it[1]);
			expect(say('en', key, 'route'), key).toContain(words.en[0]);
			expect(say('en', key, 'route'), key).not.toContain('about');
			expect(say('en', key, 'estimate'), key).toContain(words.en[1]);
		}
	});

	it.each(locales)('%s labels every category, need and audience', (locale) => {
		const all = messages(locale);
		for (const code of CATEGORY_CODES) expect(all[`category.${code}`]).toBeTruthy();
		for (const code of NEED_CODES) expect(all[`need.${code}`]).toBeTruthy();
		for (const code of AUDIENCE_CODES) expect(all[`audience.${code}`]).toBeTruthy();
		for (const code of PACT_COMMITMENT_CODES) expect(all[`commitment.${code}`]).toBeTruthy();
	});

	it.each(locales)('%s explains every problem code the forms, imports and seed files report, once', (locale) => {
		const all = messages(locale);
		for (const code of PROBLEM_CODES) {
			expect(all[`problem.${code}`], code).toBeTruthy();
			// Said with or without the field's limit (FieldProblem passes `max`, or 'none').
			for (const max of [300, 'none']) expect(() => new IntlMessageFormat(all[`problem.${code}`]!, locale).format({ max }), code).not.toThrow();
		}
		// One message per code: no form keeps its own copy of the problems' words.
		expect(Object.keys(all).filter((key) => /^(pact|partner)\.error\.(?!summary$)/.test(key))).toEqual([]);
		expect(Object.keys(all).filter((key) => key.startsWith('problem.')).sort()).toEqual(PROBLEM_CODES.map((code) => `problem.${code}`).sort());
	});

	it('says a field\'s limit when it has one', () => {
		const it_ = new IntlMessageFormat(messages('it')['problem.too_long']!, 'it');
		expect(it_.format({ max: 300 })).toBe('Il testo è troppo lungo: al massimo 300 caratteri.');
		expect(it_.format({ max: 'none' })).toBe('Il testo è troppo lungo.');
	});

	it('formats plurals in both languages', () => {
		const it_ = new IntlMessageFormat(messages('it')['home.list.count']!, 'it');
		const en = new IntlMessageFormat(messages('en')['home.list.count']!, 'en');
		expect(it_.format({ count: 1, inView: 'no' })).toBe('1 risorsa');
		expect(it_.format({ count: 3, inView: 'yes' })).toBe('3 risorse nella zona della mappa');
		expect(en.format({ count: 0, inView: 'no' })).toBe('No resources');
	});
});

describe('what the browser gets', () => {
	// The page data carries messages parsed on the server (compile.ts): the browser's build has no
	// ICU parser (vite.config.ts), so it must format what arrives, as it arrives, with no string to parse.
	it.each(locales)('%s: parsed messages, sent as page data, say what their source says', (locale) => {
		const source = messages(locale);
		const sent = JSON.parse(JSON.stringify(compileMessages(locale, source))) as ReturnType<typeof compileMessages>;
		const t = translator(locale, sent);
		const say = (key: string, values?: Record<string, string | number>) => String(new IntlMessageFormat(source[key]!, locale).format(values));
		const cases: [string, Record<string, string | number>?][] = [
			['home.list.count', { count: 0, inView: 'no' }],
			['home.list.count', { count: 1, inView: 'yes' }],
			['home.list.count', { count: 1234, inView: 'yes' }],
			['problem.too_long', { max: 300 }],
			['problem.too_long', { max: 'none' }],
			['distance.km', { distance: 1.25 }]
		];
		for (const [key, values] of cases) expect(t(key, values), key).toBe(say(key, values));
		// Every message without placeholders travels as its final text (ICU quoting already resolved).
		for (const [key, text] of Object.entries(source)) {
			if (typeof sent[key] === 'string') expect(t(key), key).toBe(say(key));
			else expect(text, key).toMatch(/[{<]/);
		}
		expect(t('home.list.count', { count: 2, inView: 'no' })).toMatch(/^2 /);
	});

	it('a message the parser rejects is named at start-up', () => {
		expect(() => compileMessages('it', { 'broken.key': 'Ciao {nome' })).toThrow(/broken\.key/);
	});

	it('no component or page imports $lib/i18n, which holds every language: they use $lib/i18n/translate', () => {
		const svelteFiles = (dir: string): string[] =>
			fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
				const full = path.join(dir, e.name);
				return e.isDirectory() ? svelteFiles(full) : /\.svelte(\.ts)?$/.test(e.name) ? [full] : [];
			});
		const offenders = svelteFiles('src').filter((file) => /from '\$lib\/i18n'/.test(fs.readFileSync(file, 'utf8')));
		expect(offenders).toEqual([]);
	});
});
