type Translate = (key: string, values?: Record<string, string | number | boolean | null | undefined>) => string;

const HOURS_PREFIX = 'hours.';

/** A history field's name for people: "Descrizione", or "Orari — Sede" for a location's hours. */
export function fieldLabel(t: Translate, key: string, locationNames: Record<string, string> = {}): string {
	if (key.startsWith(HOURS_PREFIX)) {
		const id = key.slice(HOURS_PREFIX.length);
		return t('partner.field.hoursAt', { place: locationNames[id] ?? id.slice(0, 8) });
	}
	// A field of the record's own, else one the forms share (e.g. `location.accessibility`).
	for (const name of [`partner.field.${key}`, `location.${key}`]) {
		const label = t(name);
		if (label !== name) return label;
	}
	return key;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A history value for people: "—" for nothing, yes/no, lists joined, phones with their label. */
export function fieldValue(t: Translate, key: string, value: Json | undefined, term: (kind: 'need' | 'audience', code: string) => string): string {
	if (value === null || value === undefined || value === '') return '—';
	if (typeof value === 'boolean') {
		if (key === 'accepting_new') return value ? t('accepting.yes') : t('accepting.no');
		return value ? t('partner.value.yes') : t('partner.value.no');
	}
	if (Array.isArray(value)) {
		if (value.length === 0) return '—';
		if (key === 'needs' || key === 'audiences') return value.map((code) => term(key === 'needs' ? 'need' : 'audience', String(code))).join(', ');
		return value
			.map((item) => {
				if (item && typeof item === 'object' && !Array.isArray(item) && 'number' in item) {
					return item.description ? `${item.number} (${item.description})` : String(item.number);
				}
				return typeof item === 'string' ? item : JSON.stringify(item);
			})
			.join(', ');
	}
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
