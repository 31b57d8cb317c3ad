// The command-line values of the scripts (benchmarks, backup, restore, the importers), each read
// in one place: a wrong value stops the script at once with a message naming the option and what it
// was given, instead of a NaN or an unknown backend surfacing later as a strange figure or error.
import { parseArgs, type ParseArgsConfig } from 'node:util';

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

/** One option of {@link readOptions}: its type and default for node:util parseArgs, and how its value is read. */
export interface Option<T> {
	type: 'string' | 'boolean';
	default?: string | boolean;
	read: (name: string, value: string | boolean | undefined) => T;
}

/** A whole number of at least `min` ({@link intOption}). */
export const whole = (fallback: number, min = 1): Option<number> => ({ type: 'string', default: String(fallback), read: (name, value) => intOption(name, String(value), min) });
/** Comma-separated whole numbers ({@link intListOption}). */
export const wholes = (fallback: string, min = 1): Option<number[]> => ({ type: 'string', default: fallback, read: (name, value) => intListOption(name, String(value), min) });
/** Backends ({@link parseBackends}). */
export const backendList = (fallback: string): Option<Backend[]> => ({ type: 'string', default: fallback, read: (name, value) => parseBackends(String(value), name) });
/** Text as given (read further by the script), with a default. */
export const text = (fallback: string): Option<string> => ({ type: 'string', default: fallback, read: (_, value) => String(value) });
/** Text as given, or undefined when the option is not given. */
export const optionalText = (): Option<string | undefined> => ({ type: 'string', read: (_, value) => (value === undefined ? undefined : String(value)) });
/** A switch: true when given. */
export const flag = (): Option<boolean> => ({ type: 'boolean', default: false, read: (_, value) => value === true });

/**
 * This process's options (or `args`) as `spec` declares them, each read by its own reader: one line an option
 * (name, default, kind) instead of a parseArgs declaration and a conversion apart. An unknown option
 * stops the script (parseArgs' strict mode), as a wrong value does.
 */
export function readOptions<S extends Record<string, Option<unknown>>>(spec: S, args?: string[]): { [K in keyof S]: S[K] extends Option<infer T> ? T : never } {
	const { values } = parseArgs({ args, options: Object.fromEntries(Object.entries(spec).map(([name, option]) => [name, { type: option.type, default: option.default }])) });
	return Object.fromEntries(Object.entries(spec).map(([name, option]) => [name, option.read(name, values[name] as string | boolean | undefined)])) as never;
}

/**
 * The one FILE of a command such as `npm run backup -- FILE` (`args`: the arguments after the
 * script's name), or null when there is none, more than one, or an option in its place.
 */
export function singleFile(args: readonly string[]): string | null {
	const [file] = args;
	return args.length === 1 && file && !file.startsWith('-') ? file : null;
}

/** Wrong arguments: prints the problem (if any) and `usage`, and exits with code 2. */
export function usageError(usage: string, problem?: string): never {
	console.error(problem ? `${problem}\n\n${usage}` : usage);
	process.exit(2);
}

/** {@link singleFile} of this process's arguments; without one, {@link usageError}. */
export function fileArgument(usage: string): string {
	return singleFile(process.argv.slice(2)) ?? usageError(usage);
}

const HELP = { type: 'boolean', default: false } as const;

/**
 * This process's arguments for a command of one FILE and `options` (node:util parseArgs, plus
 * `--help`): an unknown or malformed option, or not exactly one FILE, is a {@link usageError};
 * `--help` prints `usage` and exits with code 0. The FILE is `positionals[0]`.
 */
export function fileCommand<const O extends NonNullable<ParseArgsConfig['options']>>(usage: string, options: O) {
	const read = () => {
		try {
			return parseArgs({ allowPositionals: true, options: { ...options, help: HELP } });
		} catch (error) {
			return usageError(usage, (error as Error).message);
		}
	};
	const parsed = read();
	if ((parsed.values as { help?: boolean }).help) {
		console.error(usage);
		process.exit(0);
	}
	if (parsed.positionals.length !== 1) usageError(usage);
	return parsed;
}
