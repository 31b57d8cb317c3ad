import { describe, expect, it } from 'vitest';
import { straightLineWithin, walkMinutes, WALKING_MODEL } from '../../src/lib/domain/walking';

describe('walking estimate', () => {
	it('stretches the straight line by the detour factor and walks it at 75 m a minute, rounding up', () => {
		expect(WALKING_MODEL).toEqual({ detourFactor: 1.3, metresPerMinute: 75 });
		// 1 km straight = 1.3 km walked = 17.3 minutes → about 18.
		expect(walkMinutes(1000)).toBe(18);
		expect(walkMinutes(0)).toBe(1);
		expect(walkMinutes(10)).toBe(1);
	});

	it('inverts: a place at the reach of N minutes takes N minutes, not N + 1', () => {
		for (const minutes of [1, 5, 15, 30, 60, 180]) {
			expect(walkMinutes(straightLineWithin(minutes))).toBe(minutes);
			expect(walkMinutes(straightLineWithin(minutes) + 1)).toBe(minutes + 1);
		}
	});
});
