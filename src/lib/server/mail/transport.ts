import nodemailer from 'nodemailer';
import type { OutgoingMail } from '../db/outbox';

/**
 * Sending over SMTP through nodemailer (maintained, the Node ecosystem's reference client), at the
 * address SMTP_URL names. Time-outs are short: the outbox retries, so a slow server costs an
 * attempt, never a stuck dispatcher.
 */
export interface Mailer {
	send(mail: OutgoingMail): Promise<void>;
	close(): void;
}

export function smtpMailer(settings: { url: string; from: string }): Mailer {
	const transport = nodemailer.createTransport({ url: settings.url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
	return {
		async send(mail) {
			await transport.sendMail({
				from: settings.from,
				to: mail.recipient,
				subject: mail.subject,
				text: mail.text,
				html: mail.html,
				headers: { 'Content-Language': mail.locale, 'Auto-Submitted': 'auto-generated' }
			});
		},
		close() {
			transport.close();
		}
	};
}
