/** The household encryption key of the server-backed test databases (throwaway, tests only). */
export const TEST_HOUSEHOLD_KEY = 'test:QVgN+JNU71F5CHUzLCykLNUlV06MRCtDds3tJO+n7TE=';

/** Test accounts (fictional; only ever created in throwaway test databases). */
export const TEST_PASSWORD = 'Quattro gatti sul tetto 2026';

export const TEST_USERS = {
	admin: { email: 'admin@atlante.test', role: 'admin', password: TEST_PASSWORD },
	worker: { email: 'operatrice@atlante.test', role: 'worker', password: TEST_PASSWORD },
	worker2: { email: 'secondo.operatore@atlante.test', role: 'worker', password: TEST_PASSWORD },
	planner: { email: 'pianificatore@atlante.test', role: 'planner', password: TEST_PASSWORD },
	partnerA: { email: 'forno@atlante.test', role: 'partner', password: TEST_PASSWORD, organization: 'Panificio Il Forno del Rione (esempio)' },
	partnerB: { email: 'acquate@atlante.test', role: 'partner', password: TEST_PASSWORD, organization: 'Comunità parrocchiale di Acquate (esempio)' },
	partnerC: { email: 'caffe@atlante.test', role: 'partner', password: TEST_PASSWORD, organization: 'Associazione Un Caffè Insieme (esempio)' }
} as const;

export type TestUser = keyof typeof TEST_USERS;
