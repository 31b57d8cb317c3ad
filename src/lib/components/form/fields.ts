import { problemKey, type ProblemCode } from '../../domain/problems';
import type { Translate } from '../../i18n';

/**
 * Names and ids of the directory forms' fields (the pact application, partner self-service). A field's `name` is its path in the form's
 * values ("locations.0.lon"), the key the server reports problems under; its element id is derived
 * from it, so the error summary can link to the field.
 */
export function fieldId(path: string): string {
	return 'f-' + path.replaceAll('.', '-');
}

/** The field's label for the error summary: "Luogo 2 — Indirizzo". */
export function fieldLabel(path: string, t: Translate): string {
	const parts = path.split('.');
	const [section, index, field, row] = parts;
	if ((section === 'locations' || section === 'services') && index !== undefined && field !== undefined) {
		const heading = t(section === 'locations' ? 'pact.location.legend' : 'pact.service.legend', { n: Number(index) + 1 });
		const label = field === 'slots' ? t('pact.hours.row', { n: Number(row) + 1 }) : ownOrShared(t, `pact.${section === 'locations' ? 'location' : 'service'}`, field);
		return `${heading} — ${label}`;
	}
	return t(`pact.field.${path}`);
}

/** A field's label under the form's own keys (`pact.location.city`), else the one the forms share (`location.accessibility`). */
function ownOrShared(t: Translate, own: string, field: string): string {
	const label = t(`${own}.${field}`);
	return label === `${own}.${field}` && own === 'pact.location' ? t(`location.${field}`) : label;
}

/** A problem code (domain/problems.ts) in the page's language; `max` is the field's length limit. */
export function problemText(t: Translate, code: ProblemCode | string, max?: number): string {
	return t(problemKey(code as ProblemCode), { max: max ?? 'none' });
}
