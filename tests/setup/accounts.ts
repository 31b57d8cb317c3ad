/** The staff accounts the api and e2e tests sign in with, created by api-global.ts before the app starts. */
export const TEST_ACCOUNTS = {
	password: 'prova-di-accesso-per-i-test',
	admin: 'admin@test.example.org',
	/** Editor of the demo bakery. */
	partner: 'forno@test.example.org',
	partnerOrganization: 'Panificio Il Forno del Rione (esempio)',
	/** Editor of another demo organisation. */
	otherPartner: 'caffe@test.example.org',
	otherOrganization: 'Associazione Un Caffè Insieme (esempio)'
};
