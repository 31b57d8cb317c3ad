import { describe, expect, it } from 'vitest';
import { backendList, flag, intListOption, intOption, optionalText, parseBackends, readOptions, singleFile, text, whole, wholes } from '../../scripts/lib/args';

// The one reader of the scripts' command-line values (scripts/lib/args.ts): the benchmarks,
// `npm run backup` and `npm run restore`.
describe('script arguments', () => {
	it('reads whole numbers from the smallest allowed, and names the option and the value it refuses', () => {
		expect(intOption('count', '200000')).toBe(200000);
		expect(intOption('warmup', '0', 0)).toBe(0);
		expect(() => intOption('warmup', '-1', 0)).toThrow('--warmup: a whole number from 0, not "-1"');
		for (const bad of ['0', '', ' ', '1.5', '12abc', 'abc', 'Infinity']) {
			expect(() => intOption('count', bad)).toThrow(`--count: a whole number greater than 0, not "${bad}"`);
		}
	});

	it('reads a list of whole numbers in ascending order, refusing any bad one', () => {
		expect(intListOption('counts', '20000, 2000,200000')).toEqual([2000, 20000, 200000]);
		expect(() => intListOption('counts', '2000,,20000')).toThrow('--counts: whole numbers greater than 0');
		expect(() => intListOption('counts', '2000,x')).toThrow('not "2000,x"');
	});

	it('reads backends in the order given, refusing an unknown one by its option', () => {
		expect(parseBackends('server, embedded')).toEqual(['server', 'embedded']);
		expect(() => parseBackends('embedded,sqlite')).toThrow('--backends: unknown backend "sqlite" (use embedded, server');
		expect(() => parseBackends('', 'region')).toThrow('--region: unknown backend ""');
	});

	it('reads a benchmark\'s options by their declared kinds, with their defaults', () => {
		const spec = { count: whole(200000), warmup: whole(30, 0), counts: wholes('2000,20000'), backends: backendList('server'), region: text('none'), only: optionalText(), 'no-browser': flag() };
		expect(readOptions(spec, [])).toEqual({ count: 200000, warmup: 30, counts: [2000, 20000], backends: ['server'], region: 'none', only: undefined, 'no-browser': false });
		expect(readOptions(spec, ['--count', '50', '--warmup', '0', '--backends', 'embedded,server', '--only', 'tiles', '--no-browser'])).toMatchObject({
			count: 50,
			warmup: 0,
			backends: ['embedded', 'server'],
			only: 'tiles',
			'no-browser': true
		});
		expect(() => readOptions(spec, ['--count', 'many'])).toThrow('--count: a whole number greater than 0, not "many"');
		expect(() => readOptions(spec, ['--backends', 'sqlite'])).toThrow('--backends: unknown backend "sqlite"');
		expect(() => readOptions(spec, ['--cuont', '5'])).toThrow(/--cuont/);
	});

	it('takes exactly one file, not an option in its place', () => {
		expect(singleFile(['backup.dump'])).toBe('backup.dump');
		expect(singleFile([])).toBeNull();
		expect(singleFile(['a.dump', 'b.dump'])).toBeNull();
		expect(singleFile(['--help'])).toBeNull();
	});
});
