/**
 * Emergency and help lines shown on the public pages ("Aiuto subito"). National numbers, free and
 * answered around the clock, stable for years: not directory records (no partner keeps them), so
 * they live here, each with who runs or promotes it and the page that says so. Checked November
 * 2026; a change is a code change, reviewed like one.
 */
export interface HelpLine {
	/** As dialled (the `tel:` link) and shown. */
	number: string;
	label_it: string;
	label_en: string;
	/** Who runs or promotes the line, and where it is described. */
	source: { name: string; url: string };
}

export const HELP_LINES: readonly HelpLine[] = [
	{
		number: '112',
		label_it: 'Numero unico di emergenza',
		label_en: 'Emergency number',
		// In Lombardy the European emergency number answers through AREU's centrali uniche di risposta.
		source: { name: 'Numero unico di emergenza europeo 112 — AREU Lombardia', url: 'https://www.areu.lombardia.it' }
	},
	{
		number: '1522',
		label_it: 'Antiviolenza e stalking',
		label_en: 'Violence and stalking helpline',
		source: { name: 'Dipartimento per le Pari Opportunità — 1522', url: 'https://www.1522.eu' }
	},
	{
		number: '114',
		label_it: 'Emergenza infanzia',
		label_en: 'Children in danger',
		source: { name: '114 Emergenza Infanzia — Dipartimento per le Pari Opportunità, gestito da Telefono Azzurro', url: 'https://www.114.it' }
	},
	{
		number: '19696',
		label_it: 'Telefono Azzurro, per bambini e ragazzi',
		label_en: 'Telefono Azzurro, for children and teens',
		source: { name: 'Telefono Azzurro', url: 'https://azzurro.it' }
	}
];
