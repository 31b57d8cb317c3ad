import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import { checkLonLat } from '../../domain/geometry';
import * as territory from '../db/territory';

/**
 * `npm run import:anncsu -- FILE.csv`: ANNCSU's civic numbers with their points (the address export
 * `INDIR_ITA_YYYYMMDD.csv`, or a region's) become civic_number, for the place search to the house
 * number ("via Roma 12"). The file is streamed (the national one is large) and only the served
 * comuni are kept; every row is replaced in one transaction. Rows without a number (an access
 * "senza numero civico") or without a usable point are skipped and counted, not guessed.
 *
 * The columns, as ANNCSU publishes them (`;`-separated, decimal comma, WGS84):
 * CODICE_COMUNE;CODICE_ISTAT;PROGRESSIVO_NAZIONALE;CODICE_COMUNALE;ODONIMO;LOCALITA';…;
 * PROGRESSIVO_ACCESSO;…;CIVICO;ESPONENTE;…;COORD_X_COMUNE;COORD_Y_COMUNE;QUOTA;METODO.
 * The ones read are {@link REQUIRED_COLUMNS}.
 */

export const REQUIRED_COLUMNS = ['CODICE_ISTAT', 'ODONIMO', 'PROGRESSIVO_ACCESSO', 'CIVICO', 'ESPONENTE', 'COORD_X_COMUNE', 'COORD_Y_COMUNE'] as const;

export class AnncsuImportError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'AnncsuImportError';
	}
}

export interface AnncsuImportReport {
	file: string;
	read: number;
	written: number;
	skipped: { otherComune: number; noNumber: number; noPoint: number };
	comuni: string[];
}

/** "9,4087" or "9.4087" → 9.4087; empty → null. */
function decimal(text: string | undefined): number | null {
	const t = text?.trim().replace(',', '.');
	if (!t) return null;
	const n = Number(t);
	return Number.isFinite(n) ? n : null;
}

/** The first few KB of a (possibly very large) file, for its header line. */
function readHead(file: string): string {
	const fd = fs.openSync(file, 'r');
	try {
		const buffer = Buffer.alloc(8192);
		return buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
	} finally {
		fs.closeSync(fd);
	}
}

export async function importAnncsu(file: string, actor: territory.ImportActor = { id: null, email: null }): Promise<AnncsuImportReport> {
	if (!fs.existsSync(file)) throw new AnncsuImportError(`${file}: no such file`);
	const firstLine = readHead(file).split(/\r?\n/)[0] ?? '';
	const delimiter = firstLine.split(';').length > firstLine.split(',').length ? ';' : ',';
	const header = firstLine.replace(/^\uFEFF/, '').split(delimiter).map((c) => c.trim().replace(/^"|"$/g, ''));
	const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
	if (missing.length > 0) {
		throw new AnncsuImportError(`${path.basename(file)} lacks the ANNCSU column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: is it ANNCSU's address export (INDIR_…csv)?`);
	}
	const served = new Set(await territory.servedIstatCodes());
	const report: AnncsuImportReport = { file, read: 0, written: 0, skipped: { otherComune: 0, noNumber: 0, noPoint: 0 }, comuni: [...served] };
	const rows: territory.CivicNumberInput[] = [];
	const seen = new Set<string>();
	const parser = fs.createReadStream(file).pipe(parse({ delimiter, columns: true, bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }));
	try {
		for await (const record of parser as AsyncIterable<Record<string, string>>) {
			report.read++;
			const istat = record.CODICE_ISTAT?.padStart(6, '0') ?? '';
			// Without the city seed (a scratch database) there is no served comune: every row is kept.
			if (served.size > 0 && !served.has(istat)) {
				report.skipped.otherComune++;
				continue;
			}
			const number = Number(record.CIVICO);
			if (!/^[0-9]+$/.test(record.CIVICO ?? '') || !Number.isSafeInteger(number) || number <= 0) {
				report.skipped.noNumber++;
				continue;
			}
			const lon = decimal(record.COORD_X_COMUNE), lat = decimal(record.COORD_Y_COMUNE);
			if (lon === null || lat === null || !checkLonLat(lon, lat).ok || (lon === 0 && lat === 0)) {
				report.skipped.noPoint++;
				continue;
			}
			const street = record.ODONIMO?.trim() ?? '';
			const ref = record.PROGRESSIVO_ACCESSO?.trim() ?? '';
			if (!street || !ref) throw new AnncsuImportError(`row ${report.read + 1}: ODONIMO and PROGRESSIVO_ACCESSO are required`);
			if (!/^[0-9]{6}$/.test(istat)) throw new AnncsuImportError(`row ${report.read + 1}: CODICE_ISTAT "${record.CODICE_ISTAT}" is not a 6-digit code`);
			if (seen.has(ref)) throw new AnncsuImportError(`row ${report.read + 1}: PROGRESSIVO_ACCESSO ${ref} appears twice`);
			seen.add(ref);
			rows.push({ street, number, exponent: (record.ESPONENTE ?? '').trim().toUpperCase(), istatCode: istat, lon, lat, ref });
		}
	} catch (error) {
		if (error instanceof AnncsuImportError) throw error;
		throw new AnncsuImportError(`${path.basename(file)} is not a readable CSV file (${(error as Error).message})`);
	}
	if (rows.length === 0) throw new AnncsuImportError(`${path.basename(file)} has no civic number with a point in the served comuni (${[...served].join(', ') || 'none loaded'})`);
	await territory.replaceCivicNumbers(rows, path.basename(file), actor);
	return { ...report, written: rows.length };
}
