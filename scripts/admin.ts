// `npm run admin -- create-user --email EMAIL --role ROLE [--name "DISPLAY NAME"] [--org ID_OR_EXACT_NAME] [--org-role editor|viewer] [--password-stdin]`
// `npm run admin -- rotate-household-key`   re-encrypts every household with ATLANTE_HOUSEHOLD_KEY
// `npm run admin -- apply-retention`        erases households whose plans closed over ATLANTE_PLAN_RETENTION_MONTHS ago
//
// Creates a staff account on the database the environment names (DATABASE_URL, or the embedded
// store in ATLANTE_DATA_DIR — stop the app first: the embedded store has one writer). Roles: admin,
// worker, planner, partner (a partner needs --org). The password is read from standard input with
// --password-stdin (e.g. from a password manager), otherwise asked for twice at a prompt that does
// not echo it. It is never printed or logged.
//
// Every command here opens and migrates the database but never loads seed files nor adds or removes
// directory records, whatever ATLANTE_DEMO says in this shell: only the app's start and
// `npm run seed` change directory content.
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { AccountError, createUser } from '../src/lib/server/auth/users';
import { readConfig } from '../src/lib/server/config';
import { applyRetention, rotateHouseholdKey } from '../src/lib/server/plans/maintenance';
import { start, stop } from '../src/lib/server/startup';

const usage = [
	'Usage: npm run admin -- create-user --email EMAIL --role admin|worker|planner|partner [--name "DISPLAY NAME"] [--org ID_OR_EXACT_NAME] [--org-role editor|viewer] [--password-stdin]',
	'       npm run admin -- rotate-household-key',
	'       npm run admin -- apply-retention'
].join('\n');

async function readStdin(): Promise<string> {
	let text = '';
	for await (const chunk of process.stdin) text += chunk;
	return text.replace(/\r?\n$/, '');
}

async function prompt(question: string): Promise<string> {
	if (!process.stdin.isTTY) throw new Error('No terminal to ask for the password: use --password-stdin.');
	const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
	// Echo nothing while the password is typed.
	(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
		if (s.startsWith(question)) process.stdout.write(question);
	};
	const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
	rl.close();
	process.stdout.write('\n');
	return answer;
}

const { positionals, values } = parseArgs({
	allowPositionals: true,
	options: {
		email: { type: 'string' },
		role: { type: 'string' },
		name: { type: 'string' },
		org: { type: 'string' },
		'org-role': { type: 'string' },
		'password-stdin': { type: 'boolean', default: false }
	}
});

try {
	if (positionals[0] === 'rotate-household-key') {
		await start(process.env);
		console.info(`Re-encrypted ${await rotateHouseholdKey()} households with the current key; old keys may now be removed.`);
	} else if (positionals[0] === 'apply-retention') {
		await start(process.env);
		const months = readConfig(process.env).planRetentionMonths;
		console.info(`Erased the identifiers of ${await applyRetention(months)} households whose plans closed over ${months} months ago.`);
	} else {
		await createUserCommand();
	}
} catch (error) {
	console.error(error instanceof AccountError || error instanceof Error ? error.message : error);
	process.exitCode = 1;
} finally {
	await stop();
}

async function createUserCommand() {
	if (positionals[0] !== 'create-user' || !values.email || !values.role) throw new Error(usage);
	const orgRole = values['org-role'] ?? 'editor';
	if (orgRole !== 'editor' && orgRole !== 'viewer') throw new Error('--org-role must be editor or viewer.');
	let password: string;
	if (values['password-stdin']) {
		password = await readStdin();
	} else {
		password = await prompt('Password (at least 12 characters): ');
		if ((await prompt('Again: ')) !== password) throw new Error('The two passwords differ.');
	}
	await start(process.env);
	const user = await createUser({ email: values.email, role: values.role, name: values.name, password, organization: values.org, organizationRole: orgRole, createdBy: 'npm run admin' });
	console.info(`Created ${user.role} ${user.email}${values.name?.trim() ? `, shown to staff as “${values.name.trim()}”` : ''} (${user.id}).`);
}
