import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

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

export async function testSmtp(): Promise<TestSmtp> {
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
