import { describe, expect, it } from 'vitest';
import { intListOption, intOption, parseBackends, singleFile } from '../../scripts/lib/args';

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

	it('takes exactly one file, not an option in its place', () => {
		expect(singleFile(['backup.dump'])).toBe('backup.dump');
		expect(singleFile([])).toBeNull();
		expect(singleFile(['a.dump', 'b.dump'])).toBeNull();
		expect(singleFile(['--help'])).toBeNull();
	});
});
