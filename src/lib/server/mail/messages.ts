import english from '../../i18n/messages/en/mail.json';
import italian from '../../i18n/messages/it/mail.json';
import { compileMessages } from '../../i18n/compile';
import { DEFAULT_LOCALE, translator as format, type Messages } from '../../i18n/translate';
import type { OutgoingMail } from '../db/outbox';

// The mail texts are imported by name, not through the i18n index (whose import.meta.glob only
// Vite knows): notices are queued by the command-line scripts too (tsx). A new interface language
// gets its emails by adding its mail.json here.
const MAIL_MESSAGES: Record<string, Messages> = { it: compileMessages('it', italian), en: compileMessages('en', english) };
const translator = (locale: string) => format(locale, MAIL_MESSAGES[locale] ?? {}, MAIL_MESSAGES[DEFAULT_LOCALE]);

/**
 * Every email the app sends, composed in the recipient's language from messages/<lang>/mail.json,
 * as plain text and HTML. What a message may say is fixed here and nowhere else: a sentence, a
 * link into the site and, for plans, the pseudonymous code — never a household's name, address,
 * phone or need (privacy: email leaves our systems and stays in mailboxes).
 */
/** Notices a person can turn off on their account page (migration 0017 lists the same). */
export const NOTICE_KINDS = ['referral.new', 'referral.answered', 'referral.stale', 'referral.message', 'pact.decision', 'pact.application', 'report.new'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const MAIL_KINDS = [...NOTICE_KINDS, 'account.invitation', 'account.reset'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export interface MailValues {
	/** An absolute link into the site. */
	link: string;
	/** A plan's pseudonymous code (e.g. `LC-7K2M`), when the message is about a plan. */
	code?: string;
	/** An organisation's public name, when the message is about one. */
	organization?: string;
	/** A referral's or an application's new status (a code, for a `select` in the message). */
	status?: string;
	/** A decline's reason as its code (DECLINE_CODES), never the words typed with it. */
	reason?: string;
	/** Days a referral has waited. */
	days?: number;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

export function composeMail(kind: MailKind, recipient: { email: string; locale: string }, values: MailValues): OutgoingMail {
	const t = translator(recipient.locale);
	const v = { code: values.code ?? '', organization: values.organization ?? '', status: values.status ?? 'other', reason: values.reason ?? 'none', days: values.days ?? 0 };
	const subject = t(`mail.${kind}.subject`, v);
	const paragraphs = t(`mail.${kind}.body`, v).split(/\n{2,}/);
	const action = t(`mail.${kind}.action`, v);
	const footer = t('mail.footer');
	const text = [...paragraphs, `${action}: ${values.link}`, '--', footer].join('\n\n');
	const html = [
		`<!doctype html><html lang="${escapeHtml(recipient.locale)}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
		'<body style="font-family: sans-serif; line-height: 1.5">',
		...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
		`<p><a href="${escapeHtml(values.link)}">${escapeHtml(action)}</a></p>`,
		`<hr><p style="color: #555; font-size: 0.9em">${escapeHtml(footer)}</p>`,
		'</body></html>'
	].join('\n');
	return { kind, recipient: recipient.email, locale: recipient.locale, subject, text, html };
}
