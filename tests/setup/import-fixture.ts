/**
 * The imports' test file (issue 15): a partner list of 50 associations as a spreadsheet saves it —
 * Italian headers, semicolons, decimal commas — with three bad rows: an email without a domain
 * (row 7), a category no one knows (row 19) and a point in Milan, outside the served area (row 33).
 * Rows 41–43 have no coordinates, only an address the gazetteer places. Used by the db, api and
 * browser tests alike.
 */
export const BAD_ROWS = { email: 7, category: 19, outside: 33 } as const;
export const ADDRESS_ROWS = [41, 42, 43];
export const ROWS = 50;

export interface FixtureRow {
	id: string;
	nome: string;
	categoria: string;
	descrizione: string;
	email: string;
	sito: string;
	telefono: string;
	indirizzo: string;
	cap: string;
	comune: string;
	lat: string;
	lon: string;
	bisogni: string;
	orari: string;
}

const comma = (n: number) => n.toFixed(5).replace('.', ',');

/** The rows, each association with its own name and point in Lecco; `prefix` keeps the names of one run apart. */
export function fixtureRows(prefix: string): FixtureRow[] {
	return Array.from({ length: ROWS }, (_, k) => {
		const n = k + 1;
		// A grid over the centre of Lecco, inside its rioni.
		const lat = 45.845 + (k % 10) * 0.0017;
		const lon = 9.385 + Math.floor(k / 10) * 0.004;
		const address = ADDRESS_ROWS.includes(n);
		return {
			id: `ass-${String(n).padStart(3, '0')}`,
			nome: `${prefix} Associazione ${n}`,
			categoria: n === BAD_ROWS.category ? 'ristorante' : 'partner',
			descrizione: `Associazione di volontariato numero ${n}`,
			email: n === BAD_ROWS.email ? 'info@' : `info${n}@associazione.example.org`,
			sito: n % 5 === 0 ? `www.associazione${n}.example.org` : '',
			telefono: `0341 ${String(100000 + n)}`,
			// A street placed at its bus stops. Not Via Ghislanzoni, which the place-search e2e tests
			// expect to be placed at its stop ("vicino alla fermata …"): these rows, once public, would
			// place it at their address instead (the e2e store is shared by the files).
			indirizzo: address ? 'Via Giovanni Amendola 12' : `Via Prova ${n}`,
			cap: '23900',
			comune: 'Lecco',
			lat: address ? '' : n === BAD_ROWS.outside ? '45,46420' : comma(lat),
			lon: address ? '' : n === BAD_ROWS.outside ? '9,19000' : comma(lon),
			bisogni: n % 2 === 0 ? 'food; listening' : 'Anziani',
			orari: n % 3 === 0 ? 'Mo-Fr 09:00-12:00' : ''
		};
	});
}

export function toCsv(rows: FixtureRow[]): string {
	const columns = Object.keys(rows[0]!) as (keyof FixtureRow)[];
	const cell = (value: string) => (/[;"\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
	return [columns.join(';'), ...rows.map((row) => columns.map((c) => cell(row[c])).join(';'))].join('\r\n') + '\r\n';
}
