// Title case for names written in capitals (registry records, ANNCSU street names), shared by
// scripts/build-seed.ts and scripts/build-demo.ts so the real seed and the demo set write street
// and place names the same way.

// Articles and prepositions stay lower case inside a title-cased name ("Via Tonio da Belledo").
// "de" is left out on purpose: in names it is usually part of a surname ("Farmacia De Cortes").
const LOWER_WORDS = new Set([
	'a', 'ai', 'al', 'alla', 'alle', 'allo', 'agli', 'all', 'con', 'da', 'dal', 'dalla', 'dalle', 'dai', 'dagli', 'dall',
	'dei', 'degli', 'del', 'della', 'delle', 'dello', 'dell', 'di', 'd', 'e', 'ed', 'in', 'nel', 'nella', 'nell', 'per',
	'sopra', 'su', 'sul', 'sulla', 'sull'
]);
const ABBREVIATIONS: Record<string, string> = {
	'c.so': 'Corso',
	'v.le': 'Viale',
	'p.za': 'Piazza',
	'p.zza': 'Piazza',
	'dott.': 'Dott.',
	'dott.ssa': 'Dott.ssa',
	'dott.ri': 'Dott.ri'
};
const ROMAN = /^(?=[MDCLXVI])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$/;
const INITIALS = /^\(?([A-Za-z]\.)+\)?$/;

function capitalise(part: string): string {
	return part.charAt(0).toUpperCase() + part.slice(1).toLowerCase();
}

function titleCaseWord(word: string, first: boolean): string {
	const lower = word.toLowerCase();
	if (ABBREVIATIONS[lower]) return ABBREVIATIONS[lower];
	if (/^[0-9]/.test(word) || INITIALS.test(word)) return word.toUpperCase();
	if (ROMAN.test(word.toUpperCase()) && !LOWER_WORDS.has(lower)) return word.toUpperCase();
	// Elisions and compounds: "DELL'EREMO" → "dell'Eremo", "(NEO" → "(Neo".
	return word
		.split(/([-'’(/])/)
		.map((part, index) => {
			if (/^[-'’(/]$/.test(part) || part === '') return part;
			const isFirst = first && word.slice(0, word.indexOf(part)).replace(/[(]/g, '') === '' && index <= 2;
			return !isFirst && LOWER_WORDS.has(part.toLowerCase()) ? part.toLowerCase() : capitalise(part);
		})
		.join('');
}

/** "VIA DELL'EREMO" → "Via dell'Eremo", "VIA PER ERNA" → "Via per Erna", "C.SO MATTEOTTI" → "Corso Matteotti". */
export function titleCase(text: string): string {
	return text
		.split(/\s+/)
		.filter(Boolean)
		.map((word, index) => titleCaseWord(word, index === 0))
		.join(' ');
}
