/**
 * Emergency and help lines shown on the public pages ("Aiuto subito"). National numbers, free and
 * answered around the clock, stable for years: not directory records (no partner keeps them), so
 * they live here, each with who runs or promotes it and the page that says so. Checked November
 * 2026; a change is a code change, reviewed like one. Each line's label is a message
 * (`helpLines.line.<number>` in the catalogues), so a page carries its own language's only.
 */
export interface HelpLine {
	/** As dialled (the `tel:` link) and shown. */
	number: string;
	/** Who runs or promotes the line, and where it is described. */
	source: { name: string; url: string };
}

export const HELP_LINES: readonly HelpLine[] = [
	{
		number: '112',
		// In Lombardy the European emergency number answers through AREU's centrali uniche di risposta.
		source: { name: 'Numero unico di emergenza europeo 112 — AREU Lombardia', url: 'https://www.areu.lombardia.it' }
	},
	{
		number: '1522',
		source: { name: 'Dipartimento per le Pari Opportunità — 1522', url: 'https://www.1522.eu' }
	},
	{
		number: '114',
		source: { name: '114 Emergenza Infanzia — Dipartimento per le Pari Opportunità, gestito da Telefono Azzurro', url: 'https://www.114.it' }
	},
	{
		number: '19696',
		source: { name: 'Telefono Azzurro', url: 'https://azzurro.it' }
	}
];
