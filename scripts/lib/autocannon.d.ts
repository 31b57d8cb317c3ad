// autocannon ships no types: only the call scripts/lib/load.ts makes (its result is read through
// a narrower interface there).
declare module 'autocannon' {
	interface Options {
		url: string;
		connections?: number;
		duration?: number;
		timeout?: number;
		headers?: Record<string, string>;
	}
	interface Tracker {
		on(event: 'reqError', listener: (error: Error & { code?: string }) => void): Tracker;
	}
	export default function autocannon(options: Options, done: (error: Error | null, result: unknown) => void): Tracker;
}
