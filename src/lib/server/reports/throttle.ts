/**
 * How many error reports one client address may send: a sliding hour, counted in this process's
 * memory. Unlike sign-in throttling (login_attempt, shared by every instance), nothing about the
 * address is stored: a citizen's report must not leave their address in our database. With several
 * app instances each counts on its own, so the bound is per instance — enough against a script
 * hammering one form, which is all it is for.
 */
const WINDOW_MS = 60 * 60 * 1000;
/** Addresses remembered at most; beyond it the oldest are forgotten (a flood of addresses cannot fill memory). */
const MAX_ADDRESSES = 10_000;

const sent = new Map<string, number[]>();

function recent(address: string, now: number): number[] {
	const times = (sent.get(address) ?? []).filter((at) => at > now - WINDOW_MS);
	if (times.length === 0) sent.delete(address);
	else sent.set(address, times);
	return times;
}

/** Seconds to wait before `address` may send another report (0: it may now). */
export function waitSeconds(address: string, perHour: number, now = Date.now()): number {
	const times = recent(address, now);
	if (times.length < perHour) return 0;
	return Math.max(1, Math.ceil((times[times.length - perHour]! + WINDOW_MS - now) / 1000));
}

/** Counts one report from `address`. */
export function count(address: string, now = Date.now()): void {
	const times = recent(address, now);
	sent.delete(address);
	sent.set(address, [...times, now]);
	// Maps keep insertion order: the first key is the address heard from longest ago.
	while (sent.size > MAX_ADDRESSES) sent.delete(sent.keys().next().value!);
}
