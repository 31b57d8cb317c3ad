import { describe, expect, it } from 'vitest';
import { titleCase } from '../../scripts/lib/text';

// The one titleCase of scripts/build-seed.ts and scripts/build-demo.ts (ANNCSU street names and
// registry names arrive in capitals).
describe('titleCase', () => {
	it('keeps articles and prepositions lower case after the first word, elided ones too', () => {
		expect(titleCase("VIA DELL'EREMO")).toBe("Via dell'Eremo");
		expect(titleCase('VIA PER ERNA')).toBe('Via per Erna');
		expect(titleCase('VIA CADUTI LECCHESI A FOSSOLI')).toBe('Via Caduti Lecchesi a Fossoli');
		expect(titleCase("VIA GABRIELE D'ANNUNZIO")).toBe("Via Gabriele d'Annunzio");
		expect(titleCase("VIA SALVATORE SASSI-MEDAGLIA D'ORO")).toBe("Via Salvatore Sassi-Medaglia d'Oro");
	});

	it('capitalises the first word even when it is an article, and leaves "De" of surnames alone', () => {
		expect(titleCase('DELLA VALLE')).toBe('Della Valle');
		expect(titleCase('FARMACIA DE CORTES')).toBe('Farmacia De Cortes');
	});

	it('keeps Roman numerals, numbers and initials; expands abbreviations; collapses spaces', () => {
		expect(titleCase('PIAZZA XX SETTEMBRE')).toBe('Piazza XX Settembre');
		expect(titleCase('VIA PIO XI')).toBe('Via Pio XI');
		expect(titleCase('VIA 4 NOVEMBRE')).toBe('Via 4 Novembre');
		expect(titleCase('L. TALAMONI')).toBe('L. Talamoni');
		expect(titleCase('C.SO MATTEOTTI')).toBe('Corso Matteotti');
		expect(titleCase('  VIA   ROMA ')).toBe('Via Roma');
	});
});
