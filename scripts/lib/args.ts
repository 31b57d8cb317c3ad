// The command-line values of the scripts (benchmarks, backup, restore), each read in one place:
// a wrong value stops the script at once with a message naming the option and what it was given,
// instead of a NaN or an unknown backend surfacing later as a strange figure or error.

/** The two database backends a benchmark can run on. */
export type Backend = 'embedded' | 'server';
const BACKENDS: readonly Backend[] = ['embedded', 'server'];

/** `--name`'s value as a whole number of at least `min` (1 by default; 0 for e.g. `--warmup`). */
export function intOption(name: string, text: string, min = 1): number {
	const value = Number(text);
	if (text.trim() === '' || !Number.isInteger(value) || value < min) {
		throw new Error(`--${name}: a whole number${min === 1 ? ' greater than 0' : ` from ${min}`}, not "${text}"`);
	}
	return value;
}

/** `--name`'s comma-separated whole numbers (e.g. `--counts 2000,20000`), each at least `min`, in ascending order. */
export function intListOption(name: string, text: string, min = 1): number[] {
	const list = text.split(',').map((part) => part.trim());
	for (const part of list) {
		const value = Number(part);
		if (part === '' || !Number.isInteger(value) || value < min) {
			throw new Error(`--${name}: whole numbers${min === 1 ? ' greater than 0' : ` from ${min}`} separated by commas (e.g. 2000,20000), not "${text}"`);
		}
	}
	return list.map(Number).sort((a, b) => a - b);
}

/** `--name`'s backends (`--backends embedded,server`), in the order given. */
export function parseBackends(text: string, name = 'backends'): Backend[] {
	const list = text.split(',').map((part) => part.trim());
	for (const part of list) {
		if (!BACKENDS.includes(part as Backend)) throw new Error(`--${name}: unknown backend "${part}" (use ${BACKENDS.join(', ')}, separated by commas)`);
	}
	return list as Backend[];
}

/**
 * The one FILE of a command such as `npm run backup -- FILE` (`args`: the arguments after the
 * script's name), or null when there is none, more than one, or an option in its place.
 */
export function singleFile(args: readonly string[]): string | null {
	const [file] = args;
	return args.length === 1 && file && !file.startsWith('-') ? file : null;
}

/** {@link singleFile} of this process's arguments; without one, prints `usage` and exits with code 2. */
export function fileArgument(usage: string): string {
	const file = singleFile(process.argv.slice(2));
	if (file === null) {
		console.error(usage);
		process.exit(2);
	}
	return file;
}
