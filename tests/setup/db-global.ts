import type { TestProject } from 'vitest/node';
import { createScratchDatabase } from '../../scripts/lib/scratch-database';

declare module 'vitest' {
	export interface ProvidedContext {
		databaseUrl: string | null;
		baseUrl: string;
		/** api-embedded: the data directory the running app holds open. */
		dataDir: string | null;
		/** api-*: the file collecting everything the running app printed. */
		appLog: string;
		/** e2e: the directory where the SMTP server the app sends to keeps each message (tests/setup/smtp.ts); null elsewhere. */
		mailbox: string | null;
	}
}

/** db-server: a fresh database for this run, dropped afterwards. db-embedded: nothing to prepare. */
export default async function setup(project: TestProject) {
	if (!project.name.endsWith('-server')) {
		project.provide('databaseUrl', null);
		return;
	}
	const scratch = await createScratchDatabase('db');
	project.provide('databaseUrl', scratch.url);
	return () => scratch.drop();
}
