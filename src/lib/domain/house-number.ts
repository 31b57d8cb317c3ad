/**
 * A typed address split into street and house number, for the place search to the house number
 * (server/db/gazetteer.ts, civic numbers of ANNCSU). Italian numbers may carry an exponent: a
 * letter or a short word after the number ("12A", "12/a", "12 bis").
 */

/** "via dei tigli 12/a" → street "via dei tigli", number 12, exponent "A"; null without a trailing number. */
export function houseNumberOf(text: string): { street: string; number: number; exponent: string } | null {
	const m = /^(.*[^\d\s,.])[\s,.]+(\d{1,5})\s*\/?\s*([a-z]{1,3})?\s*$/i.exec(text.trim());
	if (!m || m[1]!.trim().length < 2) return null;
	const number = Number(m[2]);
	return number > 0 ? { street: m[1]!, number, exponent: (m[3] ?? '').toUpperCase() } : null;
}

