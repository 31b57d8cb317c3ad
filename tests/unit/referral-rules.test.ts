import { describe, expect, it } from 'vitest';
import { DECLINE_CODES, declineProblem, isDeclineCode } from '../../src/lib/domain/referral-rules';

describe('declining a referral', () => {
	it('needs a reason in words and a code from the list; a code goes with a decline only', () => {
		expect(DECLINE_CODES).toEqual(['no_capacity', 'not_eligible', 'family_declined', 'other']);
		expect(declineProblem({ status: 'declined', note: 'Al completo', decline_code: 'no_capacity' })).toBeNull();
		expect(declineProblem({ status: 'declined', note: '  ', decline_code: 'no_capacity' })).toBe('note');
		expect(declineProblem({ status: 'declined', note: 'Al completo' })).toBe('decline_code');
		expect(declineProblem({ status: 'declined', note: 'Al completo', decline_code: 'full' })).toBe('decline_code');
		expect(declineProblem({ status: 'accepted' })).toBeNull();
		expect(declineProblem({ status: 'accepted', decline_code: 'no_capacity' })).toBe('decline_code');
		expect(isDeclineCode('other')).toBe(true);
		expect(isDeclineCode('OTHER')).toBe(false);
	});
});
