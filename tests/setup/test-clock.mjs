/**
 * A clock the test run sets. With TEST_CLOCK_OFFSET_MS (computed once from TEST_CLOCK by
 * vitest.config.ts and handed to every process of the run), `Date` in this process reads the real
 * time shifted by that offset: time still flows, but the run behaves as if it started at the
 * instant TEST_CLOCK names. Installed in the test workers (a setup file) and in the app under test
 * (`node --import`), so both sides agree on "now"; the embedded PostgreSQL (PGlite) runs inside the
 * process and reads the same clock. A PostgreSQL server keeps its own clock: tests comparing the
 * app's "now" with the server's `now()` must allow for the offset (the run stays within a day).
 *
 * Plain JavaScript so that `node --import` can load it without a TypeScript loader.
 */
const offset = Number(process.env.TEST_CLOCK_OFFSET_MS ?? '0');

if (Number.isFinite(offset) && offset !== 0 && !globalThis.__testClockInstalled) {
	const RealDate = globalThis.Date;
	const shiftedNow = () => RealDate.now() + offset;
	globalThis.Date = new Proxy(RealDate, {
		// `new Date()` is the shifted now; any other form (a given instant) is left alone.
		construct(target, args, newTarget) {
			return Reflect.construct(target, args.length === 0 ? [shiftedNow()] : args, newTarget);
		},
		// `Date()` called as a function gives the current time as a string.
		apply() {
			return new RealDate(shiftedNow()).toString();
		},
		get(target, property, receiver) {
			if (property === 'now') return shiftedNow;
			return Reflect.get(target, property, receiver);
		}
	});
	globalThis.__testClockInstalled = true;
}
