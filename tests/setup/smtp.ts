import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A real SMTP server in the test process (the maintained `smtp-server` package), keeping what it
 * receives, parsed by `mailparser`. `stop()` and `start()` again on the same port stand for a mail
 * server that goes down and comes back.
 */
export interface TestSmtp {
	port: number;
	url: string;
	received: ParsedMail[];
	start(): Promise<void>;
	stop(): Promise<void>;
}

/**
 * `mailbox`: also write each message received there, as JSON (`MailboxEntry`), for tests in another
 * process than the server's (the end-to-end tests: the server runs in their global setup, beside
 * the app it serves).
 */
export async function testSmtp(options: { mailbox?: string } = {}): Promise<TestSmtp> {
	const received: ParsedMail[] = [];
	let server: SMTPServer | null = null;
	let port = 0;
	const listen = () =>
		new Promise<void>((resolve, reject) => {
			server = new SMTPServer({
				authOptional: true,
				disabledCommands: ['STARTTLS', 'AUTH'],
				logger: false,
				onData(stream, _session, callback) {
					simpleParser(stream)
						.then((mail) => {
							received.push(mail);
							if (options.mailbox) saveTo(options.mailbox, received.length, mail);
							callback();
						})
						.catch(callback);
				}
			});
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => {
				port = (server!.server.address() as AddressInfo).port;
				resolve();
			});
		});
	await listen();
	const handle: TestSmtp = {
		port,
		url: `smtp://127.0.0.1:${port}`,
		received,
		start: listen,
		stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
	};
	return handle;
}

/** A received message as the mailbox directory keeps it. */
export interface MailboxEntry {
	to: string[];
	subject: string;
	text: string;
	html: string;
	language: string | null;
}

function saveTo(dir: string, n: number, mail: ParsedMail) {
	const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((list) => list.value.map((a) => a.address ?? ''));
	const language = mail.headers.get('content-language');
	const entry: MailboxEntry = { to, subject: mail.subject ?? '', text: mail.text ?? '', html: typeof mail.html === 'string' ? mail.html : '', language: typeof language === 'string' ? language : null };
	// Written whole, then renamed: a reader never sees half a message.
	const file = path.join(dir, `${String(n).padStart(6, '0')}.json`);
	fs.writeFileSync(`${file}.tmp`, JSON.stringify(entry));
	fs.renameSync(`${file}.tmp`, file);
}

/** The messages in a mailbox directory sent to `address`, oldest first. */
export function mailboxFor(dir: string, address: string): MailboxEntry[] {
	return fs
		.readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as MailboxEntry)
		.filter((mail) => mail.to.some((to) => to.toLowerCase() === address.toLowerCase()));
}
