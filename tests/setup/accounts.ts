import { TEST_PASSWORD, TEST_USERS } from './test-users-list';

/** The test accounts under the names the partner tests use (all created by tests/setup/test-users.ts). */
export const TEST_ACCOUNTS = {
	password: TEST_PASSWORD,
	admin: TEST_USERS.admin.email,
	/** Editor of the demo bakery. */
	partner: TEST_USERS.partnerA.email,
	partnerOrganization: TEST_USERS.partnerA.organization,
	/** Editor of another demo organisation. */
	otherPartner: TEST_USERS.partnerC.email,
	otherOrganization: TEST_USERS.partnerC.organization
};
