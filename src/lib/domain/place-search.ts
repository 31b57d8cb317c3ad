import { textProblem, textProblemMessage } from './text';

/**
 * The place search without the server (issue 14): the same normalisation and ranking as the SQL
 * name search of src/lib/server/db/gazetteer.ts (`searchNames`), over the gazetteer document the
 * browser keeps (GET /api/places/gazetteer.json). The service worker answers /api/places with it
 * when the server cannot be reached. Pure and browser-safe; tests/db/place-search-offline.test.ts
 * compares it with the SQL on both backends, so a change to either side that makes them differ
 * fails there.
 *
 * The SQL it follows: place_search_text (db/migrations/0020_place_search.sql, after fold_text of
 * 0001), place_words_match (db/functions/place_search.sql) and pg_trgm's word_similarity
 * (contrib/pg_trgm/trgm_op.c, ported below).
 */

export type GazetteerKind = 'neighbourhood' | 'place' | 'street' | 'resource';

/** One name the place search can return, as the server places it, with its searchable key. */
export interface GazetteerEntry {
	name: string;
	kind: GazetteerKind;
	/** A resource's id, for a link to its page. */
	id: string | null;
	/** place_search_text(name), computed by the server. */
	key: string;
	/** Null for a street whose position is not known. */
	lon: number | null;
	lat: number | null;
	near_stop: string | null;
	neighbourhood: string | null;
}

/** GET /api/places/gazetteer.json. `format` changes when the entries' meaning does. */
export interface GazetteerDocument {
	format: typeof GAZETTEER_FORMAT;
	places: GazetteerEntry[];
}

export const GAZETTEER_FORMAT = 1;

/** A result, as /api/places answers it (`lon`/`lat` null: known by name only). */
export type PlaceResult = Omit<GazetteerEntry, 'key'>;

// ---------------------------------------------------------------------------------------------
// Normalisation: fold_text (0001) and place_search_text (0020).

const FOLD_FROM = 'àáâãäåèéêëìíîïòóôõöùúûüçñ’\'';
const FOLD_TO = 'aaaaaaeeeeiiiiooooouuuucn  ';

/**
 * PostgreSQL's lower() in a UTF-8 database with a libc locale other than C maps each character on
 * its own (towlower); toLowerCase() maps whole strings, and differs on the one character whose
 * lower case is two ("İ" → "i̇").
 */
function lowerChar(ch: string): string {
	return ch === '\u0130' ? 'i' : ch.toLowerCase();
}

/** fold_text: lower case, the accented letters of Italian and French without accents, apostrophes as spaces. */
export function foldText(value: string): string {
	let out = '';
	for (const ch of value) {
		for (const c of lowerChar(ch)) {
			const at = c.length === 1 ? FOLD_FROM.indexOf(c) : -1;
			out += at < 0 ? c : FOLD_TO[at];
		}
	}
	return out;
}

// As in place_search_text: each consumes the character before and after it (so two abbreviations
// sharing one space are not both expanded, as in PostgreSQL's regexp_replace).
const ABBREVIATIONS: readonly (readonly [RegExp, string])[] = [
	[/([^a-z])p\.? ?z?za([^a-z])/gu, 'piazza'],
	[/([^a-z])p\.? ?le([^a-z])/gu, 'piazzale'],
	[/([^a-z])v\.? ?le([^a-z])/gu, 'viale'],
	[/([^a-z])c\.? ?so([^a-z])/gu, 'corso'],
	[/([^a-z])l\.? ?go([^a-z])/gu, 'largo'],
	[/([^a-z])v\.([^a-z])/gu, 'via']
];

/** place_search_text: folded, street abbreviations written out, anything but a-z and 0-9 one space, trimmed. */
export function placeSearchText(value: string): string {
	let text = ` ${foldText(value)} `;
	for (const [pattern, word] of ABBREVIATIONS) text = text.replace(pattern, `$1${word}$2`);
	return text.replace(/[^a-z0-9]+/gu, ' ').replace(/^ +| +$/g, '');
}

// ---------------------------------------------------------------------------------------------
// pg_trgm's word_similarity (contrib/pg_trgm/trgm_op.c: generate_trgm_only, calc_word_similarity,
// iterate_word_similarity; trgm.h: LPADDING 2, RPADDING 1, KEEPONLYALNUM, IGNORECASE, DIVUNION).
// Exact for what the search compares: texts made by place_search_text, words of a-z and 0-9.
// Beyond ASCII it approximates: pg_trgm's letters are the locale's (iswalpha), and it hashes a
// trigram with multibyte characters into three bytes (CRC), where this keeps the characters.

function isWordChar(ch: string): boolean {
	return /[A-Za-z0-9]/.test(ch) || (ch > '\u007f' && /\p{Alphabetic}/u.test(ch));
}

/** The words of a text: runs of letters and digits (find_word). */
function wordsOf(text: string): string[] {
	const words: string[] = [];
	let word = '';
	for (const ch of text) {
		if (isWordChar(ch)) word += ch;
		else if (word) {
			words.push(word);
			word = '';
		}
	}
	if (word) words.push(word);
	return words;
}

/**
 * The trigrams of a text in order, duplicates kept: each word lower-cased, padded with two spaces
 * before and one after ("  via "), then every three consecutive characters.
 */
export function trigramsOf(text: string): string[] {
	const trigrams: string[] = [];
	for (const word of wordsOf(text)) {
		const chars = [...`  ${[...word].map(lowerChar).join('')} `];
		for (let i = 0; i + 3 <= chars.length; i++) trigrams.push(chars[i]! + chars[i + 1]! + chars[i + 2]!);
	}
	return trigrams;
}

/** CALCSML with DIVUNION, in float4 as in C: count / (len1 + len2 - count). */
const similarity = (count: number, len1: number, len2: number) => Math.fround(count / (len1 + len2 - count));

/**
 * word_similarity(a, b): the greatest similarity between the trigrams of `a` and those of a
 * contiguous extent of `b`'s trigram sequence (an extent need not fall on word bounds). A float4,
 * as pg_trgm returns it.
 */
export function wordSimilarity(a: string, b: string): number {
	// Every distinct trigram gets a number; `found` says whether it is one of `a`'s.
	const numbers = new Map<string, number>();
	const found: boolean[] = [];
	for (const trigram of trigramsOf(a)) {
		if (!numbers.has(trigram)) {
			numbers.set(trigram, found.length);
			found.push(true);
		}
	}
	const ulen1 = found.length;
	const trg2indexes = trigramsOf(b).map((trigram) => {
		let n = numbers.get(trigram);
		if (n === undefined) {
			n = found.length;
			numbers.set(trigram, n);
			found.push(false);
		}
		return n;
	});
	return iterateWordSimilarity(trg2indexes, found, ulen1);
}

/** iterate_word_similarity without its flags (plain word similarity, the maximum computed). */
function iterateWordSimilarity(trg2indexes: number[], found: boolean[], ulen1: number): number {
	const lastpos = new Array<number>(found.length).fill(-1);
	let ulen2 = 0;
	let count = 0;
	let upper = -1;
	let lower = -1;
	let smlrMax = 0;
	for (let i = 0; i < trg2indexes.length; i++) {
		const trgindex = trg2indexes[i]!;
		// Update the last position of this trigram.
		if (lower >= 0 || found[trgindex]) {
			if (lastpos[trgindex]! < 0) {
				ulen2++;
				if (found[trgindex]) count++;
			}
			lastpos[trgindex] = i;
		}
		// A trigram of `a`: the extent may end here.
		if (found[trgindex]) {
			upper = i;
			if (lower === -1) {
				lower = i;
				ulen2 = 1;
			}
			let smlrCur = similarity(count, ulen1, ulen2);
			// Also try to move the lower bound up for a greater similarity.
			let tmpCount = count;
			let tmpUlen2 = ulen2;
			const prevLower = lower;
			for (let tmpLower = lower; tmpLower <= upper; tmpLower++) {
				const smlrTmp = similarity(tmpCount, ulen1, tmpUlen2);
				if (smlrTmp > smlrCur) {
					smlrCur = smlrTmp;
					ulen2 = tmpUlen2;
					lower = tmpLower;
					count = tmpCount;
				}
				const tmpTrgindex = trg2indexes[tmpLower]!;
				if (lastpos[tmpTrgindex] === tmpLower) {
					tmpUlen2--;
					if (found[tmpTrgindex]) tmpCount--;
				}
			}
			smlrMax = Math.max(smlrMax, smlrCur);
			for (let tmpLower = prevLower; tmpLower < lower; tmpLower++) {
				const tmpTrgindex = trg2indexes[tmpLower]!;
				if (lastpos[tmpTrgindex] === tmpLower) lastpos[tmpTrgindex] = -1;
			}
		}
	}
	return smlrMax;
}

// ---------------------------------------------------------------------------------------------
// The ranking of searchNames (gazetteer.ts) and place_words_match (place_search.sql).

/** The word similarity a typed word needs with the name (place_words_match). */
const WORD_SIMILARITY_THRESHOLD = 0.6;

const KIND_RANK: Record<GazetteerKind, number> = { neighbourhood: 1, place: 2, street: 3, resource: 4 };

/** Text order of the database's C.UTF-8 collation: by code point. */
function compareCodePoints(a: string, b: string): number {
	const x = [...a];
	const y = [...b];
	for (let i = 0; i < Math.min(x.length, y.length); i++) {
		const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
		if (d !== 0) return d;
	}
	return x.length - y.length;
}

/**
 * round(avg::numeric, 2): PostgreSQL turns a float8 into numeric through its 15 significant digits,
 * then rounds half away from zero.
 */
export function roundCloseness(value: number): number {
	const digits = value.toPrecision(15);
	if (digits.includes('e')) return Math.abs(value) < 1 ? 0 : Math.round(value * 100) / 100;
	const negative = digits.startsWith('-');
	const [whole, fraction = ''] = digits.replace('-', '').split('.');
	const padded = fraction.padEnd(3, '0');
	const hundredths = Number(whole) * 100 + Number(padded.slice(0, 2)) + (padded[2]! >= '5' ? 1 : 0);
	return ((negative ? -1 : 1) * hundredths) / 100;
}

interface Scored {
	entry: GazetteerEntry;
	order: number;
	tier: number;
	closeness: number;
}

/**
 * The names matching `text`, best first, as /api/places ranks them (without ANNCSU house numbers,
 * which the document does not hold). Every typed word of two characters or more must resemble a
 * word of the name (word similarity ≥ 0.6). Tiers: the name starts with the text; every typed word
 * starts a word of the name; similar only. Then closer words (the mean similarity to 2 decimals),
 * placed before unplaced, rioni, places, streets, resources, shorter names, then by name.
 */
export function rankPlaces(entries: readonly GazetteerEntry[], text: string, limit = 8, includeUnplaced = false): PlaceResult[] {
	if (text.trim().length < 2) return [];
	const q = placeSearchText(text);
	// array_agg(DISTINCT w): sorted, so the mean is summed in the same order as in PostgreSQL.
	const words = [...new Set(q.split(' ').filter((w) => [...w].length >= 2))].sort(compareCodePoints);
	if (words.length === 0) return [];
	const scored: Scored[] = [];
	entries.forEach((entry, order) => {
		if (entry.lon === null && !includeUnplaced) return;
		let sum = 0;
		let everyWordStarts = true;
		for (const word of words) {
			const score = wordSimilarity(word, entry.key);
			if (!(score >= WORD_SIMILARITY_THRESHOLD)) return;
			sum += score;
			if (!` ${entry.key}`.includes(` ${word}`)) everyWordStarts = false;
		}
		const tier = entry.key.startsWith(q) ? 0 : everyWordStarts ? 1 : 2;
		scored.push({ entry, order, tier, closeness: roundCloseness(sum / words.length) });
	});
	scored.sort(
		(a, b) =>
			a.tier - b.tier ||
			b.closeness - a.closeness ||
			Number(a.entry.lon === null) - Number(b.entry.lon === null) ||
			KIND_RANK[a.entry.kind] - KIND_RANK[b.entry.kind] ||
			[...a.entry.name].length - [...b.entry.name].length ||
			compareCodePoints(a.entry.name, b.entry.name) ||
			a.order - b.order
	);
	return scored.slice(0, limit).map(({ entry }) => ({
		name: entry.name,
		kind: entry.kind,
		id: entry.id,
		lon: entry.lon,
		lat: entry.lat,
		near_stop: entry.near_stop,
		neighbourhood: entry.neighbourhood
	}));
}

/** The parameters of /api/places, read as its route reads them, or the reason for a 400. */
export function placeQueryOf(params: URLSearchParams): { q: string; limit: number; includeUnplaced: boolean } | { error: string } {
	const single = (name: string): string | undefined | null => {
		const all = params
			.getAll(name)
			.map((value) => value.trim())
			.filter((value) => value !== '');
		return all.length > 1 ? null : all[0];
	};
	const q = single('q');
	if (q === null) return { error: 'q was given more than once: give it once' };
	if (q !== undefined && q.length > 100) return { error: 'q is longer than 100 characters' };
	const problem = q === undefined ? null : textProblem(q);
	if (problem) return { error: `q ${textProblemMessage(problem)}` };
	const limitText = single('limit');
	if (limitText === null) return { error: 'limit was given more than once: give it once' };
	const limit = limitText === undefined ? 8 : /^\d+$/.test(limitText) ? Number(limitText) : NaN;
	if (!(limit >= 1 && limit <= 20)) return { error: 'limit must be a whole number from 1 to 20' };
	const unplacedText = single('include_unplaced');
	if (unplacedText === null) return { error: 'include_unplaced was given more than once: give it once' };
	const unplaced = unplacedText?.toLowerCase();
	if (unplaced !== undefined && !['true', '1', 'false', '0'].includes(unplaced)) return { error: 'include_unplaced must be true or false' };
	return { q: q ?? '', limit, includeUnplaced: unplaced === 'true' || unplaced === '1' };
}
